// QEMU on the host: find it and read its version, install `qemu-system-x86` with apt when it is
// missing or too old, and warn about the one known version trap (RDSEED under TCG).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { CommandRunner } from '../command-runner.js'
import { InfrastructureError } from '../errors.js'
import type { Logger } from '../logger.js'
import { detectPrivileges, privileged, type Privileges } from './privileges.js'
import { parseVersion, versionAtLeast } from './version-compare.js'
import { which } from './which.js'

export const QEMU_BINARY = 'qemu-system-x86_64'
/** Oldest QEMU we run: the microVM runner's flags (QMP, hostfwd, isa-debug-exit, pvpanic) are all older. */
export const MIN_QEMU_VERSION = '5.0.0'
/** First QEMU whose TCG emulates RDSEED (domain facts, section 2). */
export const RDSEED_QEMU_VERSION = '8.1.3'
/** First Unikraft release that needs RDRAND and RDSEED on x86_64. */
export const RDSEED_UNIKRAFT_VERSION = '0.17.0'

export interface QemuStatus {
  /** Absolute path of the binary, null when not on PATH. */
  path: string | null
  /** `7.2.19` from `QEMU emulator version 7.2.19 (Debian ...)`, null when unknown. */
  version: string | null
  /** Present, its version known, and not too old. */
  ok: boolean
  tooOld: boolean
  /** Why it is not ok (for messages), null when ok. */
  problem: string | null
}

export interface QemuDeps {
  runner: CommandRunner
  logger: Logger
  /** PATH to search (default: this process's). */
  pathVar?: string
  qemuBinary?: string
  minimum?: string
  /** Skips detection (tests, or a caller that already knows). */
  privileges?: Privileges
  /**
   * Where the version read from `--version` is kept, keyed by the binary's path, size, mtime and
   * inode: a check then starts QEMU only to run the guest (each `--version` costs about 60 ms).
   */
  versionCacheFile?: string
}

interface VersionMemo {
  path: string
  size: number
  mtimeMs: number
  ino: number
  version: string
}

function binaryIdentity(path: string): Omit<VersionMemo, 'version'> | null {
  try {
    const st = statSync(path)
    return { path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino }
  } catch {
    return null
  }
}

function rememberedVersion(file: string | undefined, path: string): string | null {
  if (!file) return null
  try {
    const memo = JSON.parse(readFileSync(file, 'utf8')) as VersionMemo
    const now = binaryIdentity(path)
    const same =
      now &&
      memo.path === now.path &&
      memo.size === now.size &&
      memo.mtimeMs === now.mtimeMs &&
      memo.ino === now.ino
    return same && typeof memo.version === 'string' ? memo.version : null
  } catch {
    return null
  }
}

function rememberVersion(file: string | undefined, path: string, version: string): void {
  const id = binaryIdentity(path)
  if (!file || !id) return
  try {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify({ ...id, version }))
  } catch {
    // a cache that cannot be written only costs the next run one `--version`
  }
}

/** The version from the first line of `qemu-system-x86_64 --version`. */
export function parseQemuVersion(text: string): string | null {
  const m = /QEMU emulator version (\d+\.\d+(?:\.\d+)?)/.exec(text)
  if (!m) return null
  const v = parseVersion(m[1])
  return v ? v.join('.') : null
}

export async function checkQemu(deps: QemuDeps): Promise<QemuStatus> {
  const binary = deps.qemuBinary ?? QEMU_BINARY
  const minimum = deps.minimum ?? MIN_QEMU_VERSION
  const path = which(binary, deps.pathVar ?? process.env.PATH)
  if (!path)
    return { path: null, version: null, ok: false, tooOld: false, problem: `${binary} is not on PATH` }
  let version: string | null = rememberedVersion(deps.versionCacheFile, path)
  let output = ''
  if (!version) {
    try {
      const r = await deps.runner.run([path, '--version'], { timeoutMs: 15_000 })
      output = (r.stdout + r.stderr).trim()
      version = parseQemuVersion(output)
    } catch (err) {
      output = (err as Error).message
    }
    if (version) rememberVersion(deps.versionCacheFile, path, version)
  }
  if (!version) {
    const first = output.split('\n')[0] || '(no output)'
    return {
      path,
      version: null,
      ok: false,
      tooOld: false,
      problem: `could not read the version of ${path}: ${first}`
    }
  }
  const tooOld = !versionAtLeast(version, minimum)
  return {
    path,
    version,
    ok: !tooOld,
    tooOld,
    problem: tooOld ? `${path} is QEMU ${version}, older than the ${minimum} this tool needs` : null
  }
}

