// The exit probe: the program's exit status as the guest reported it (the Linux baseline's status, in
// VmResult.guestExit) or as Unikraft logged it (`main returned N`, Info level). Anything else is
// "unknown", and an unknown status fails: it is never guessed (a Unikraft halt code is not the app's).
import type { ExitProbeSpec, ProbeResult } from './probe-types.js'
import { type ProbeRunContext, cleanLine, describeEnd } from './run-context.js'
import { Waker } from './waker.js'

const MAIN_RETURNED = /\bmain returned (-?\d+)/

/** After a console probe asked to stop the VM: how long the program gets to report its status. */
export const EXIT_GRACE_MS = 2000

/** An int returned from main becomes an exit status the way exit() truncates it. */
function asStatus(n: number): number {
  return ((n % 256) + 256) % 256
}

export async function runExitProbe(spec: ExitProbeSpec, ctx: ProbeRunContext): Promise<ProbeResult> {
  const { clock, vm } = ctx
  const started = clock.now()
  const waker = new Waker(clock)
  let fromLine: { n: number; value: number; atMs: number } | null = null
  const unsubscribe = vm.onConsoleLine(line => {
    if (fromLine) return
    const m = MAIN_RETURNED.exec(cleanLine(line.text))
    if (m) {
      fromLine = { n: line.n, value: Number(m[1]), atMs: line.atMs }
      waker.wake()
    }
  })
  void ctx.whenEnded.then(() => waker.wake())
  const graceUntil = ctx.stopRequested ? started + EXIT_GRACE_MS : Infinity
  const sent = `expect exit status ${spec.code}`
  const decide = (status: number, received: string, atMs: number): ProbeResult => {
    const passed = status === spec.code
    return result(
      passed,
      received,
      atMs,
      passed ? undefined : `expected exit status ${spec.code}, got ${status}`
    )
  }
  const result = (passed: boolean, received: string, atMs: number, note?: string): ProbeResult => ({
    kind: 'exit',
    target: spec.target,
    input: spec.input,
    passed,
    attempts: 1,
    durationMs: Math.round(clock.now() - started),
    readyAtMs: passed ? atMs : null,
    evidence: { sent, received, atMs, ...(note ? { note } : {}) }
  })
  const unknown = (why: string): ProbeResult =>
    result(false, 'exit status unknown', vm.elapsedMs(), `exit status unknown: ${why}`)
  try {
    for (;;) {
      if (fromLine) {
        const l: { n: number; value: number; atMs: number } = fromLine
        return decide(asStatus(l.value), `line ${l.n}: main returned ${l.value}`, l.atMs)
      }
      if (ctx.isEnded()) {
        const end = await ctx.whenEnded
        if (end && end.guestExit !== null) {
          return decide(end.guestExit, `the guest reported exit status ${end.guestExit}`, vm.elapsedMs())
        }
        const lines = vm.consoleText().split('\n')
        for (let i = 0; i < lines.length; i++) {
          const m = MAIN_RETURNED.exec(cleanLine(lines[i]))
          if (m) return decide(asStatus(Number(m[1])), `line ${i + 1}: main returned ${m[1]}`, vm.elapsedMs())
        }
        return unknown(
          `${describeEnd(end)} without reporting one (no 'main returned N' line, no guest status)`
        )
      }
      const now = clock.now()
      if (now >= graceUntil) {
        // The ELF loader never powers off: the matched output was the end of the program.
        await vm.stop()
        await ctx.whenEnded
        continue
      }
      if (now >= ctx.deadlineAt) {
        return unknown(`the program had not exited after ${Math.round(now - started)} ms (deadline)`)
      }
      await waker.wait(Math.min(graceUntil, ctx.deadlineAt) - now)
    }
  } finally {
    unsubscribe()
  }
}
