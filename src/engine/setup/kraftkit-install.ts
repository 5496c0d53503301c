// Installs KraftKit's `kraft` from its GitHub release: tool cache first, then the cross-run cache,
// else download the tarball and the release's checksums file, verify the sha256 (a mismatch or a
// missing entry is a hard error: never run an unverified binary), extract and cache it.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CommandRunner } from '../command-runner.js'
import { badInput, InfrastructureError } from '../errors.js'
import type { Logger } from '../logger.js'
import {
  pathExists,
  type Downloader,
  type PersistEntry,
  type PersistentCache,
  type ToolCache
} from './tool-cache.js'

export const KRAFTKIT_RELEASES_URL = 'https://github.com/unikraft/kraftkit/releases/download'
export const KRAFTKIT_TOOL_NAME = 'kraftkit'

export type GoArch = 'amd64' | 'arm64'

/** The architecture word KraftKit's release files use (goreleaser's GOARCH). */
export function kraftkitGoArch(arch: string): GoArch {
  if (arch === 'x86_64' || arch === 'amd64' || arch === 'x64') return 'amd64'
  if (arch === 'aarch64' || arch === 'arm64') return 'arm64'
  throw badInput('arch', "'x86_64' or 'arm64'", arch)
}

/** `v0.11.6` or `0.11.6` -> `0.11.6`; throws a ConfigurationError naming `kraftkit-version` otherwise. */
export function normalizeKraftkitVersion(version: string): string {
  const v = version.trim().replace(/^v/, '')
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/.test(v)) {
    throw badInput('kraftkit-version', 'a KraftKit release like 0.11.6', version)
  }
  return v
}

export interface KraftkitAssets {
  tarball: string
  checksums: string
  tarballUrl: string
  checksumsUrl: string
}

/** Release file names and URLs (unikraft/kraftkit: .goreleaser-stable.yaml). */
export function kraftkitAssets(
  version: string,
  goArch: GoArch,
  baseUrl = KRAFTKIT_RELEASES_URL
): KraftkitAssets {
  const tarball = `kraft_${version}_linux_${goArch}.tar.gz`
  const checksums = `kraftkit_${version}_checksums.txt`
  const dir = `${baseUrl.replace(/\/+$/, '')}/v${version}`
  return { tarball, checksums, tarballUrl: `${dir}/${tarball}`, checksumsUrl: `${dir}/${checksums}` }
}

/** `<sha256>  <file>` lines (sha256sum format, `*` binary marker allowed) -> file -> lower-case hash. */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S.*?)\s*$/.exec(line)
    if (m) out.set(m[2], m[1].toLowerCase())
  }
  return out
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Key of the cross-run cache entry holding one KraftKit build. */
export function kraftkitCacheKey(version: string, goArch: GoArch): string {
  return `unikraft-compat-kraftkit-${version}-linux-${goArch}`
}

export interface KraftkitInstallOptions {
  version: string
  arch: string
  baseUrl?: string
}

export interface KraftkitInstallDeps {
  download: Downloader
  toolCache: ToolCache
  logger: Logger
  runner: CommandRunner
  /** Cross-run cache; restored here, saved later by the caller from the returned `persist`. */
  persistentCache?: PersistentCache
  /** A stable absolute directory for the cross-run cache (default under ~/.cache/unikraft-compat). */
  persistDir?: string
  /** Scratch space for the download (default: os tmp); cleaned up afterwards. */
  tmpDir?: string
}

export interface KraftkitInstall {
  /** Absolute path of the `kraft` binary. */
  path: string
  version: string
  fromCache: boolean
  source: 'tool-cache' | 'persistent-cache' | 'download'
  /** What to save across runs (only after a download), else null. */
  persist: PersistEntry | null
  /** First line of `kraft --version`, when it answered. */
  reported: string | null
}

async function reportVersion(path: string, deps: KraftkitInstallDeps): Promise<string | null> {
  try {
    const r = await deps.runner.run([path, '--version'], {
      timeoutMs: 30_000,
      env: { KRAFTKIT_NO_CHECK_UPDATES: 'true' }
    })
    const first = (r.stdout || r.stderr).trim().split('\n')[0] ?? ''
    if (r.code === 0 && first) return first
    deps.logger.warning(`'${path} --version' exited ${r.code ?? r.signal}: ${first}`)
  } catch (err) {
    deps.logger.warning(`could not run ${path}: ${(err as Error).message}`)
  }
  return null
}

