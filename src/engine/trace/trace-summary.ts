// result.json's `syscalls` section from the traces of a check: what each side called (per system
// call: how often, how often it failed, with which errnos), the first divergence alignTraces found,
// and every call Unikraft answered ENOSYS. Pure: the caller parses, aligns and says what to note.
import type { SyscallDivergence, SyscallSideSummary, SyscallsSection } from '../report/result.js'
import { unsupportedCalls, type Alignment } from './align.js'
import type { ParsedTrace } from './syscall-trace.js'

export { unsupportedCalls }

export type { SyscallDivergence, SyscallSideSummary, SyscallsSection } from '../report/result.js'

export interface SyscallsInput {
  /** Each side's parsed trace; null when that side ran untraced (say why in `notes`). */
  unikraft: ParsedTrace | null
  linux: ParsedTrace | null
  /** `alignTraces(linux.calls, unikraft.calls, ...)`, when both sides were traced. */
  alignment?: Alignment | null
  /** What a reader should know: "no trace kernel for 0.17.0: ran untraced", "trace truncated at 64 MiB". */
  notes?: readonly string[]
}

/** The `syscalls` section of a check whose tracing was asked for (a check without it writes null). */
export function syscallsSection(input: SyscallsInput): SyscallsSection {
  const notes = [...(input.notes ?? [])]
  let divergence = input.alignment && input.unikraft && input.linux ? divergenceOf(input.alignment) : null
  if (divergence?.kind === 'not-reached' && input.unikraft?.truncated) {
    // The trace stopped, not necessarily Unikraft: what it did after the cut is unknown.
    notes.push(
      `the Unikraft trace was cut before ${divergence.syscall}: whether Unikraft reached it is unknown`
    )
    divergence = null
  }
  return {
    traced: { unikraft: input.unikraft !== null, linux: input.linux !== null },
    notes,
    sides: {
      unikraft: input.unikraft ? summarizeSide(input.unikraft) : null,
      linux: input.linux ? summarizeSide(input.linux) : null
    },
    divergence,
    // Counted once, by the alignment when there is one.
    unsupported: input.alignment?.unsupported ?? (input.unikraft ? unsupportedCalls(input.unikraft) : [])
  }
}

/** One side's trace, per system call in order of its first call. */
export function summarizeSide(trace: ParsedTrace): SyscallSideSummary {
  const calls = new Map<string, { syscall: string; count: number; failed: number; errnos: string[] }>()
  for (const c of trace.calls) {
    let entry = calls.get(c.name)
    if (!entry) calls.set(c.name, (entry = { syscall: c.name, count: 0, failed: 0, errnos: [] }))
    entry.count++
    if (c.outcome.kind === 'error') {
      entry.failed++
      if (!entry.errnos.includes(c.outcome.errno)) entry.errnos.push(c.outcome.errno)
    }
  }
  return {
    count: trace.calls.length,
    truncated: trace.truncated,
    unreadable: trace.unreadable,
    calls: [...calls.values()]
  }
}

/**
 * alignTraces' divergence in result.json's words: `same-call` is `different-result`, or
 * `unsupported` when Unikraft answered ENOSYS; `unreached` is `not-reached`.
 */
export function divergenceOf(alignment: Alignment): SyscallDivergence | null {
  const d = alignment.divergence
  if (!d) return null
  const uk = d.evidence.unikraft?.outcome
  const kind =
    d.kind === 'unreached'
      ? 'not-reached'
      : uk?.kind === 'error' && uk.errno === 'ENOSYS'
        ? 'unsupported'
        : 'different-result'
  return {
    kind,
    syscall: d.syscall,
    args: d.args,
    linux: d.linux,
    unikraft: d.unikraft,
    linuxIndex: d.linuxIndex,
    unikraftIndex: d.unikraftIndex
  }
}
