// Shared by the VM tests: a kernel cache kept between runs, a tiny app root filesystem (static
// busybox), temp dirs, and the check that no QEMU of a test is left in the process table.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeCpio, type CpioEntry } from '../../src/engine/rootfs/cpio-writer.js'
import { findHostStaticBusybox } from '../../src/engine/vm/busybox.js'

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
