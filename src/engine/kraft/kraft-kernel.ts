// The Unikraft kernel a check boots: the user's own image (`kernel:`), the ELF-loader runtime pulled
// with `kraft pkg pull` (`latest`), or a pinned release built from a generated Kraftfile with
// `kraft build`, kept across runs under a key of version + Kraftfile so a matrix builds it once.
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CommandRunner, RunResult } from '../command-runner.js'
import { badInput, InfrastructureError, throwIfInterrupted } from '../errors.js'
import type { Logger } from '../logger.js'
import { inspectKernelImage } from '../vm/kernel-image.js'
import type { PersistEntry, PersistentCache } from '../setup/tool-cache.js'
import { kraftArgv } from './kraft-argv.js'
import { kraftEnv } from './kraft-env.js'
import { generateKraftfile, kernelCacheKey, KRAFTFILE_APP_NAME } from './kraftfile.js'

export const BASE_RUNTIME_IMAGE = 'unikraft.org/base:latest'

export function kraftPullArgv(o: {
  dir: string
  kraftPath?: string
  image?: string
  plat?: string
  arch?: string
}): string[] {
  return kraftArgv(
    o.kraftPath ?? 'kraft',
    ['pkg', 'pull'],
    ['--plat', o.plat ?? 'qemu', '--arch', o.arch ?? 'x86_64', '-w', o.dir, o.image ?? BASE_RUNTIME_IMAGE]
  )
}

/** Where `kraft pkg pull -w DIR` leaves the runtime's kernel. */
export function pulledKernelPath(dir: string): string {
  return join(dir, 'unikraft', 'bin', 'kernel')
}

export function kraftBuildArgv(o: {
  dir: string
  kraftPath?: string
  plat?: string
  arch?: string
}): string[] {
  return kraftArgv(
    o.kraftPath ?? 'kraft',
    ['build'],
    ['--plat', o.plat ?? 'qemu', '--arch', o.arch ?? 'x86_64', o.dir]
  )
}

/** Unikraft's build output: `.unikraft/build/<name>_<plat>-<arch>`. */
export function builtKernelPath(
  dir: string,
  o: { name?: string; plat?: string; arch?: string } = {}
): string {
  return join(
    dir,
    '.unikraft',
    'build',
    `${o.name ?? KRAFTFILE_APP_NAME}_${o.plat ?? 'qemu'}-${o.arch ?? 'x86_64'}`
  )
}

const NETWORK_HINT =
  "kraft needs to reach unikraft.org and github.com; without them pass a prebuilt Unikraft image with --kernel (input 'kernel'), or check on the Linux baseline only with guest: linux"

export interface KernelRequest {
  /** A prebuilt image given by the user; skips KraftKit. */
  kernel?: string | null
  /** `latest` or `x.y.z`. */
  unikraftVersion: string
  arch: string
  /** The kraft binary (from installKraftkit). */
  kraftPath: string
  /** Scratch directory, stable across runs when the persistent cache is used (paths are part of the entry). */
  workDir: string
}

export interface KernelDeps {
  runner: CommandRunner
  logger: Logger
  persistentCache?: PersistentCache
  pullTimeoutMs?: number
  buildTimeoutMs?: number
  /** Aborted by a signal: a running `kraft pkg pull` or `kraft build` is ended at once. */
  signal?: AbortSignal
}