export async function installKraftkit(
  opts: KraftkitInstallOptions,
  deps: KraftkitInstallDeps
): Promise<KraftkitInstall> {
  const version = normalizeKraftkitVersion(opts.version)
  const goArch = kraftkitGoArch(opts.arch)
  const { logger, toolCache } = deps

  const done = async (dir: string, source: KraftkitInstall['source'], persist: PersistEntry | null) => {
    const path = join(dir, 'kraft')
    logger.info(`KraftKit ${version} (linux/${goArch}) from ${source.replace('-', ' ')}: ${path}`)
    return {
      path,
      version,
      fromCache: source !== 'download',
      source,
      persist,
      reported: await reportVersion(path, deps)
    }
  }

  const cached = toolCache.find(KRAFTKIT_TOOL_NAME, version, goArch)
  if (cached && (await pathExists(join(cached, 'kraft')))) return done(cached, 'tool-cache', null)

  const key = kraftkitCacheKey(version, goArch)
  const persistDir =
    deps.persistDir ?? join(homedir(), '.cache', 'unikraft-compat', 'kraftkit', `${version}-${goArch}`)
  if (deps.persistentCache) {
    const hit = await deps.persistentCache.restore([persistDir], key)
    if (hit && (await pathExists(join(persistDir, 'kraft')))) {
      return done(
        await toolCache.cacheDir(persistDir, KRAFTKIT_TOOL_NAME, version, goArch),
        'persistent-cache',
        null
      )
    }
  }

  const assets = kraftkitAssets(version, goArch, opts.baseUrl)
  const work = await mkdtemp(join(deps.tmpDir ?? tmpdir(), 'ukc-kraftkit-'))
  try {
    const tarball = join(work, assets.tarball)
    const sums = join(work, assets.checksums)
    logger.info(`downloading ${assets.tarballUrl}`)
    await deps.download(assets.checksumsUrl, sums)
    await deps.download(assets.tarballUrl, tarball)

    const actual = await sha256File(tarball)
    const expected = parseChecksums(await readFile(sums, 'utf8')).get(assets.tarball)
    if (!expected) {
      throw new InfrastructureError(
        `${assets.checksums} has no sha256 entry for ${assets.tarball} (its sha256 is ${actual}); refusing to install it`,
        `check kraftkit-version '${version}' and the release at ${assets.checksumsUrl}`
      )
    }
    if (expected !== actual) {
      throw new InfrastructureError(
        `sha256 mismatch for ${assets.tarball}: ${assets.checksums} says ${expected}, the download is ${actual}; refusing to install it`,
        'the download was corrupted or tampered with; retry, and report it if it persists'
      )
    }
    logger.debug(`sha256 of ${assets.tarball} verified: ${actual}`)

    const extracted = join(work, 'extracted')
    await mkdir(extracted)
    const r = await deps.runner.run(['tar', '-xzf', tarball, '-C', extracted], { timeoutMs: 120_000 })
    if (r.code !== 0) {
      throw new InfrastructureError(
        `could not extract ${assets.tarball}: ${r.stderr.trim() || `tar exited ${r.code}`}`
      )
    }
    const kraft = join(extracted, 'kraft')
    if (!(await pathExists(kraft))) {
      throw new InfrastructureError(`${assets.tarball} holds no 'kraft' binary at its top level`)
    }
    await chmod(kraft, 0o755)
    const dir = await toolCache.cacheDir(extracted, KRAFTKIT_TOOL_NAME, version, goArch)
    let persist: PersistEntry | null = null
    if (deps.persistentCache) {
      await mkdir(persistDir, { recursive: true })
      await copyFile(join(dir, 'kraft'), join(persistDir, 'kraft'))
      await chmod(join(persistDir, 'kraft'), 0o755)
      persist = { paths: [persistDir], key }
    }
    return await done(dir, 'download', persist)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
