// What kraft leaves of a machine it runs: its state directory `<runtime>/<machine id>/` (machine.log
// = the console, qemu.log = QEMU's output, machine.pid, the HMP monitor socket), the QEMU process
// itself and its command line (from /proc), read while they exist (`kraft rm` deletes the directory).
import { open, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Clock } from '../clock.js'
import type { Accel, AccelRequest } from '../vm/vm-types.js'

export const MACHINE_FILES = {
  console: 'machine.log',
  qemuLog: 'qemu.log',
  pid: 'machine.pid',
  monitor: 'qemu_mon.sock'
} as const

/** Reads of a growing file are this big at most, so a runaway console is never read whole. */
const READ_CHUNK = 1024 * 1024

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function readPid(path: string): Promise<number | null> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim())
    return Number.isInteger(n) && n > 0 ? n : null
  } catch {
    return null
  }
}

export async function readQemuArgv(pid: number): Promise<string[] | null> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8')
    return raw.split('\0').filter(s => s !== '')
  } catch {
    return null
  }
}

export function accelFrom(
  qemuArgv: string[] | null,
  requested: AccelRequest
): { accel: Accel; reason: string } {
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

/**
 * The machine's state directory: named by its id (`kraft ps -l`); without one (older kraft) the
 * runtime directory is ours alone, so its machine is the one with a console.
 */
export async function findStateDir(runtimeDir: string, machineId: string | null): Promise<string | null> {
  if (machineId) return join(runtimeDir, machineId)
  let found: string | null = null
  for (const entry of await readdir(runtimeDir).catch(() => [] as string[])) {
    if (await stat(join(runtimeDir, entry, MACHINE_FILES.console)).catch(() => null))
      found = join(runtimeDir, entry)
  }
  return found
}

/** Ends a process that `kraft stop` left running: SIGTERM, then SIGKILL, about a second each. */
export async function endProcess(pid: number, clock: Clock): Promise<void> {
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    if (!alive(pid)) return
    try {
      process.kill(pid, sig)
    } catch {
      return
    }
    for (let i = 0; i < 20 && alive(pid); i++) await clock.sleep(50)
  }
}

/**
 * Hands what `path` gained past `offset` to `onChunk` in bounded reads, and returns the new offset.
 * A file that does not exist (yet) gained nothing.
 */
export async function readGrowth(
  path: string,
  offset: number,
  onChunk: (chunk: Buffer) => void
): Promise<number> {
  let fh
  try {
    fh = await open(path, 'r')
  } catch {
    return offset
  }
  try {
    const size = (await fh.stat()).size
    while (offset < size) {
      const buf = Buffer.alloc(Math.min(size - offset, READ_CHUNK))
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset)
      if (bytesRead === 0) break
      offset += bytesRead
      onChunk(buf.subarray(0, bytesRead))
    }
    return offset
  } finally {
    await fh.close()
  }
}