/**
 * The commands that install QEMU with apt, `sudo -n` in front when not root. `env` carries
 * DEBIAN_FRONTEND because sudo resets the environment.
 */
export function planQemuInstall(p: Privileges): string[][] {
  if (!p.isRoot && !p.hasSudo) {
    throw new InfrastructureError(
      'QEMU must be installed, but this user is not root and has no passwordless sudo',
      `install it yourself: sudo apt-get install -y qemu-system-x86 (package 'qemu-system-x86' on Debian and Ubuntu)`
    )
  }
  return [
    privileged(['apt-get', 'update'], p),
    privileged(
      [
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        'install',
        '-y',
        '--no-install-recommends',
        'qemu-system-x86'
      ],
      p
    )
  ]
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}

/** QEMU ready to use, installing it first when allowed. Throws InfrastructureError when it cannot be had. */
export async function ensureQemu(deps: QemuDeps, opts: { install: boolean }): Promise<QemuStatus> {
  const before = await checkQemu(deps)
  if (before.ok) {
    deps.logger.info(`QEMU ${before.version} at ${before.path}`)
    return before
  }
  if (!opts.install) {
    throw new InfrastructureError(
      `QEMU is not usable: ${before.problem}`,
      'install the qemu-system-x86 package (apt-get install -y qemu-system-x86), or put a newer qemu-system-x86_64 on PATH'
    )
  }
  deps.logger.info(`QEMU is not usable (${before.problem}); installing qemu-system-x86 with apt`)
  const steps = planQemuInstall(deps.privileges ?? (await detectPrivileges(deps.runner)))
  for (const argv of steps) {
    const r = await deps.runner.run(argv, { timeoutMs: 15 * 60_000 })
    if (r.code !== 0) {
      throw new InfrastructureError(
        `'${argv.join(' ')}' failed (${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`}):\n${tail(r.stderr || r.stdout)}`,
        'install qemu-system-x86 before this step, or check that apt can reach its archive'
      )
    }
  }
  const after = await checkQemu(deps)
  if (!after.ok) {
    throw new InfrastructureError(
      `QEMU is still not usable after installing qemu-system-x86: ${after.problem}`,
      `this distribution's QEMU is too old; use a newer runner image (e.g. ubuntu-24.04) or put QEMU ${deps.minimum ?? MIN_QEMU_VERSION}+ on PATH`
    )
  }
  deps.logger.info(`installed QEMU ${after.version} at ${after.path}`)
  return after
}

function unikraftNeedsRdseed(unikraftVersion: string): boolean {
  if (unikraftVersion === 'latest') return true
  return parseVersion(unikraftVersion) !== null && versionAtLeast(unikraftVersion, RDSEED_UNIKRAFT_VERSION)
}

/**
 * Text of the warning for a boot that will fail at init: Unikraft 0.17+ needs RDSEED on x86_64 and
 * QEMU's TCG emulates it only from 8.1.3. null when the combination is fine (or the version unknown).
 */
export function rdseedWarning(o: {
  qemuVersion: string | null
  accel: string
  unikraftVersion: string
}): string | null {
  if (o.accel !== 'tcg' || !o.qemuVersion || parseVersion(o.qemuVersion) === null) return null
  if (versionAtLeast(o.qemuVersion, RDSEED_QEMU_VERSION) || !unikraftNeedsRdseed(o.unikraftVersion))
    return null
  const uk =
    o.unikraftVersion === 'latest' ? 'Unikraft latest (0.17 or newer)' : `Unikraft ${o.unikraftVersion}`
  return (
    `QEMU ${o.qemuVersion} under TCG cannot emulate the RDSEED instruction (QEMU ${RDSEED_QEMU_VERSION} or newer can), ` +
    `and ${uk} needs it on x86_64: the kernel will stop at init with 'Could not initialize the HWRNG'. ` +
    `Use KVM, a newer QEMU (Ubuntu 24.04, Debian bookworm-backports), or unikraft-version 0.16.3.`
  )
}
