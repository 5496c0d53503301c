// Starts a guest under QEMU and watches it to the end: console (file + timestamped lines), QEMU's
// stderr, QMP events, deadlines, and a teardown that always completes (QMP quit, SIGTERM, SIGKILL
// of QEMU's process group, within 2 s). Every input is checked before anything is started.
import { spawn } from 'node:child_process'
import { RUN_FILES } from '../run-files.js'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, writeSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { systemClock, type Clock } from '../clock.js'
import { nodeCommandRunner, type CommandRunner } from '../command-runner.js'
import { InfrastructureError } from '../errors.js'
import type { Logger } from '../logger.js'
import { resolveAccel } from './accel.js'
import { ConsoleCapture } from './console-capture.js'
import { guestCmdline } from './guest-cmdline.js'
import { linuxMemoryMiB, prepareLinuxGuest } from './linux-guest.js'
import { findHostStrace } from './linux-strace.js'
import { allocateHostPorts, HOST_ADDRESS } from './port-forwards.js'
import { buildQemuArgv, QEMU_BINARY } from './qemu-argv.js'
import { qemuVersion } from './qemu-binary.js'
import { QmpClient } from './qmp-client.js'
import { checkInitrdFile, checkKernelFile, checkSpecShape } from './spec-check.js'
import { guestAcceptedIn } from './usernet.js'
import {
  decideEndReason,
  debugExitHint,
  isBannerLine,
  isCrashLine,
  parseGuestExitLine,
  type EndEvidence
} from './vm-end.js'
import { registerVm, writePidFile } from './vm-registry.js'
import type { ConsoleLine, VmHandle, VmResult, VmSpec } from './vm-types.js'

export const DEFAULT_BOOT_TIMEOUT_MS = 30_000
/** Each step of the teardown; all three fit in the 2 s promise. */
const QUIT_GRACE_MS = 700
const TERM_GRACE_MS = 500
const QMP_CONNECT_TIMEOUT_MS = 10_000
const STDERR_TAIL = 64 * 1024

export interface VmDeps {
  logger: Logger
  runner?: CommandRunner
  clock?: Clock
  /** Bound of the KVM proof boot for accel auto/kvm. */
  kvmProbeTimeoutMs?: number
  /** Linux baseline: a static busybox (default: the host's, else busybox-static fetched into cacheDir). */
  busybox?: string
  /** Linux baseline: where busybox-static is fetched when the host has none. */
  cacheDir?: string
  /** Linux baseline with `trace`: the host's strace (default: the first on PATH). */
  strace?: string
  /** Aborting stops the VM like stop(). */
  signal?: AbortSignal
}

type StopCause = NonNullable<EndEvidence['stopCause']>

/** Unix socket paths are limited to about 108 bytes; a long outDir gets its socket in the temp dir. */
function qmpSocketPath(outDir: string): string {
  const inOut = join(outDir, RUN_FILES.qmpSocket)
  return Buffer.byteLength(inOut) <= 100
    ? inOut
    : join(tmpdir(), `ukc-qmp-${randomBytes(6).toString('hex')}.sock`)
}