export interface UnikraftKernel {
  path: string
  source: 'given' | 'pulled' | 'built' | 'persistent-cache'
  /** The Kraftfile's cache key (pinned versions), else null. */
  cacheKey: string | null
  /** What to save across runs (after a fresh build), else null. */
  persist: PersistEntry | null
  /** kraft's own output for this step, when kraft ran. */
  logFile: string | null
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

function tail(text: string, n = 15): string {
  return text.trim().split('\n').slice(-n).join('\n')
}

async function runKraft(
  argv: string[],
  what: string,
  cwd: string,
  logFile: string,
  deps: KernelDeps,
  timeoutMs: number
): Promise<RunResult> {
  deps.logger.info(`$ ${argv.join(' ')}`)
  let r: RunResult
  try {
    r = await deps.runner.run(argv, {
      cwd,
      env: kraftEnv(),
      timeoutMs,
      signal: deps.signal,
      onStdoutLine: l => deps.logger.debug(l),
      onStderrLine: l => deps.logger.debug(l)
    })
  } catch (err) {
    throw new InfrastructureError(`${what} failed: ${(err as Error).message}`, NETWORK_HINT, { cause: err })
  }
  await writeFile(
    logFile,
    `$ ${argv.join(' ')}\n${r.stdout}${r.stderr ? `\n--- stderr ---\n${r.stderr}` : ''}`
  )
  throwIfInterrupted(deps.signal, what)
  if (r.code !== 0) {
    const how = r.timedOut
      ? `timed out after ${Math.round(timeoutMs / 1000)} s`
      : `exit ${r.code ?? r.signal}`
    throw new InfrastructureError(
      `${what} failed (${how}):\n${tail(r.stderr || r.stdout) || '(no output)'}`,
      NETWORK_HINT
    )
  }
  return r
}

export async function ensureUnikraftKernel(req: KernelRequest, deps: KernelDeps): Promise<UnikraftKernel> {
  if (req.kernel) {
    // Named before anything is built: an ARM image, a program or a truncated file is the input's fault.
    const image = await inspectKernelImage(req.kernel, 'kernel')
    deps.logger.info(
      `Unikraft kernel: ${req.kernel} (given; ${image.format} ${image.container}, ${image.bytes} bytes)`
    )
    return { path: req.kernel, source: 'given', cacheKey: null, persist: null, logFile: null }
  }
  if (req.arch !== 'x86_64') throw badInput('arch', "'x86_64'", req.arch)
  await mkdir(req.workDir, { recursive: true })

  if (req.unikraftVersion === 'latest') {
    const dir = join(req.workDir, 'base-latest')
    await mkdir(dir, { recursive: true })
    const logFile = join(req.workDir, 'kraft-pull.log')
    await runKraft(
      kraftPullArgv({ dir, kraftPath: req.kraftPath, arch: req.arch }),
      `kraft pkg pull ${BASE_RUNTIME_IMAGE}`,
      dir,
      logFile,
      deps,
      deps.pullTimeoutMs ?? 10 * 60_000
    )
    const path = pulledKernelPath(dir)
    if (!(await isFile(path))) {
      throw new InfrastructureError(
        `kraft pkg pull ${BASE_RUNTIME_IMAGE} succeeded but left no kernel at ${path}`,
        NETWORK_HINT
      )
    }
    deps.logger.info(`Unikraft kernel: ${path} (pulled ${BASE_RUNTIME_IMAGE})`)
    return { path, source: 'pulled', cacheKey: null, persist: null, logFile }
  }

  const text = generateKraftfile({ unikraftVersion: req.unikraftVersion, arch: req.arch, plat: 'qemu' })
  const key = kernelCacheKey(req.unikraftVersion, req.arch, text)
  const cacheDir = join(req.workDir, 'kernels', key)
  const cached = join(cacheDir, 'kernel')
  if (deps.persistentCache) {
    const hit = await deps.persistentCache.restore([cacheDir], key)
    if (hit && (await isFile(cached))) {
      deps.logger.info(
        `Unikraft kernel: ${cached} (Unikraft ${req.unikraftVersion} from the cache, key ${key})`
      )
      return { path: cached, source: 'persistent-cache', cacheKey: key, persist: null, logFile: null }
    }
  }
  const project = join(req.workDir, `unikraft-${req.unikraftVersion}-${req.arch}`)
  await mkdir(project, { recursive: true })
  await writeFile(join(project, 'Kraftfile'), text)
  const logFile = join(req.workDir, 'kraft-build.log')
  await runKraft(
    kraftBuildArgv({ dir: project, kraftPath: req.kraftPath, arch: req.arch }),
    `kraft build of Unikraft ${req.unikraftVersion}`,
    project,
    logFile,
    deps,
    deps.buildTimeoutMs ?? 45 * 60_000
  )
  const built = builtKernelPath(project, { arch: req.arch })
  if (!(await isFile(built))) {
    throw new InfrastructureError(`kraft build succeeded but left no kernel at ${built}`, NETWORK_HINT)
  }
  await mkdir(cacheDir, { recursive: true })
  await copyFile(built, cached)
  deps.logger.info(`Unikraft kernel: ${cached} (built Unikraft ${req.unikraftVersion}, cache key ${key})`)
  return {
    path: cached,
    source: 'built',
    cacheKey: key,
    persist: deps.persistentCache ? { paths: [cacheDir], key } : null,
    logFile
  }
}
