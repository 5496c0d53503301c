// Runs the probes against a running VM, in order, from launch: each starts when the one before passed;
// after a failure the rest are reported as not run. Marks time-to-ready when the last readiness probe
// passes, and stops the VM at the end when a console probe asked for it (the ELF loader never powers off).
import { type Clock, systemClock } from '../clock.js'
import { type CommandRunner, nodeCommandRunner } from '../command-runner.js'
import { type Logger, silentLogger } from '../logger.js'
import type { VmHandle, VmResult } from '../vm/vm-types.js'
import type { AttemptOutcome } from './attempt.js'
import { commandAttempt, probeEnvironment } from './command-probe.js'
import { runConsoleProbe } from './console-probe.js'
import { runExitProbe } from './exit-probe.js'
import { httpAttempt } from './http-probe.js'
import { pollProbe } from './poll.js'
import type { ProbeResult, ProbeSpec } from './probe-types.js'
import { redisAttempt } from './redis-probe.js'
import type { ProbeRunContext } from './run-context.js'
import { tcpAttempt } from './tcp-probe.js'

/** Protocol attempts in flight at once per probe. */
const CONCURRENCY = 4

export interface RunProbesOptions {
  /** How long the probes may take in all, from this call (the VM's own deadline also ends them). */
  deadlineMs: number
  clock?: Clock
  logger?: Logger
  /** Runs `command:` probes (default: node's spawn, no shell). */
  runner?: CommandRunner
  /** See ProbeRunContext.guestReportsExit (default true). */
  guestReportsExit?: boolean
}

/** Probes that wait for the app to come up; time-to-ready is when the last of them passes. */
export function isReadinessProbe(spec: ProbeSpec): boolean {
  return spec.kind !== 'exit' && (spec.kind !== 'command' || spec.retry)
}

export async function runProbes(
  specs: readonly ProbeSpec[],
  vm: VmHandle,
  opts: RunProbesOptions
): Promise<ProbeResult[]> {
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? silentLogger
  let hasOutput = false
  let ended = false
  const listeners = new Set<() => void>()
  const unsubscribe = vm.onConsoleLine(() => {
    hasOutput = true
    for (const l of listeners) l()
  })
  const whenEnded: Promise<VmResult | null> = vm.done.then(
    r => r,
    () => null
  )
  void whenEnded.then(() => {
    ended = true
  })
  const ctx: ProbeRunContext = {
    vm,
    clock,
    logger,
    runner: opts.runner ?? nodeCommandRunner,
    deadlineAt: clock.now() + opts.deadlineMs,
    hasOutput: () => hasOutput,
    onLine: cb => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    isEnded: () => ended || vm.ended,
    whenEnded,
    guestReportsExit: opts.guestReportsExit ?? true,
    stopRequested: false
  }
  const lastReadiness = specs.reduce((last, s, i) => (isReadinessProbe(s) ? i : last), -1)
  const results: ProbeResult[] = []
  let failed: ProbeResult | null = null
  try {
    for (const [i, spec] of specs.entries()) {
      if (failed) {
        results.push(notRun(spec, failed, vm.elapsedMs()))
        continue
      }
      const r = await runOne(spec, ctx)
      results.push(r)
      if (r.passed) {
        logger.info(
          `${spec.input} ${spec.target}: passed at ${r.readyAtMs} ms after ${r.attempts} attempt(s)`
        )
        if (i === lastReadiness) vm.markReady()
      } else {
        logger.info(
          `${spec.input} ${spec.target}: failed after ${r.attempts} attempt(s): ${r.evidence.note ?? ''}`
        )
        failed = r
      }
    }
    if (ctx.stopRequested && !ctx.isEnded()) {
      logger.debug('stopping the VM: a console probe matched and asked for it')
      await vm.stop()
    }
  } finally {
    unsubscribe()
  }
  return results
}

function runOne(spec: ProbeSpec, ctx: ProbeRunContext): Promise<ProbeResult> {
  const host = ctx.vm.hostAddress
  const hostPortOf = (guest: number): number => {
    const p = ctx.vm.ports[guest]
    // guestPortsOf() makes the runner forward every probe port; a missing one is a wiring bug.
    if (p === undefined)
      throw new Error(`guest port ${guest} is not forwarded (ports: ${JSON.stringify(ctx.vm.ports)})`)
    return p
  }
  const poll = (
    timeout: number | null,
    attempt: (signal: AbortSignal, timeoutMs: number) => Promise<AttemptOutcome>,
    concurrency = CONCURRENCY
  ): Promise<ProbeResult> => pollProbe(spec, ctx, { concurrency, attemptTimeoutMs: timeout }, attempt)
  switch (spec.kind) {
    case 'redis': {
      const hostPort = hostPortOf(spec.port)
      return poll(spec.attemptTimeoutMs, (signal, timeoutMs) =>
        redisAttempt(spec, { host, hostPort, signal, timeoutMs })
      )
    }
    case 'http': {
      const hostPort = hostPortOf(spec.port)
      return poll(spec.attemptTimeoutMs, (signal, timeoutMs) =>
        httpAttempt(spec, { host, hostPort, signal, timeoutMs })
      )
    }
    case 'tcp': {
      const hostPort = hostPortOf(spec.port)
      const guestAccepted = (port: number): Promise<boolean> => ctx.vm.guestAccepted(port)
      return poll(spec.attemptTimeoutMs, (signal, timeoutMs) =>
        tcpAttempt(spec, { host, hostPort, signal, timeoutMs, guestAccepted })
      )
    }
    case 'console':
      return runConsoleProbe(spec, ctx)
    case 'exit':
      return runExitProbe(spec, ctx)
    case 'command': {
      const env = probeEnvironment(host, ctx.vm.ports)
      const attempt = (signal: AbortSignal, timeoutMs: number): Promise<AttemptOutcome> =>
        commandAttempt(spec, { env, signal, timeoutMs, runner: ctx.runner })
      if (spec.retry) return poll(spec.attemptTimeoutMs ?? 10_000, attempt, 1)
      return runOnce(spec, ctx, attempt)
    }
  }
}

/** A command probe without retry: a test, run once whatever the VM's state, its output kept. */
async function runOnce(
  spec: ProbeSpec & { kind: 'command' },
  ctx: ProbeRunContext,
  attempt: (signal: AbortSignal, timeoutMs: number) => Promise<AttemptOutcome>
): Promise<ProbeResult> {
  const started = ctx.clock.now()
  const left = Math.max(1, Math.round(ctx.deadlineAt - started))
  let outcome: AttemptOutcome
  try {
    outcome = await attempt(new AbortController().signal, Math.min(spec.attemptTimeoutMs ?? left, left))
  } catch (e) {
    outcome = {
      passed: false,
      evidence: { note: `could not run: ${e instanceof Error ? e.message : String(e)}` }
    }
  }
  const atMs = ctx.vm.elapsedMs()
  return {
    kind: spec.kind,
    target: spec.target,
    input: spec.input,
    passed: outcome.passed,
    attempts: 1,
    durationMs: Math.round(ctx.clock.now() - started),
    readyAtMs: outcome.passed ? atMs : null,
    evidence: { ...outcome.evidence, atMs },
    ...(outcome.output ? { output: outcome.output } : {})
  }
}

function notRun(spec: ProbeSpec, failed: ProbeResult, atMs: number): ProbeResult {
  return {
    kind: spec.kind,
    target: spec.target,
    input: spec.input,
    passed: false,
    attempts: 0,
    durationMs: 0,
    readyAtMs: null,
    evidence: { atMs, note: `not run: ${failed.input} (${failed.target}) failed first` }
  }
}
