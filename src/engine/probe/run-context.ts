// What every probe of one run shares: the VM, time, the deadline, whether the guest has printed
// anything yet, and how the VM ended.
import type { Clock } from '../clock.js'
import type { CommandRunner } from '../command-runner.js'
import type { Logger } from '../logger.js'
import type { VmHandle, VmResult } from '../vm/vm-types.js'
import type { ConsoleProbeSpec, ExitProbeSpec, ProbeResult } from './probe-types.js'

export interface ProbeRunContext {
  vm: VmHandle
  clock: Clock
  logger: Logger
  runner: CommandRunner
  /** Clock time (clock.now()) after which no probe keeps waiting. */
  deadlineAt: number
  /** The guest has printed at least one console line. */
  hasOutput(): boolean
  /** Calls cb for every console line from now on; returns the unsubscribe. */
  onLine(cb: () => void): () => void
  /** QEMU has exited (vm.ended), or its `done` has settled. */
  isEnded(): boolean
  /** Settles once QEMU has exited and its evidence is written (never rejects). */
  whenEnded: Promise<VmResult | null>
  /**
   * The guest reports a program's exit status when it has one (the Linux baseline's init). When
   * false (Unikraft), a status that never showed is unknown, not a failure.
   */
  guestReportsExit: boolean
  /** Set when a console probe with stop=yes matched: the program's output is all there is to wait for. */
  stopRequested: boolean
}

/** ANSI escapes and carriage returns out, so regexes see what a person sees. */
export function cleanLine(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g, '').replace(/\r/g, '')
}

/** "the VM ended (crashed at 1234 ms)": how the VM's end reads in a note. */
export function describeEnd(r: VmResult | null): string {
  if (!r) return 'the VM ended'
  const at = r.timeline.exitMs !== null ? ` at ${Math.round(r.timeline.exitMs)} ms` : ''
  return `the VM ended (${r.reason}${at})`
}

/** What a probe that watches the console (console, exit) saw: its one attempt. */
export interface Watched {
  passed: boolean
  /** ms since launch of the line that decided, or of the end. */
  atMs: number
  received: string
  note?: string
}

/** The result of a console-watching probe: one attempt, timed from `startedAt` (clock time). */
export function watchResult(
  spec: ConsoleProbeSpec | ExitProbeSpec,
  run: { clock: Clock; startedAt: number; sent: string },
  w: Watched
): ProbeResult {
  return {
    kind: spec.kind,
    target: spec.target,
    input: spec.input,
    passed: w.passed,
    attempts: 1,
    durationMs: Math.round(run.clock.now() - run.startedAt),
    readyAtMs: w.passed ? w.atMs : null,
    evidence: { sent: run.sent, received: w.received, atMs: w.atMs, ...(w.note ? { note: w.note } : {}) }
  }
}
