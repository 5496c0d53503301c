// The command probe: a host program (argv, no shell unless the user's argv starts one) that passes on
// exit 0. It finds the VM through HOST and PORT_<guest port>=<host port>; its output is kept.
import type { CommandRunner } from '../command-runner.js'
import type { AttemptOutcome } from './attempt.js'
import type { CommandProbeSpec } from './probe-types.js'
import { quoteWord } from './parse-probe.js'
import { showBytes } from './socket-exchange.js'

/** Output kept per stream (the tail): enough for a test run's summary in the artifacts. */
const OUTPUT_CAP = 256 * 1024

export function probeEnvironment(host: string, ports: Record<number, number>): Record<string, string> {
  const env: Record<string, string> = { HOST: host }
  for (const [guest, hostPort] of Object.entries(ports)) env[`PORT_${guest}`] = String(hostPort)
  return env
}

export async function commandAttempt(
  spec: CommandProbeSpec,
  ctx: { env: Record<string, string>; timeoutMs: number; signal: AbortSignal; runner: CommandRunner }
): Promise<AttemptOutcome> {
  const sent = spec.argv.map(quoteWord).join(' ')
  const r = await ctx.runner.run(spec.argv, {
    env: ctx.env,
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    maxBuffer: OUTPUT_CAP
  })
  const output = { stdout: r.stdout, stderr: r.stderr, exitCode: r.code, signal: r.signal }
  const lastLine = (r.stderr.trim() || r.stdout.trim()).split('\n').pop() ?? ''
  const received = `exit ${r.code ?? `signal ${r.signal}`}${lastLine ? `; last output: ${showBytes(lastLine, 200)}` : ''}`
  if (r.code === 0) return { passed: true, evidence: { sent, received }, output }
  const note = r.timedOut
    ? `killed after ${ctx.timeoutMs} ms`
    : r.code === null
      ? `killed by ${r.signal}`
      : `exited with status ${r.code}`
  return { passed: false, evidence: { sent, received, note }, output }
}
