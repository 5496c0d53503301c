// The Linux baseline's strace: the host's own (Debian's package `strace`), copied into the initrd
// with its loader and its library closure under /.ukc/strace, apart from the app's /lib, so neither
// replaces a library of the other. Only a traced run's initrd gets it.
import { stat } from 'node:fs/promises'
import { basename, delimiter, isAbsolute } from 'node:path'
import { ConfigurationError, InfrastructureError } from '../errors.js'
import { findProgram } from '../find-program.js'
import { resolveClosure, type Closure } from '../rootfs/closure.js'
import type { CpioEntry } from '../rootfs/cpio-writer.js'
import { EM } from '../rootfs/elf.js'
import { STRACE_DIR } from './linux-init.js'

export const STRACE_PACKAGE = 'strace'
const STRACE_HINT = `install it: sudo apt-get install ${STRACE_PACKAGE}`
const SYSTEM_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin']

/** The host's strace: the first on PATH (or in the system directories); InfrastructureError when none. */
export async function findHostStrace(
  dirs: readonly string[] = [...(process.env.PATH ?? '').split(delimiter), ...SYSTEM_DIRS]
): Promise<string> {
  const searched = [...new Set(dirs.filter(d => d.startsWith('/')))]
  const found = findProgram('strace', { PATH: searched.join(delimiter) })
  if (found) return found
  throw new InfrastructureError(
    `tracing the app on the Linux baseline needs strace, which is not installed on this machine (looked in ${searched.join(', ')})`,
    STRACE_HINT
  )
}

export interface StraceBundle {
  /** The initrd entries under STRACE_DIR: strace, its loader as `ld.so`, its libraries in `lib/`. */
  entries: CpioEntry[]
  /** Bytes of the files copied. */
  bytes: number
  /** strace is started through the copied loader (false: a static strace). */
  loader: boolean
}

/** strace at `strace` (a host path) with what it needs to run in the guest. */
export async function straceBundle(strace: string): Promise<StraceBundle> {
  const broken = (why: string, cause?: unknown): InfrastructureError =>
    new InfrastructureError(
      `cannot use ${strace} to trace the app on the Linux baseline: ${why}`,
      STRACE_HINT,
      cause === undefined ? undefined : { cause }
    )
  if (!isAbsolute(strace) || findProgram(strace) === null) throw broken('it is no executable file')
  let closure: Closure
  try {
    closure = resolveClosure(strace, { sysroot: '/' })
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e
    throw broken(/ELF/.test(e.message) ? 'it is no ELF program' : e.message, e)
  }
  const elf = closure.program.elf
  if (elf.elfClass !== 64 || elf.machine !== EM.X86_64) throw broken(`it is a ${elf.machineName} program`)
  if (closure.unresolved.length > 0) {
    throw broken(`its libraries ${closure.unresolved.map(u => u.name).join(', ')} are not on this machine`)
  }
  if (closure.interpreter && closure.interpreter.realPath === null) {
    throw broken(`its loader ${closure.interpreter.path} is not on this machine`)
  }
  const files: { path: string; source: string; mode: number }[] = [
    { path: `${STRACE_DIR}/strace`, source: closure.program.realPath, mode: 0o755 }
  ]
  if (closure.interpreter?.realPath) {
    files.push({ path: `${STRACE_DIR}/ld.so`, source: closure.interpreter.realPath, mode: 0o755 })
  }
  // By the name the loader looks for (DT_NEEDED), the bytes of the file it resolves to.
  for (const lib of closure.libraries) {
    files.push({ path: `${STRACE_DIR}/lib/${basename(lib.name)}`, source: lib.realPath, mode: 0o644 })
  }
  const entries: CpioEntry[] = [
    { path: STRACE_DIR, type: 'dir', mode: 0o755 },
    { path: `${STRACE_DIR}/lib`, type: 'dir', mode: 0o755 }
  ]
  let bytes = 0
  for (const f of files) {
    // Guest paths of sysroot '/' are host paths.
    const size = (await stat(f.source)).size
    bytes += size
    entries.push({ path: f.path, type: 'file', mode: f.mode, source: f.source, size })
  }
  return { entries, bytes, loader: closure.interpreter !== null }
}
