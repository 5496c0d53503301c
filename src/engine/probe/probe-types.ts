// The data of probes: what the user asked for (ProbeSpec, plain JSON) and what happened (ProbeResult).
// Specs come only from parseProbe, which has validated every port, regex and program.

export type ProbeKind = 'redis' | 'http' | 'tcp' | 'console' | 'exit' | 'command'

/** A regular expression as the user wrote it; validated, compiled where it is used. */
export interface PatternSpec {
  source: string
  /** Only i, m, s, u: g and y would make `test` stateful. */
  flags: string
}

/** An accepted HTTP status: exact (`200`) or a class (`2xx` = 200..299). */
export type StatusSpec = { exact: number } | { class: number }

export interface HeaderMatch {
  /** Lower-cased header name. */
  name: string
  pattern: PatternSpec
}

interface ProbeBase {
  /** The input the probe came from, e.g. `probe[2]`, for messages and results. */
  input: string
  /** Canonical one-line form, e.g. `redis:6379`, `http:80/health`: the result's `target`. */
  target: string
}

export interface RedisProbeSpec extends ProbeBase {
  kind: 'redis'
  port: number
  /** After PING, a SET/GET round trip with a random key (expires after 60 s). */
  setGet: boolean
  attemptTimeoutMs: number
}

export interface HttpProbeSpec extends ProbeBase {
  kind: 'http'
  port: number
  /** Path and query, starting with '/'. */
  path: string
  method: string
  /** Any of these passes; empty never happens (default [2xx]). */
  status: StatusSpec[]
  body: PatternSpec | null
  headers: HeaderMatch[]
  attemptTimeoutMs: number
}

export interface TcpProbeSpec extends ProbeBase {
  kind: 'tcp'
  port: number
  attemptTimeoutMs: number
}

export interface ConsoleProbeSpec extends ProbeBase {
  kind: 'console'
  pattern: PatternSpec
  /** Stop the VM once matched (after the remaining probes): the ELF loader never powers off. */
  stop: boolean
}

export interface ExitProbeSpec extends ProbeBase {
  kind: 'exit'
  /** Expected exit status, 0..255. */
  code: number
}

export interface CommandProbeSpec extends ProbeBase {
  kind: 'command'
  argv: string[]
  /** Run until it passes (a readiness check) instead of once (a test). */
  retry: boolean
  /** Per run; null = the time left before the deadline. */
  attemptTimeoutMs: number | null
}

export type ProbeSpec =
  RedisProbeSpec | HttpProbeSpec | TcpProbeSpec | ConsoleProbeSpec | ExitProbeSpec | CommandProbeSpec

export interface ProbeEvidence {
  /** What the probe sent (request line, RESP commands, argv). */
  sent?: string
  /** What came back (reply, status line and body start, matched console line), truncated. */
  received?: string
  /** ms since the VM's launch when this evidence was taken. */
  atMs: number
  /** Why it failed, or what the evidence means. */
  note?: string
}

export interface ProbeResult {
  kind: ProbeKind
  target: string
  /** The input it came from, e.g. `probe[1]`. */
  input: string
  passed: boolean
  /** Attempts made (0: not run because an earlier probe failed). */
  attempts: number
  durationMs: number
  /** ms since the VM's launch when it passed, else null. */
  readyAtMs: number | null
  /** From the passing attempt, or from the last failing one. */
  evidence: ProbeEvidence
  /**
   * The probe could not judge: the guest cannot tell what it asks (an exit status on a Unikraft
   * kernel that discards it). Never a pass, never the app's failure: the verdict is `error`.
   */
  inconclusive?: boolean
  /** Command probes: the program's output, kept for the artifacts. */
  output?: { stdout: string; stderr: string; exitCode: number | null; signal: string | null }
}
