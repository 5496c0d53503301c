// The exit probe: the program's exit status as the guest reported it (the Linux baseline's status, in
// VmResult.guestExit), as a Unikraft kernel that reports exits printed it (`exit_group(N) = ?`, the
// form strace gives the call that never returns), or as Unikraft logged it (`main returned N`, Info
// level). A status that never showed is never guessed (a Unikraft halt code is not the app's): on a
// guest that always reports it, that is a failure; on Unikraft (0.16.x discards the status and
// never powers off) it is unknown, and the probe is inconclusive.
import type { ExitProbeSpec, ProbeResult } from './probe-types.js'
import { type ProbeRunContext, cleanLine, describeEnd, watchResult } from './run-context.js'
import { Waker } from './waker.js'

const MAIN_RETURNED = /\bmain returned (-?\d+)/
/** Anchored at the line's end: app output printed without a newline may stand before it. */
const EXIT_GROUP = /exit_group\((-?\d+)\)\s*=\s*\?\s*$/

/** `line N: exit_group(3) = ?` or `line N: main returned 3`, with the status it gives. */
function statusLine(text: string): { value: number; shown: string } | null {
  const clean = cleanLine(text)
  const g = EXIT_GROUP.exec(clean)
  if (g) return { value: Number(g[1]), shown: `exit_group(${g[1]}) = ?` }
  const m = MAIN_RETURNED.exec(clean)
  return m ? { value: Number(m[1]), shown: `main returned ${m[1]}` } : null
}

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
  let fromLine: { n: number; value: number; shown: string; atMs: number } | null = null
  const unsubscribe = vm.onConsoleLine(line => {
    if (fromLine) return
    const s = statusLine(line.text)
    if (s) {
      fromLine = { n: line.n, ...s, atMs: line.atMs }
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
  const result = (passed: boolean, received: string, atMs: number, note?: string): ProbeResult =>
    watchResult(spec, { clock, startedAt: started, sent }, { passed, atMs, received, note })
  const unknown = (why: string): ProbeResult => {
    const r = result(false, 'exit status unknown', vm.elapsedMs(), `exit status unknown: ${why}`)
    return ctx.guestReportsExit ? r : { ...r, inconclusive: true }
  }
  try {
    for (;;) {
      if (fromLine) {
        const l: { n: number; value: number; shown: string; atMs: number } = fromLine
        return decide(asStatus(l.value), `line ${l.n}: ${l.shown}`, l.atMs)
      }
      if (ctx.isEnded()) {
        const end = await ctx.whenEnded
        if (end && end.guestExit !== null) {
          return decide(end.guestExit, `the guest reported exit status ${end.guestExit}`, vm.elapsedMs())
        }
        const lines = vm.consoleText().split('\n')
        for (let i = 0; i < lines.length; i++) {
          const s = statusLine(lines[i])
          if (s) return decide(asStatus(s.value), `line ${i + 1}: ${s.shown}`, vm.elapsedMs())
        }
        return unknown(
          `${describeEnd(end)} without reporting one (no 'exit_group(N) = ?' or 'main returned N' line, no guest status)`
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
        const waited = Math.round(now - started)
        return unknown(
          ctx.guestReportsExit
            ? `the program had not exited after ${waited} ms (deadline)`
            : `no exit was reported within ${waited} ms (deadline); this kernel prints no 'exit_group(N) = ?' line, and Unikraft 0.16.x neither reports a program's exit status nor powers off after it, so the program may have exited long before`
        )
      }
      await waker.wait(Math.min(graceUntil, ctx.deadlineAt) - now)
    }
  } finally {
    unsubscribe()
  }
}
