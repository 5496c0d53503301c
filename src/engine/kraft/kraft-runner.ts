// `runner: kraft`: boots through `kraft run -d --rm` for people who want kraft's exact behaviour.
// The VM is kraft's, so the evidence comes from kraft's machine state directory
// (`<runtime>/<uid>/machine.log` = console, `qemu.log` = QEMU's output), copied as it grows because
// `kraft rm` (and `--rm`) deletes it; the end state comes from `kraft ps`.
import { randomBytes } from 'node:crypto'
import { RUN_FILES } from '../run-files.js'
import { createServer } from 'node:net'
import { appendFile, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../clock.js'
import type { CommandRunner } from '../command-runner.js'
import type { Logger } from '../logger.js'
import type {
  Accel,
  AccelRequest,
  ConsoleLine,
  PortForward,
  Timeline,
  VmEndReason,
  VmHandle,
  VmResult
} from '../vm/vm-types.js'
import { kraftArgv, kraftEnv } from './kraft-env.js'
import { parseKraftPs, type KraftMachine } from './kraft-ps.js'
import { guestAcceptedFrom, hmpCommand, parseUsernet } from './qemu-monitor.js'

export interface KraftRunArgs {
  kraftPath: string
  /** A kernel image, or a project directory with a Kraftfile. */
  target: string
  /** A cpio root filesystem (`--rootfs`). */
  initrd?: string
  /** The program and its arguments (after `--`). */
  cmd: string[]
  env: Record<string, string>
  memoryMiB: number
  /** Host ports must be chosen already. */
  ports: { host: number; guest: number }[]
  accel: AccelRequest
  name: string
  /** Extra kernel arguments (`-a`); empty by default so kraft's own command line is used as is. */
  kernelArgs?: string[]
}

/** `kraft run -d --rm -M <mem>Mi -p H:G --plat qemu --arch x86_64 -n NAME [-W] [--rootfs CPIO] [-e K=V] TARGET [-- CMD]`. */
export function kraftRunArgv(a: KraftRunArgs): string[] {
  return kraftArgv(
    a.kraftPath,
    ['run'],
    [
      '-d',
      '--rm',
      '-M',
      `${a.memoryMiB}Mi`,
      ...a.ports.flatMap(p => ['-p', `${p.host}:${p.guest}`]),
      '--plat',
      'qemu',
      '--arch',
      'x86_64',
      '-n',
      a.name,
      ...(a.accel === 'tcg' ? ['-W'] : []),
      ...(a.initrd ? ['--rootfs', a.initrd] : []),
      ...Object.entries(a.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      ...(a.kernelArgs ?? []).flatMap(arg => ['-a', arg]),
      a.target,
      ...(a.cmd.length > 0 ? ['--', ...a.cmd] : [])
    ]
  )
}

/** `kraft ps -a -l -o json --plat qemu`: `-l` adds the machine id that names its state directory. */
export function kraftPsArgv(kraftPath: string): string[] {
  return kraftArgv(kraftPath, ['ps'], ['-a', '-l', '-o', 'json', '--plat', 'qemu'])
}

export function kraftStopArgv(kraftPath: string, name: string): string[] {
  return kraftArgv(kraftPath, ['stop'], [name])
}

export function kraftRmArgv(kraftPath: string, name: string): string[] {
  return kraftArgv(kraftPath, ['rm'], [name])
}

export interface KraftVmSpec {
  kraftPath: string
  target: string
  initrd?: string
  cmd: string[]
  env: Record<string, string>
  memoryMiB: number
  ports: PortForward[]
  accel: AccelRequest
  timeoutMs: number
  bootTimeoutMs?: number
  /** Where console.log, qemu-stderr.log and kraft.log are written. */
  outDir: string
  consoleCap?: number
  /** kraft's runtime directory (default: a fresh short temp dir: QEMU's socket paths must stay < 108 bytes). */
  runtimeDir?: string
  name?: string
  kernelArgs?: string[]
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function readPid(path: string): Promise<number | null> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim())
    return Number.isInteger(n) && n > 0 ? n : null
  } catch {
    return null
  }
}

