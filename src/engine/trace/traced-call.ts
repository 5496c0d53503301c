// The call model both tracers' traces are read into: one system call with its arguments as printed,
// what it returned, and where it was printed. Shared by the parsers (syscall-trace.ts), the compact
// store (call-store.ts) and the readers of a trace (align.ts, trace-findings.ts).

/** What a call returned: a value, an error (errno name and number), or nothing (exit_group). */
export type CallOutcome =
  { kind: 'ok'; value: string } | { kind: 'error'; errno: string; code: number | null } | { kind: 'none' }

export interface TracedCall {
  name: string
  /** The arguments as the tracer printed them (cut to ARGS_MAX characters). */
  args: string
  outcome: CallOutcome
  /** 1-based line of the trace (console log or strace output). */
  line: number
  /** The line as printed from the call's name on, for evidence (ANSI and CR removed; cut to TEXT_MAX). */
  text: string
  pid: number | null
}
