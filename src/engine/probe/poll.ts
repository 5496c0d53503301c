// The readiness loop for the polled probes (redis, http, tcp, command with retry). Starts at once,
// backs off while the guest has printed nothing, then starts an attempt every 25 ms. Attempts overlap
// (up to `concurrency`), so one that hangs on a connection QEMU accepted on the guest's behalf does not
// delay the next; the first to pass wins and the rest are abandoned. Ends early when the VM ends.
import type { AttemptOutcome } from './attempt.js'
import type { ProbeEvidence, ProbeResult, ProbeSpec } from './probe-types.js'
import { type ProbeRunContext, describeEnd } from './run-context.js'
import { Waker } from './waker.js'

/** Between attempt starts once the guest has printed anything. */
export const POLL_INTERVAL_MS = 25
/** Before the first console output: the guest cannot be serving yet. */
const BACKOFF_START_MS = 50
const BACKOFF_MAX_MS = 1000

export interface PollOptions {
  /** Attempts in flight at once. */
  concurrency: number
  /** Per-attempt limit; null = the time left. */
  attemptTimeoutMs: number | null
}

export async function pollProbe(
  spec: ProbeSpec,
  ctx: ProbeRunContext,
  opts: PollOptions,
  attempt: (signal: AbortSignal, timeoutMs: number) => Promise<AttemptOutcome>
): Promise<ProbeResult> {
  const { clock, vm, logger } = ctx
  const started = clock.now()
  const stopAll = new AbortController()
  const waker = new Waker(clock)
  let attempts = 0
  let inFlight = 0
  // An object, not a `let`: attempts settle in callbacks the type checker does not follow.
  const won: { winner: { outcome: AttemptOutcome; atMs: number } | null } = { winner: null }
  let last: ProbeEvidence | null = null
  let lastOutput: ProbeResult['output']
  let lastNote: string | undefined
  let sawOutput = ctx.hasOutput()
  let backoff = BACKOFF_START_MS
  let nextStart = started
  const unsubscribe = ctx.onLine(() => {
    if (!sawOutput) waker.wake()
  })
  void ctx.whenEnded.then(() => waker.wake())

  const result = (passed: boolean, evidence: ProbeEvidence, output = lastOutput): ProbeResult => ({
    kind: spec.kind,
    target: spec.target,
    input: spec.input,
    passed,
    attempts,
    durationMs: Math.round(clock.now() - started),
    readyAtMs: passed ? evidence.atMs : null,
    evidence,
    ...(output ? { output } : {})
  })
  const failed = (note: string): ProbeResult => {
    const ev: ProbeEvidence = last ? { ...last } : { atMs: vm.elapsedMs() }
    ev.note = last?.note ? `${note}; last attempt: ${last.note}` : note
    return result(false, ev)
  }

  try {
    for (;;) {
      const winner = won.winner
      if (winner)
        return result(true, { ...winner.outcome.evidence, atMs: winner.atMs }, winner.outcome.output)
      if (ctx.isEnded()) {
        const end = await ctx.whenEnded
        if (won.winner) continue
        return failed(`${describeEnd(end)} before ${spec.target} passed`)
      }
      const now = clock.now()
      if (now >= ctx.deadlineAt) {
        return failed(`${spec.target} did not pass within ${Math.round(now - started)} ms (deadline)`)
      }
      if (!sawOutput && ctx.hasOutput()) {
        sawOutput = true
        nextStart = Math.min(nextStart, now)
      }
      if (inFlight < opts.concurrency && now >= nextStart) {
        attempts++
        inFlight++
        const left = ctx.deadlineAt - now
        const timeoutMs = Math.max(1, Math.round(Math.min(opts.attemptTimeoutMs ?? left, left)))
        // Cut short by the deadline: its failure may only say that time ran out.
        const cutShort = opts.attemptTimeoutMs != null && left < opts.attemptTimeoutMs
        const n = attempts
        attempt(stopAll.signal, timeoutMs)
          .catch((e: unknown): AttemptOutcome => ({
            passed: false,
            evidence: { note: `attempt failed: ${e instanceof Error ? e.message : String(e)}` }
          }))
          .then(outcome => {
            const atMs = vm.elapsedMs()
            if (stopAll.signal.aborted) return
            if (outcome.passed) {
              won.winner ??= { outcome, atMs }
            } else if (!cutShort || last === null) {
              // The evidence of the last full attempt says more than one the deadline cut short.
              last = { ...outcome.evidence, atMs }
              lastOutput = outcome.output
              if (outcome.evidence.note !== lastNote) {
                lastNote = outcome.evidence.note
                logger.debug(
                  `${spec.input} ${spec.target}: attempt ${n} failed at ${Math.round(atMs)} ms: ${lastNote}`
                )
              }
            }
          })
          .finally(() => {
            inFlight--
            waker.wake()
          })
        nextStart = now + (sawOutput ? POLL_INTERVAL_MS : backoff)
        if (!sawOutput) backoff = Math.min(backoff * 2, BACKOFF_MAX_MS)
      }
      const untilNext = inFlight < opts.concurrency ? nextStart - clock.now() : Infinity
      await waker.wait(Math.min(untilNext, ctx.deadlineAt - clock.now()))
    }
  } finally {
    stopAll.abort()
    unsubscribe()
  }
}
