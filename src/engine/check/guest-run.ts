// One boot of the app on one guest (Unikraft, or the Linux baseline): start the VM, run the probes,
// stop it, read its evidence, diagnose, decide. Always returns what it saw, even when probes throw.
import { readFile } from 'node:fs/promises'
import { diagnose } from '../diagnose/index.js'
import { InfrastructureError } from '../errors.js'
import type { Finding } from '../finding.js'
import { computeVerdict, runProbes, type ProbeResult, type ProbeSpec, type Verdict } from '../probe/index.js'
import { startKraftVm } from '../kraft/kraft-runner.js'
import { startVm } from '../vm/index.js'
import type { GuestKind, PortForward, VmResult } from '../vm/vm-types.js'
import type { CheckOptions } from '../config/check-options.js'
import type { EngineDeps } from './engine-deps.js'
import { startServices } from './host-services.js'

export interface GuestRunInput {
  guest: GuestKind
  kernel: string
  /** The app's root filesystem as cpio; absent for a native Unikraft image. */
  initrd?: string
  linuxModulesDir?: string | null
  cmd: string[]
  env: Record<string, string>
  workdir: string | null
  ports: PortForward[]
  probes: ProbeSpec[]
  preflight: Finding[]
  options: CheckOptions
  outDir: string
  /** `runner: kraft` on Unikraft: the kraft binary to run the VM with (`kraft run`). */
  kraftPath?: string | null
  /** Linux only: run the command under strace, its trace in `strace.log` apart from the console. */
  trace?: boolean
}

export interface GuestRun {
  guest: GuestKind
  vm: VmResult | null
  probes: ProbeResult[]
  findings: Finding[]
  verdict: Verdict
  summary: string
  /** Verdict `error` only: why this run could not be judged (for the differential). */
  errorText: string | null
  /** ms from run start to QEMU's spawn. */
  launchAtMs: number
  error: unknown
}

export async function runOnGuest(
  input: GuestRunInput,
  deps: EngineDeps,
  runStart: number
): Promise<GuestRun> {
  const { options } = input
  const launchAtMs = deps.clock.now() - runStart
  // Host services listen before the guest boots, and stop after it (their logs stay in outDir).
  const services =
    options.services.length > 0 ? await startServices(options.services, input.outDir, deps.logger) : null
  try {
    return await bootAndProbe(input, deps, launchAtMs)
  } finally {
    await services?.stop()
  }
}

async function bootAndProbe(input: GuestRunInput, deps: EngineDeps, launchAtMs: number): Promise<GuestRun> {
  const { options } = input
  const useKraft = options.runner === 'kraft' && input.guest === 'unikraft' && input.kraftPath
  const vm = useKraft
    ? await startKraftVm(
        {
          kraftPath: input.kraftPath!,
          target: input.kernel,
          initrd: input.initrd,
          cmd: input.cmd,
          env: input.env,
          memoryMiB: options.memoryMiB,
          ports: input.ports,
          accel: options.accel,
          timeoutMs: options.timeoutMs,
          outDir: input.outDir
        },
        { runner: deps.runner, logger: deps.logger, clock: deps.clock }
      )
    : await startVm(
        {
          guest: input.guest,
          kernel: input.kernel,
          initrd: input.initrd,
          cmd: input.cmd,
          env: input.env,
          cwd: input.workdir ?? undefined,
          memoryMiB: options.memoryMiB,
          ports: input.ports,
          network: options.services.length > 0,
          accel: options.accel,
          timeoutMs: options.timeoutMs,
          outDir: input.outDir,
          linuxModulesDir: input.linuxModulesDir ?? undefined,
          trace: input.trace
        },
        {
          logger: deps.logger,
          runner: deps.runner,
          clock: deps.clock,
          cacheDir: deps.cacheDir,
          signal: deps.signal
        }
      )
  deps.progress?.({
    phase: 'probes',
    state: 'start',
    message: `probing (${input.probes.map(p => p.target).join(', ') || 'waiting for the program to end'})`
  })
  let probes: ProbeResult[] = []
  let error: unknown = undefined
  try {
    if (input.probes.length > 0) {
      probes = await runProbes(input.probes, vm, {
        deadlineMs: options.timeoutMs,
        clock: deps.clock,
        logger: deps.logger,
        runner: deps.runner,
        // Only the baseline's init reports every exit; Unikraft reports one only if its kernel prints it.
        guestReportsExit: input.guest === 'linux'
      })
    }
  } catch (err) {
    error = err
  } finally {
    // Servers never exit by themselves: once the probes have their answer the VM is stopped. With
    // no probe, a run-to-completion program is waited for (the runner's deadline bounds the wait).
    if (!vm.ended && input.probes.length > 0) await vm.stop()
  }
  const result = await vm.done
  if (result.killedFromOutside && error === undefined) {
    // Neither the guest nor this run ended it: QEMU was killed (OOM killer, a job timeout, a person).
    error = new InfrastructureError(
      `QEMU was ended by ${result.qemuSignal} from outside this check at ${result.timeline.exitMs ?? '?'} ms; the app was not judged`,
      'Something on this machine killed QEMU: the kernel OOM killer (see `dmesg`), a job or runner timeout, or another process. Rerun; give the guest less memory if the OOM killer did it.'
    )
  }
  if (result.networkProblem && error === undefined) {
    // The probes had no way to reach the app: whatever they saw says nothing about it.
    error = new InfrastructureError(
      `the Linux baseline guest had no network: ${result.networkProblem}`,
      'This is a problem of the baseline kernel, not of the app: the log names the kernel package. ' +
        'Run with baseline: never to skip the baseline, or report it.'
    )
  }
  const passed = probes.filter(p => p.passed).length
  deps.progress?.({
    phase: 'probes',
    state: passed === input.probes.length && !error ? 'done' : 'failed',
    message: `${passed}/${input.probes.length} probe(s) passed, VM ${result.reason}`,
    elapsedMs: result.timeline.exitMs ?? undefined
  })
  const t0 = deps.clock.now()
  deps.progress?.({ phase: 'diagnose', state: 'start', message: 'reading the console log' })
  const consoleBytes = await readFile(result.consoleLog).catch(() => Buffer.alloc(0))
  const qemuStderr = await readFile(result.qemuStderrLog, 'utf8').catch(() => '')
  const findings = diagnose({
    console: consoleBytes,
    qemuStderr,
    qemuExit: result.qemuExit,
    qmpEvents: result.qmpEvents,
    preflight: input.preflight,
    probes: probes.map(p => ({
      kind: p.kind,
      target: p.target,
      passed: p.passed,
      inconclusive: p.inconclusive,
      evidence: p.evidence.note ?? p.evidence.received
    })),
    guest: input.guest,
    vmEnd: result.reason
  })
  const v = computeVerdict({ probes, findings, allow: options.allow, infraError: error })
  deps.progress?.({
    phase: 'diagnose',
    state: 'done',
    message: `${findings.filter(f => f.severity === 'error').length} error finding(s)`,
    elapsedMs: deps.clock.now() - t0
  })
  return {
    guest: input.guest,
    vm: result,
    probes,
    findings: v.findings,
    verdict: v.verdict,
    summary: v.summary,
    errorText: v.verdict === 'error' ? (v.errorText ?? v.summary) : null,
    launchAtMs,
    error
  }
}