async function readQemuArgv(pid: number): Promise<string[] | null> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8')
    return raw.split('\0').filter(s => s !== '')
  } catch {
    return null
  }
}

function accelFrom(qemuArgv: string[] | null, requested: AccelRequest): { accel: Accel; reason: string } {
  if (qemuArgv) {
    const kvm = qemuArgv.includes('-enable-kvm') || qemuArgv.some(a => /accel=kvm/.test(a))
    return { accel: kvm ? 'kvm' : 'tcg', reason: `kraft chose ${kvm ? 'KVM' : 'TCG'} (QEMU's command line)` }
  }
  if (requested === 'tcg') return { accel: 'tcg', reason: 'kraft run -W (acceleration disabled)' }
  return {
    accel: 'kvm',
    reason: "kraft decides the accelerator; QEMU's command line was not readable (assumed KVM)"
  }
}

const BANNER = /Powered by|^\s+\S+ \d+\.\d+\.\d+~[0-9a-f]+/

/** Starts a VM through kraft. Failures of kraft itself end the handle at once with reason 'qemu-error'. */
export async function startKraftVm(spec: KraftVmSpec, deps: KraftVmDeps): Promise<KraftVmHandle> {
  const { runner, logger, clock } = deps
  const pollMs = deps.pollMs ?? 100
  const t0 = clock.now()
  const since = (): number => Math.round(clock.now() - t0)
  await mkdir(spec.outDir, { recursive: true })
  const ownRuntime = !spec.runtimeDir
  const runtimeDir = spec.runtimeDir ?? (await mkdtemp(join(tmpdir(), 'ukc-kr-')))
  const env = kraftEnv({ runtimeDir })
  const consolePath = join(spec.outDir, RUN_FILES.console)
  const qemuLogPath = join(spec.outDir, RUN_FILES.qemuStderr)
  const kraftLogPath = join(spec.outDir, 'kraft.log')
  await writeFile(consolePath, '')
  await writeFile(qemuLogPath, '')
  await writeFile(kraftLogPath, '')
  const kraftLog = (text: string): Promise<void> =>
    appendFile(kraftLogPath, text.endsWith('\n') ? text : text + '\n')

  const ports: Record<number, number> = {}
  for (const p of spec.ports) ports[p.guest] = p.host && p.host > 0 ? p.host : await freePort()
  const name = spec.name ?? `ukc-${randomBytes(4).toString('hex')}`
  const argv = kraftRunArgv({
    kraftPath: spec.kraftPath,
    target: spec.target,
    initrd: spec.initrd,
    cmd: spec.cmd,
    env: spec.env,
    memoryMiB: spec.memoryMiB,
    ports: Object.entries(ports).map(([g, h]) => ({ guest: Number(g), host: h })),
    accel: spec.accel,
    name,
    kernelArgs: spec.kernelArgs
  })

  const timeline: Timeline = {
    spawnMs: null,
    firstOutputMs: null,
    bannerMs: null,
    readyMs: null,
    exitMs: null
  }
  const lines: ConsoleLine[] = []
  const listeners = new Set<(l: ConsoleLine) => void>()
  let text = ''
  let partial = ''
  let consoleBytes = 0
  let truncated = false
  const cap = spec.consoleCap ?? 64 * 1024 * 1024
  let stateDir: string | null = null
  let qemuPid: number | null = null
  let qemuArgv: string[] | null = null
  let ended = false
  let endReason: VmEndReason | null = null
  let logOffset = 0
  let resolveDone!: (r: VmResult) => void
  const done = new Promise<VmResult>(r => (resolveDone = r))

  const emit = (lineText: string): void => {
    const line: ConsoleLine = { n: lines.length + 1, text: lineText, atMs: since() }
    lines.push(line)
    if (timeline.bannerMs === null && BANNER.test(lineText)) timeline.bannerMs = line.atMs
    for (const cb of listeners) cb(line)
  }

  const pumpConsole = async (final: boolean): Promise<void> => {
    if (!stateDir) return
    let fh
    try {
      fh = await open(join(stateDir, 'machine.log'), 'r')
    } catch {
      return
    }
    try {
      const size = (await fh.stat()).size
      if (size > logOffset) {
        const buf = Buffer.alloc(size - logOffset)
        await fh.read(buf, 0, buf.length, logOffset)
        logOffset = size
        let chunk = buf.toString('utf8')
        if (consoleBytes + buf.length > cap) {
          chunk = chunk.slice(0, Math.max(0, cap - consoleBytes))
          truncated = true
        }
        consoleBytes += Buffer.byteLength(chunk)
        if (chunk) {
          if (timeline.firstOutputMs === null) timeline.firstOutputMs = since()
          text += chunk
          await appendFile(consolePath, chunk)
          const parts = (partial + chunk).split('\n')
          partial = parts.pop() ?? ''
          for (const p of parts) emit(p.replace(/\r$/, ''))
        }
      }
      if (final && partial) {
        emit(partial.replace(/\r$/, ''))
        partial = ''
      }
    } finally {
      await fh.close()
    }
    try {
      await writeFile(qemuLogPath, await readFile(join(stateDir, 'qemu.log')))
    } catch {
      // kraft may not have written it (yet); an empty copy stays.
    }
  }

  const ps = async (): Promise<KraftMachine | null> => {
    try {
      const r = await runner.run(kraftPsArgv(spec.kraftPath), { env, timeoutMs: 15_000 })
      await kraftLog(`$ ${kraftPsArgv(spec.kraftPath).join(' ')}\n${r.stdout}${r.stderr}`)
      if (r.code !== 0) return null
      return parseKraftPs(r.stdout).find(m => m.name === name) ?? null
    } catch (err) {
      logger.debug(`kraft ps failed: ${(err as Error).message}`)
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
        const stopArgv = kraftStopArgv(spec.kraftPath, name)
        try {
          const r = await runner.run(stopArgv, { env, timeoutMs: 2000 })
          await kraftLog(`$ ${stopArgv.join(' ')}\n${r.stdout}${r.stderr}`)
        } catch (err) {
          logger.debug(`kraft stop failed: ${(err as Error).message}`)
        }
        // kraft stop gave up or is slow: end the QEMU it started for us.
        for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
          if (!alive(qemuPid)) break
          try {
            process.kill(qemuPid, sig)
          } catch {
            break
          }
          for (let i = 0; i < 20 && alive(qemuPid); i++) await clock.sleep(50)
        }
      }
      timeline.exitMs = since()
      await pumpConsole(true)
      const machine = await ps()
      let finalReason = reason
      if (reason === 'exited' && machine && (machine.state === 'failed' || machine.state === 'errored')) {
        finalReason = machine.state === 'failed' ? 'crashed' : 'qemu-error'
      }
      const rmArgv = kraftRmArgv(spec.kraftPath, name)
      try {
        const r = await runner.run(rmArgv, { env, timeoutMs: 15_000 })
        await kraftLog(`$ ${rmArgv.join(' ')}\n${r.stdout}${r.stderr}`)
      } catch (err) {
        logger.debug(`kraft rm failed: ${(err as Error).message}`)
      }
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
        timeline: { ...timeline },
        ports: { ...ports },
        consoleLog: consolePath,
        qemuStderrLog: qemuLogPath,
        consoleTruncated: truncated,
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
    if (machine?.id) stateDir = join(runtimeDir, machine.id)
    else {
      // Without a machine id (older kraft), the runtime directory is ours alone: take its machine.
      for (const entry of await readdir(runtimeDir).catch(() => [] as string[])) {
        if (await stat(join(runtimeDir, entry, 'machine.log')).catch(() => null))
          stateDir = join(runtimeDir, entry)
      }
    }
    if (stateDir) {
      qemuPid = (await readPid(join(stateDir, 'machine.pid'))) ?? machine?.pid ?? null
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
          await pumpConsole(false)
          if (qemuPid !== null && !alive(qemuPid)) await finish('exited', false)
          else if (
            timeline.firstOutputMs === null &&
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
    hostAddress: '127.0.0.1',
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
    onConsoleLine(cb) {
      for (const l of lines) cb(l)
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    consoleText: () => text,
    elapsedMs: since,
    guestAccepted(guestPort) {
      const sock = stateDir ? join(stateDir, 'qemu_mon.sock') : null
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
