// Captures the Linux baseline console logs in this folder with the project's own VM runner (Debian's
// cloud kernel, the generated /init, TCG). Run: npx tsx __fixtures__/diagnose/capture-linux-baseline.ts
// The app root filesystem: static busybox, plus Debian's dynamically linked /bin/true with its
// dynamic loader but without libc (the "missing library" case).
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryLogger } from '../../src/engine/logger.js'
import { writeCpio, type CpioEntry } from '../../src/engine/rootfs/cpio-writer.js'
import { findHostStaticBusybox } from '../../src/engine/vm/busybox.js'
import { ensureLinuxKernel, startVm } from '../../src/engine/vm/index.js'

const here = new URL('.', import.meta.url).pathname
const CACHE = join(tmpdir(), 'unikraft-compat-test-cache', 'linux')

const CASES: { name: string; cmd: string[] }[] = [
  { name: 'linux-baseline-exit-0', cmd: ['sh', '-c', 'echo hello from the baseline; exit 0'] },
  { name: 'linux-baseline-exit-3', cmd: ['sh', '-c', 'echo about to fail >&2; exit 3'] },
  { name: 'linux-baseline-missing-exec', cmd: ['/usr/bin/nope'] },
  { name: 'linux-baseline-missing-lib', cmd: ['/bin/true'] }
]

async function main(): Promise<void> {
  const kernel = await ensureLinuxKernel(CACHE)
  const dir = await mkdtemp(join(tmpdir(), 'ukc-capture-'))
  try {
    const bb = await findHostStaticBusybox()
    if (!bb) throw new Error('no static busybox on this machine')
    const entries: CpioEntry[] = [
      { path: 'bin', type: 'dir', mode: 0o755 },
      { path: 'bin/busybox', type: 'file', mode: 0o755, source: bb, size: (await stat(bb)).size },
      { path: 'bin/sh', type: 'symlink', mode: 0o777, linkTarget: 'busybox' },
      {
        path: 'bin/true',
        type: 'file',
        mode: 0o755,
        source: '/bin/true',
        size: (await stat('/bin/true')).size
      },
      { path: 'lib64', type: 'dir', mode: 0o755 },
      {
        path: 'lib64/ld-linux-x86-64.so.2',
        type: 'file',
        mode: 0o755,
        source: '/lib64/ld-linux-x86-64.so.2',
        size: (await stat('/lib64/ld-linux-x86-64.so.2')).size
      }
    ]
    const cpio = join(dir, 'app.cpio')
    await writeCpio(entries, cpio)
    for (const c of CASES) {
      const out = join(dir, c.name)
      const vm = await startVm(
        {
          guest: 'linux',
          kernel: kernel.kernel,
          initrd: cpio,
          linuxModulesDir: kernel.modulesDir ?? undefined,
          cmd: c.cmd,
          env: {},
          memoryMiB: 256,
          ports: [],
          accel: 'tcg',
          timeoutMs: 170_000,
          bootTimeoutMs: 150_000,
          outDir: out
        },
        { logger: createMemoryLogger() }
      )
      const r = await vm.done
      await copyFile(r.consoleLog, join(here, `${c.name}.log`))
      console.log(c.name, r.reason, 'qemu exit', r.qemuExit, 'guest exit', r.guestExit)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
