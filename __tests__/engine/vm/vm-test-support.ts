// Shared by the VM tests: a kernel cache kept between runs, a tiny app root filesystem (static
// busybox), temp dirs, and the check that no QEMU of a test is left in the process table.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeCpio, type CpioEntry } from '../../../src/engine/rootfs/cpio-writer.js'
import { findHostStaticBusybox } from '../../../src/engine/vm/busybox.js'
import type { VmSpec } from '../../../src/engine/vm/vm-types.js'

/** A tiny multiboot guest's VM: no command, no ports, 32 MiB, TCG unless `over` says otherwise. */
export function tinyGuestSpec(kernel: string, outDir: string, over: Partial<VmSpec> = {}): VmSpec {
  return {
    guest: 'unikraft',
    kernel,
    cmd: [],
    env: {},
    memoryMiB: 32,
    ports: [],
    accel: 'tcg',
    timeoutMs: 120_000,
    outDir,
    ...over
  }
}

/** Kept between runs (and shared by test files) so the kernel package is downloaded once. */
export const TEST_CACHE_DIR = join(tmpdir(), 'unikraft-compat-test-cache')
export const LINUX_CACHE_DIR = join(TEST_CACHE_DIR, 'linux')

export async function tempDir(prefix: string): Promise<string> {
  // Short paths: the QMP socket lives in the out dir when the path fits a unix socket name.
  return mkdtemp(join(tmpdir(), `ukc-${prefix}-`))
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true })
}

/** Pids of live QEMU processes whose command line mentions `marker` (e.g. a test's out dir). */
export async function qemuProcessesMentioning(marker: string): Promise<number[]> {
  const out: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0').join(' ')
      const state = await readFile(`/proc/${name}/stat`, 'utf8')
      if (/^\d+ \(.*\) Z /.test(state)) continue
      if (cmdline.includes('qemu-system') && cmdline.includes(marker)) out.push(Number(name))
    } catch {
      // exited while we looked
    }
  }
  return out
}

export async function staticBusybox(): Promise<string> {
  const bb = await findHostStaticBusybox()
  if (!bb) throw new Error('these tests need a static busybox (apt-get install busybox-static)')
  return bb
}

/**
 * An app root filesystem as the rootfs stage would hand it over: /bin/busybox with /bin/sh, plus
 * `files` (path -> content), as an uncompressed newc archive.
 */
export async function writeAppCpio(outPath: string, files: Record<string, string> = {}): Promise<void> {
  const bb = await staticBusybox()
  const entries: CpioEntry[] = [
    { path: 'bin', type: 'dir', mode: 0o755 },
    { path: 'bin/busybox', type: 'file', mode: 0o755, source: bb, size: (await stat(bb)).size },
    { path: 'bin/sh', type: 'symlink', mode: 0o777, linkTarget: 'busybox' },
    { path: 'etc', type: 'dir', mode: 0o755 },
    { path: 'srv', type: 'dir', mode: 0o755 }
  ]
  for (const [path, content] of Object.entries(files)) {
    entries.push({ path, type: 'file', mode: 0o644, data: Buffer.from(content) })
  }
  await writeCpio(entries, outPath)
}

export interface NewcEntry {
  name: string
  mode: number
  rdevMajor: number
  rdevMinor: number
  data: Buffer
}

/** Reads one newc archive starting at `offset`; returns its entries and where it ended. */
export function readNewc(buf: Buffer, offset = 0): { entries: NewcEntry[]; end: number } {
  const entries: NewcEntry[] = []
  let at = offset
  for (;;) {
    const magic = buf.toString('latin1', at, at + 6)
    if (magic !== '070701') throw new Error(`no newc header at ${at} (${JSON.stringify(magic)})`)
    const field = (i: number): number => parseInt(buf.toString('latin1', at + 6 + i * 8, at + 14 + i * 8), 16)
    const mode = field(1)
    const size = field(6)
    const nameSize = field(11)
    const name = buf.toString('utf8', at + 110, at + 110 + nameSize - 1)
    const dataAt = at + Math.ceil((110 + nameSize) / 4) * 4
    const data = buf.subarray(dataAt, dataAt + size)
    const entry = { name, mode, rdevMajor: field(9), rdevMinor: field(10), data }
    at = dataAt + Math.ceil(size / 4) * 4
    if (name === 'TRAILER!!!') return { entries, end: at }
    entries.push(entry)
  }
}