export async function startVm(spec: VmSpec, deps: VmDeps): Promise<VmHandle> {
  const clock = deps.clock ?? systemClock
  const runner = deps.runner ?? nodeCommandRunner
  const t0 = clock.now()
  const elapsed = (): number => Math.round(clock.now() - t0)
  const log = deps.logger

  // 1. Input, before anything runs.
  checkSpecShape(spec)
  await checkKernelFile(spec.kernel)
  if (spec.initrd !== undefined) await checkInitrdFile(spec.initrd, spec.guest)
  const network = spec.network === true || spec.ports.length > 0
  const append = guestCmdline(spec, network, log)
  // A traced Linux baseline needs the host's strace: missing, the run ends here.
  const strace = spec.guest === 'linux' && spec.trace ? (deps.strace ?? (await findHostStrace())) : undefined

  // 2. The machine: QEMU present, accelerator decided.
  const binary = spec.qemuBinary ?? QEMU_BINARY
  const version = await qemuVersion(binary, runner)
  const accel = await resolveAccel(spec.accel, { qemuBinary: binary, probeTimeoutMs: deps.kvmProbeTimeoutMs })
  log.info(`VM: QEMU ${version ?? '(version unknown)'}, ${accel.accel.toUpperCase()} (${accel.reason})`)

  // 3. Files and ports.
  const outDir = resolve(spec.outDir)
  await mkdir(outDir, { recursive: true })
  const pidFile = join(outDir, RUN_FILES.qemuPid)
  const qmpPath = qmpSocketPath(outDir)
  await rm(qmpPath, { force: true })
  // The Linux baseline's own initrd (and trace file); a Unikraft guest boots the given files as they are.
  const linux =
    spec.guest === 'linux'
      ? await prepareLinuxGuest(spec, outDir, network, { ...deps, runner, strace })
      : { initrd: spec.initrd, networkProblem: null, traceFile: null }
  const forwards = await allocateHostPorts(spec.ports)
  const ports: Record<number, number> = Object.fromEntries(forwards.map(f => [f.guest, f.host]))
  const argv = buildQemuArgv({
    binary,
    accel: accel.accel,
    memoryMiB: spec.guest === 'linux' ? linuxMemoryMiB(spec.memoryMiB) : spec.memoryMiB,
    console: 'stdio',
    kernel: spec.kernel,
    initrd: linux.initrd,
    append,
    hostForwards: forwards,
    network,
    qmpSocket: qmpPath,
    startPaused: true,
    ...(linux.traceFile !== null ? { traceFile: linux.traceFile } : {})
  })
  log.debug(`VM: ${JSON.stringify(argv)}`)

  const consoleLog = join(outDir, RUN_FILES.console)
  const qemuStderrLog = join(outDir, RUN_FILES.qemuStderr)
  const capture = new ConsoleCapture({ path: consoleLog, cap: spec.consoleCap, now: elapsed })
  const stderrFd = openSync(qemuStderrLog, 'w')
  let stderrTail = ''
  const noteStderr = (text: string): void => {
    writeSync(stderrFd, text)
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL)
  }

  // 4. Launch. Detached: QEMU leads its own process group, which is what the teardown kills.
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  // Listen for the end at once: a QEMU that fails at start-up (a kernel it refuses) can exit while
  // the code below still awaits, and a ChildProcess does not replay 'exit' or 'close' to late
  // listeners: the run would then never end.
  let exited = false
  let exitAtMs: number | null = null
  let markExited!: () => void
  const exitedPromise = new Promise<void>(r => (markExited = r))
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
    child.once('close', (code, signal) => resolve({ code, signal }))
  )
  child.once('exit', () => {
    exited = true
    exitAtMs = elapsed()
    markExited()
  })
  try {
    await new Promise<void>((ok, fail) => {
      child.once('spawn', ok)
      child.once('error', fail)
    })
  } catch (e) {
    capture.finish()
    closeSync(stderrFd)
    throw new InfrastructureError(`could not start ${binary}: ${(e as Error).message}`, undefined, {
      cause: e
    })
  }
  const pid = child.pid as number
  const timeline: VmResult['timeline'] = {
    spawnMs: elapsed(),
    firstOutputMs: null,
    bannerMs: null,
    readyMs: null,
    exitMs: null
  }
  const qmpEvents: VmResult['qmpEvents'] = []
  const shutdownReasons: string[] = []
  let guestExit: number | null = null
  let sawCrashLine = false
  let stopCause: StopCause | null = null
  let stopping = false
  let qmp: QmpClient | null = null
  const timers: NodeJS.Timeout[] = []

  let resolveDone!: (r: VmResult) => void
  const done = new Promise<VmResult>(r => (resolveDone = r))

  capture.onLine((line: ConsoleLine) => {
    if (timeline.bannerMs === null && isBannerLine(line.text, spec.guest)) timeline.bannerMs = line.atMs
    if (spec.guest === 'linux') {
      const n = parseGuestExitLine(line.text)
      if (n !== null) guestExit = n
    }
    if (isCrashLine(line.text)) sawCrashLine = true
  })
  child.stdout.on('data', (d: Buffer) => {
    capture.push(d)
    if (timeline.firstOutputMs === null) timeline.firstOutputMs = capture.firstOutputMs
  })
  child.stderr.on('data', (d: Buffer) => noteStderr(d.toString('utf8')))

  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal)
    } catch {
      // already gone
    }
  }
  const waitExit = (ms: number): Promise<boolean> =>
    Promise.race([exitedPromise.then(() => true), new Promise<boolean>(r => setTimeout(() => r(false), ms))])

  const escalate = async (): Promise<void> => {
    if (qmp && !qmp.isClosed) {
      qmp.execute('quit', undefined, { timeoutMs: QUIT_GRACE_MS }).catch(() => {})
      if (await waitExit(QUIT_GRACE_MS)) return
    }
    killGroup('SIGTERM')
    if (await waitExit(TERM_GRACE_MS)) return
    killGroup('SIGKILL')
  }
  const terminate = (cause: StopCause): Promise<VmResult> => {
    if (!exited && stopCause === null) stopCause = cause
    if (!exited && !stopping) {
      stopping = true
      void escalate()
    }
    return done
  }

  const unregister = registerVm({ pid, stop: () => terminate('killed') })
  try {
    await writePidFile(pidFile, pid, qmpPath)
  } catch (e) {
    log.warning(
      `VM: could not write ${pidFile} (${(e as Error).message}); a cancelled run may leave QEMU behind`
    )
  }
  const onAbort = (): void => void terminate('killed')
  if (deps.signal?.aborted) onAbort()
  deps.signal?.addEventListener('abort', onAbort, { once: true })

  timers.push(setTimeout(() => void terminate('deadline'), Math.max(0, spec.timeoutMs - elapsed())))

  void closed.then(({ code, signal }) => {
    exited = true
    timeline.exitMs = exitAtMs ?? elapsed()
    markExited()
    for (const t of timers) clearTimeout(t)
    deps.signal?.removeEventListener('abort', onAbort)
    capture.finish()
    timeline.firstOutputMs = capture.firstOutputMs
    closeSync(stderrFd)
    qmp?.close()
    unregister()
    const reason = decideEndReason({
      stopCause,
      events: qmpEvents.map(e => e.event),
      shutdownReasons,
      qemuExit: code,
      qemuSignal: signal,
      sawOutput: capture.firstOutputMs !== null,
      sawCrashLine
    })
    const result: VmResult = {
      reason,
      qemuExit: code,
      qemuSignal: signal,
      killedFromOutside: signal !== null && stopCause === null,
      guestExit,
      debugExit: debugExitHint(code),
      accel: accel.accel,
      accelReason: accel.reason,
      qemuVersion: version,
      qmpEvents,
      timeline,
      ports,
      consoleLog,
      qemuStderrLog,
      consoleTruncated: capture.truncated,
      argv,
      networkProblem: linux.networkProblem,
      traceFile: linux.traceFile
    }
    void Promise.all([rm(pidFile, { force: true }), rm(qmpPath, { force: true })]).finally(() =>
      resolveDone(result)
    )
  })

  // 5. Control channel, then let the guest run (it was started paused so no event is missed).
  try {
    qmp = await QmpClient.connect(qmpPath, { timeoutMs: QMP_CONNECT_TIMEOUT_MS, shouldStop: () => exited })
    qmp.onEvent(e => {
      qmpEvents.push({ event: e.event, atMs: elapsed(), ...(e.data !== undefined ? { data: e.data } : {}) })
      if (e.event === 'SHUTDOWN') {
        const r = (e.data as { reason?: string } | undefined)?.reason
        if (r) shutdownReasons.push(r)
      }
      // A paused guest (KVM internal error, panic with the pause action) never resumes: end now.
      if (e.event === 'STOP' && !stopping) void terminate('stopped')
    })
    await qmp.execute('cont', undefined, { timeoutMs: 5000 })
    const bootTimeout = spec.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS
    timers.push(
      setTimeout(() => {
        if (capture.firstOutputMs === null) void terminate('boot-timeout')
      }, bootTimeout)
    )
    if (exited) for (const t of timers) clearTimeout(t)
  } catch (e) {
    if (!exited) {
      noteStderr(`[unikraft-compat] QMP control socket failed: ${(e as Error).message}\n`)
      log.warning(`VM: QMP control socket failed (${(e as Error).message}); stopping QEMU`)
      void terminate('qemu-error')
    }
  }

  const handle: VmHandle = {
    hostAddress: HOST_ADDRESS,
    ports,
    onConsoleLine: cb => capture.onLine(cb),
    consoleText: () => capture.text(),
    elapsedMs: elapsed,
    get ended() {
      return exited
    },
    done,
    async guestAccepted(guestPort: number): Promise<boolean> {
      if (exited || !qmp || qmp.isClosed) return false
      try {
        return guestAcceptedIn(await qmp.humanMonitorCommand('info usernet', { timeoutMs: 2000 }), guestPort)
      } catch (e) {
        if (exited || qmp.isClosed) return false
        throw e
      }
    },
    markReady() {
      if (timeline.readyMs === null) timeline.readyMs = elapsed()
    },
    stop: (reason: 'killed' = 'killed') => terminate(reason)
  }
  return handle
}
