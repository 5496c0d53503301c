// `runner: kraft`: boots through `kraft run -d --rm` for people who want kraft's exact behaviour.
// The VM is kraft's, so the evidence comes from kraft's machine state directory
// (`<runtime>/<uid>/machine.log` = console, `qemu.log` = QEMU's output), copied as it grows because
// `kraft rm` (and `--rm`) deletes it; the end state comes from `kraft ps`. Everything else is the VM
// layer's, as for startVm: the input check, the host ports, the console capture (cap, marker), the
// banner line of the timeline.
import { randomBytes } from 'node:crypto'
import { appendFile, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../clock.js'
import type { CommandRunner, RunResult } from '../command-runner.js'
import type { Logger } from '../logger.js'
import { RUN_FILES } from '../run-files.js'
import { ConsoleCapture } from '../vm/console-capture.js'
import { allocateHostPorts, HOST_ADDRESS } from '../vm/port-forwards.js'
import { checkRunShape } from '../vm/spec-check.js'
import { isBannerLine } from '../vm/vm-end.js'
import type { PortForward, Timeline, VmEndReason, VmHandle, VmResult } from '../vm/vm-types.js'
import { kraftPsArgv, kraftRmArgv, kraftRunArgv, kraftStopArgv, type KraftRunArgs } from './kraft-argv.js'
import { kraftEnv } from './kraft-env.js'
import {
  accelFrom,
  alive,
  endProcess,
  findStateDir,
  MACHINE_FILES,
  readGrowth,
  readPid,
  readQemuArgv
} from './kraft-machine.js'
import { parseKraftPs, type KraftMachine } from './kraft-ps.js'
import { guestAcceptedFrom, hmpCommand, parseUsernet } from './qemu-monitor.js'

/** What to run: kraft run's arguments (kraft-argv.ts), with ports still to be given host ports. */
export interface KraftVmSpec extends Omit<KraftRunArgs, 'ports' | 'name'> {
  ports: PortForward[]
  timeoutMs: number
  bootTimeoutMs?: number
  /** Where console.log, qemu-stderr.log and kraft.log are written. */
  outDir: string
  consoleCap?: number
  /** kraft's runtime directory (default: a fresh short temp dir: QEMU's socket paths must stay < 108 bytes). */
  runtimeDir?: string
  name?: string
  qemuVersion?: string | null
}

export interface KraftVmDeps {
  runner: CommandRunner
  logger: Logger
  clock: Clock
  /** Console poll interval (default 100 ms). */
  pollMs?: number
}

export interface KraftVmHandle extends VmHandle {
  readonly name: string
  /** The machine's state directory while it exists. */
  readonly stateDir: string | null
  /** QEMU's command line as kraft built it (from /proc), when readable. */
  readonly qemuArgv: string[] | null
}

/**
 * Starts a VM through kraft. Bad input is refused before anything runs, with startVm's errors
 * (ConfigurationError). Failures of kraft itself end the handle at once with reason 'qemu-error'.
 */
export async function startKraftVm(spec: KraftVmSpec, deps: KraftVmDeps): Promise<KraftVmHandle> {
  const { runner, logger, clock } = deps
  const pollMs = deps.pollMs ?? 100
  const t0 = clock.now()
  const since = (): number => Math.round(clock.now() - t0)

  checkRunShape(spec)
  const forwards = await allocateHostPorts(spec.ports)
  const ports: Record<number, number> = Object.fromEntries(forwards.map(f => [f.guest, f.host]))
  const name = spec.name ?? `ukc-${randomBytes(4).toString('hex')}`
  const argv = kraftRunArgv({
    kraftPath: spec.kraftPath,
    target: spec.target,
    initrd: spec.initrd,
    cmd: spec.cmd,
    env: spec.env,
    memoryMiB: spec.memoryMiB,
    ports: forwards,
    accel: spec.accel,
    name,
    kernelArgs: spec.kernelArgs
  })

  await mkdir(spec.outDir, { recursive: true })
  const ownRuntime = !spec.runtimeDir
  const runtimeDir = spec.runtimeDir ?? (await mkdtemp(join(tmpdir(), 'ukc-kr-')))
  const env = kraftEnv({ runtimeDir })
  const consolePath = join(spec.outDir, RUN_FILES.console)
  const qemuLogPath = join(spec.outDir, RUN_FILES.qemuStderr)
  const kraftLogPath = join(spec.outDir, RUN_FILES.kraftLog)
  await writeFile(qemuLogPath, '')
  await writeFile(kraftLogPath, '')
  const kraftLog = (text: string): Promise<void> =>
    appendFile(kraftLogPath, text.endsWith('\n') ? text : text + '\n')
  /** A kraft command whose output goes to kraft.log; null when it could not run. */
  const runKraft = async (cmd: string[], timeoutMs: number): Promise<RunResult | null> => {
    try {
      const r = await runner.run(cmd, { env, timeoutMs })
      await kraftLog(`$ ${cmd.join(' ')}\n${r.stdout}${r.stderr}`)
      return r
    } catch (err) {
      logger.debug(`kraft ${cmd[1]} failed: ${(err as Error).message}`)
      return null
    }
  }

  const timeline: Timeline = {
    spawnMs: null,
    firstOutputMs: null,
    bannerMs: null,
    readyMs: null,
    exitMs: null
  }
  const capture = new ConsoleCapture({ path: consolePath, cap: spec.consoleCap, now: since })
  capture.onLine(line => {
    if (timeline.bannerMs === null && isBannerLine(line.text, 'unikraft')) timeline.bannerMs = line.atMs
  })
  let stateDir: string | null = null
  let qemuPid: number | null = null
  let qemuArgv: string[] | null = null
  let ended = false
  let endReason: VmEndReason | null = null
  let logOffset = 0
  let resolveDone!: (r: VmResult) => void
  const done = new Promise<VmResult>(r => (resolveDone = r))

  // One copy at a time: the poller and the end may both ask, and each must see the file's growth once.
  let pumping: Promise<void> = Promise.resolve()
  const pumpConsole = (): Promise<void> =>
    (pumping = pumping
      .then(async () => {
        if (!stateDir) return
        logOffset = await readGrowth(join(stateDir, MACHINE_FILES.console), logOffset, c => capture.push(c))
        timeline.firstOutputMs = capture.firstOutputMs
        // kraft may not have written it (yet); the empty copy then stays.
        await copyFile(join(stateDir, MACHINE_FILES.qemuLog), qemuLogPath).catch(() => {})
      })
      .catch((err: unknown) => logger.debug(`reading kraft's machine log failed: ${(err as Error).message}`)))

  const ps = async (): Promise<KraftMachine | null> => {
    const r = await runKraft(kraftPsArgv(spec.kraftPath), 15_000)
    try {
      return r?.code === 0 ? (parseKraftPs(r.stdout).find(m => m.name === name) ?? null) : null
    } catch (err) {
      logger.debug(`kraft ps: ${(err as Error).message}`)
      return null
    }
  }

  let finishing: Promise<VmResult> | null = null
  const finish = (reason: VmEndReason, kill: boolean): Promise<VmResult> => {
    if (finishing) return finishing
    finishing = (async () => {
      clearInterval(poller)
      clearTimeout(deadline)
      if (kill && qemuPid !== null && alive(qemuPid)) {
        await runKraft(kraftStopArgv(spec.kraftPath, name), 2000)
        // kraft stop gave up or is slow: end the QEMU it started for us.
        await endProcess(qemuPid, clock)
      }
      timeline.exitMs = since()
      await pumpConsole()
      capture.finish()
      const machine = await ps()
      let finalReason = reason
      if (reason === 'exited' && machine && (machine.state === 'failed' || machine.state === 'errored')) {
        finalReason = machine.state === 'failed' ? 'crashed' : 'qemu-error'
      }
      await runKraft(kraftRmArgv(spec.kraftPath, name), 15_000)
      if (ownRuntime) await rm(runtimeDir, { recursive: true, force: true })
      ended = true
      endReason = finalReason
      const { accel, reason: accelReason } = accelFrom(qemuArgv, spec.accel)
      const result: VmResult = {
        reason: finalReason,
        qemuExit: null,
        qemuSignal: null,
        killedFromOutside: false,
        guestExit: null,
        debugExit: null,
        accel,
        accelReason,
        qemuVersion: spec.qemuVersion ?? null,
        qmpEvents: [],
        timeline: { ...timeline, firstOutputMs: capture.firstOutputMs },
        ports: { ...ports },
        consoleLog: consolePath,
        qemuStderrLog: qemuLogPath,
        consoleTruncated: capture.truncated,
        argv,
        networkProblem: null
      }
      resolveDone(result)
      return result
    })()
    return finishing
  }

  let poller: NodeJS.Timeout | undefined
  let deadline: NodeJS.Timeout | undefined

  logger.info(`$ ${argv.join(' ')}`)
  let started = false
  try {
    const r = await runner.run(argv, { env, timeoutMs: 120_000 })
    await kraftLog(`$ ${argv.join(' ')}\n${r.stdout}${r.stderr}`)
    timeline.spawnMs = since()
    if (r.code !== 0) {
      await writeFile(qemuLogPath, r.stderr || r.stdout)
      logger.warning(
        `kraft run failed (exit ${r.code ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n').pop()}`
      )
    } else started = true
  } catch (err) {
    await writeFile(qemuLogPath, (err as Error).message)
    logger.warning(`kraft run could not start: ${(err as Error).message}`)
  }

  if (started) {
    const machine = await ps()
    stateDir = await findStateDir(runtimeDir, machine?.id ?? null)
    if (stateDir) {
      qemuPid = (await readPid(join(stateDir, MACHINE_FILES.pid))) ?? machine?.pid ?? null
      if (qemuPid !== null) qemuArgv = await readQemuArgv(qemuPid)
    } else logger.warning(`kraft started '${name}' but its state directory was not found under ${runtimeDir}`)
  }

  if (!started || !stateDir || qemuPid === null) {
    timeline.exitMs = since()
    void finish('qemu-error', false)
  } else {
    let busy = false
    poller = setInterval(() => {
      if (busy || finishing) return
      busy = true
      void (async () => {
        try {
          await pumpConsole()
          if (qemuPid !== null && !alive(qemuPid)) await finish('exited', false)
          else if (
            capture.firstOutputMs === null &&
            spec.bootTimeoutMs !== undefined &&
            since() > spec.bootTimeoutMs
          ) {
            await finish('boot-timeout', true)
          }
        } finally {
          busy = false
        }
      })()
    }, pollMs)
    deadline = setTimeout(() => void finish('deadline', true), Math.max(0, spec.timeoutMs - since()))
  }

  let monitorQueue: Promise<unknown> = Promise.resolve()
  return {
    name,
    hostAddress: HOST_ADDRESS,
    ports,
    get stateDir() {
      return ended ? null : stateDir
    },
    get qemuArgv() {
      return qemuArgv
    },
    get ended() {
      return ended
    },
    done,
    onConsoleLine: cb => capture.onLine(cb),
    consoleText: () => capture.text(),
    elapsedMs: since,
    guestAccepted(guestPort) {
      const sock = stateDir ? join(stateDir, MACHINE_FILES.monitor) : null
      if (!sock || ended || finishing) return Promise.resolve(false)
      // One monitor client at a time (`server,nowait` takes a single connection).
      const next = monitorQueue.then(async () => {
        try {
          return guestAcceptedFrom(parseUsernet(await hmpCommand(sock, 'info usernet')), guestPort)
        } catch (err) {
          logger.debug(`info usernet failed: ${(err as Error).message}`)
          return false
        }
      })
      monitorQueue = next
      return next
    },
    markReady() {
      if (timeline.readyMs === null) timeline.readyMs = since()
    },
    stop(reason = 'killed') {
      return ended && endReason ? done : finish(reason, true)
    }
  }
}
