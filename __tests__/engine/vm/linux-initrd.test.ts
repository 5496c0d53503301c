import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { InfrastructureError } from '../../../src/engine/errors.js'
import {
  INIT_SCRIPT,
  nulRecords,
  PVPANIC_MODULES,
  straceCommand,
  VIRTIO_NET_MODULES
} from '../../../src/engine/vm/linux-init.js'
import { prepareLinuxInitrd, selectModules } from '../../../src/engine/vm/linux-initrd.js'
import { ensureLinuxKernel, type LinuxKernel } from '../../../src/engine/vm/linux-kernel.js'
import { findHostStrace, straceBundle } from '../../../src/engine/vm/linux-strace.js'
import {
  LINUX_CACHE_DIR,
  readNewc,
  removeDir,
  staticBusybox,
  tempDir,
  writeAppCpio
} from './vm-test-support.js'

describe('prepareLinuxInitrd', () => {
  let dir: string
  let kernel: LinuxKernel
  let app: string
  beforeAll(async () => {
    kernel = await ensureLinuxKernel(LINUX_CACHE_DIR)
    dir = await tempDir('initrd')
    app = join(dir, 'app.cpio')
    await writeAppCpio(app, { 'srv/x': 'x' })
  }, 300_000)
  afterAll(() => removeDir(dir))

  it('finds the virtio and pvpanic modules of the Debian cloud kernel, in load order', async () => {
    const sel = await selectModules(kernel.modulesDir as string, [...VIRTIO_NET_MODULES, ...PVPANIC_MODULES])
    expect(sel.missing).toEqual([])
    expect(sel.modules.map(m => m.name)).toEqual([...VIRTIO_NET_MODULES, ...PVPANIC_MODULES])
    expect(sel.modules.find(m => m.name === 'pvpanic_mmio')?.path).toMatch(/pvpanic-mmio\.ko$/)
  })

  it('is the app archive byte for byte, then an overlay with init, busybox, modules, data files and /dev/console', async () => {
    const out = join(dir, 'a', 'initrd.cpio')
    const r = await prepareLinuxInitrd({
      appInitrd: app,
      outPath: out,
      cmd: ['/bin/sh', '-c', 'echo hi'],
      env: { A: '1' },
      cwd: '/srv',
      modulesDir: kernel.modulesDir,
      busybox: await staticBusybox()
    })
    expect(r.warnings).toEqual([])
    expect(r.networkProblem).toBeNull()
    const appBytes = await readFile(app)
    const all = await readFile(out)
    expect(all.subarray(0, appBytes.length).equals(appBytes)).toBe(true)
    const overlay = readNewc(all, appBytes.length)
    expect(overlay.end).toBe(all.length)
    const byName = new Map(overlay.entries.map(e => [e.name, e]))
    expect(byName.get('.ukc/init')?.data.toString()).toBe(INIT_SCRIPT)
    expect(byName.get('.ukc/init')?.mode).toBe(0o100755)
    expect(byName.get('.ukc/argv')?.data.toString()).toBe('/bin/sh\0-c\0echo hi\0')
    expect(byName.get('.ukc/cwd')?.data.toString()).toBe('/srv\0')
    expect(byName.get('.ukc/busybox')?.data.equals(await readFile(await staticBusybox()))).toBe(true)
    expect(byName.get('dev/console')).toMatchObject({ mode: 0o020600, rdevMajor: 5, rdevMinor: 1 })
    const modules = overlay.entries.filter(e => e.name.startsWith('.ukc/modules/')).map(e => e.name)
    const expected = [...VIRTIO_NET_MODULES, ...PVPANIC_MODULES].map(
      (m, i) => `.ukc/modules/${String(i).padStart(2, '0')}-${m}.ko`
    )
    expect(modules).toEqual(expected)
    expect(r.modules).toEqual([...VIRTIO_NET_MODULES, ...PVPANIC_MODULES])
  })

  it('the init text is the same whatever the command: the command travels only as data', async () => {
    const a = await readFile(
      (
        await prepareLinuxInitrd({
          outPath: join(dir, 'b1.cpio'),
          cmd: ['/x'],
          env: {},
          busybox: await staticBusybox()
        })
      ).path
    )
    const b = await readFile(
      (
        await prepareLinuxInitrd({
          outPath: join(dir, 'b2.cpio'),
          cmd: ['/y', '"; poweroff -f; "', '$(id)'],
          env: { EVIL: '`reboot`' },
          busybox: await staticBusybox()
        })
      ).path
    )
    const init = (buf: Buffer): string | undefined =>
      readNewc(buf)
        .entries.find(e => e.name === '.ukc/init')
        ?.data.toString()
    expect(init(a)).toBe(INIT_SCRIPT)
    expect(init(b)).toBe(INIT_SCRIPT)
  })

  it('after a gzip app archive, the overlay starts on a 4-byte boundary (Linux requires it)', async () => {
    const gz = join(dir, 'app.cpio.gz')
    const gzBytes = gzipSync(await readFile(app))
    await writeFile(gz, gzBytes)
    const out = join(dir, 'gz-initrd.cpio')
    await prepareLinuxInitrd({
      appInitrd: gz,
      outPath: out,
      cmd: ['/x'],
      env: {},
      busybox: await staticBusybox()
    })
    const all = await readFile(out)
    expect(all.subarray(0, gzBytes.length).equals(gzBytes)).toBe(true)
    const start = Math.ceil(gzBytes.length / 4) * 4
    expect(all.subarray(gzBytes.length, start).every(b => b === 0)).toBe(true)
    expect(readNewc(all, start).end).toBe(all.length)
  })

  it('compressed modules (.ko.xz, .ko.zst, .ko.gz) are stored plain, since busybox insmod takes only plain ones', async () => {
    const real = (
      await selectModules(kernel.modulesDir as string, ['virtio_ring', 'virtio', 'virtio_pci_modern_dev'])
    ).modules
    const fake = join(dir, 'modules')
    await mkdir(join(fake, 'kernel/drivers/virtio'), { recursive: true })
    const [ring, virtio, modern] = real.map(m => m.path)
    await copyFile(ring, join(fake, 'kernel/drivers/virtio/virtio_ring.ko'))
    await nodeCommandRunner.run(['xz', '-q', join(fake, 'kernel/drivers/virtio/virtio_ring.ko')])
    await copyFile(virtio, join(fake, 'kernel/drivers/virtio/virtio.ko'))
    await nodeCommandRunner.run(['zstd', '-q', '--rm', join(fake, 'kernel/drivers/virtio/virtio.ko')])
    await writeFile(
      join(fake, 'kernel/drivers/virtio/virtio_pci_modern_dev.ko.gz'),
      gzipSync(await readFile(modern))
    )
    const out = join(dir, 'compressed.cpio')
    const r = await prepareLinuxInitrd({
      outPath: out,
      cmd: ['/x'],
      env: {},
      modulesDir: fake,
      busybox: await staticBusybox()
    })
    expect(r.modules).toEqual(['virtio_ring', 'virtio', 'virtio_pci_modern_dev'])
    expect(r.warnings.join()).toMatch(/not found .*virtio_net/)
    expect(r.networkProblem).toBe(
      `the kernel has no virtio_pci or virtio_net (neither a module in ${fake} nor built in)`
    )
    const entries = readNewc(await readFile(out)).entries
    const stored = (name: string): Buffer | undefined =>
      entries.find(e => e.name.endsWith(`-${name}.ko`))?.data
    expect(stored('virtio_ring')?.equals(await readFile(ring))).toBe(true)
    expect(stored('virtio')?.equals(await readFile(virtio))).toBe(true)
    expect(stored('virtio_pci_modern_dev')?.equals(await readFile(modern))).toBe(true)
  })

  it('traced: strace, its loader and libraries and the trace data file join the overlay; untraced: none of them', async () => {
    const strace = await findHostStrace()
    const bundle = await straceBundle(strace)
    const traced = join(dir, 'traced.cpio')
    const r = await prepareLinuxInitrd({
      outPath: traced,
      cmd: ['/x'],
      env: {},
      busybox: await staticBusybox(),
      trace: true
    })
    expect(r.traceBytes).toBe(bundle.bytes)
    const byName = new Map(readNewc(await readFile(traced)).entries.map(e => [e.name, e]))
    expect(byName.get('.ukc/trace')?.data).toEqual(nulRecords(straceCommand()))
    expect(byName.get('.ukc/init')?.data.toString()).toBe(INIT_SCRIPT)
    for (const e of bundle.entries.filter(f => f.type === 'file')) {
      expect(byName.get(e.path)?.data.equals(await readFile(e.source as string))).toBe(true)
    }
    expect(byName.get('.ukc/strace/strace')?.mode).toBe(0o100755)

    const plain = await prepareLinuxInitrd({
      outPath: join(dir, 'plain.cpio'),
      cmd: ['/x'],
      env: {},
      busybox: await staticBusybox()
    })
    expect(plain.traceBytes).toBe(0)
    const names = readNewc(await readFile(plain.path)).entries.map(e => e.name)
    expect(names.filter(n => n === '.ukc/trace' || n.startsWith('.ukc/strace'))).toEqual([])
  })

  it('traced with a strace that is missing: an InfrastructureError before any file is written', async () => {
    const out = join(dir, 'never.cpio')
    const err = await prepareLinuxInitrd({
      outPath: out,
      cmd: ['/x'],
      env: {},
      busybox: await staticBusybox(),
      trace: true,
      strace: join(dir, 'no-strace')
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InfrastructureError)
    expect((err as InfrastructureError).hint).toMatch(/apt-get install strace$/)
    await expect(readFile(out)).rejects.toThrow(/ENOENT/)
  })

  it('without a modules directory: no modules, and a warning that there is no network', async () => {
    const r = await prepareLinuxInitrd({
      outPath: join(dir, 'c.cpio'),
      cmd: ['/x'],
      env: {},
      busybox: await staticBusybox()
    })
    expect(r.modules).toEqual([])
    expect(r.warnings.join()).toMatch(/no network/)
    expect(r.networkProblem).toMatch(/no kernel modules directory/)
  })

  it('a driver built into the kernel needs no module file and is no network problem', async () => {
    // Ubuntu's kvm flavour, say: the virtio drivers built in, other modules under kernel/.
    const fake = join(dir, 'builtin-modules')
    await mkdir(join(fake, 'kernel'), { recursive: true })
    await writeFile(
      join(fake, 'modules.builtin'),
      'kernel/drivers/virtio/virtio_pci.ko\nkernel/drivers/net/virtio_net.ko\n'
    )
    const r = await prepareLinuxInitrd({
      outPath: join(dir, 'b.cpio'),
      cmd: ['/x'],
      env: {},
      modulesDir: fake,
      busybox: await staticBusybox()
    })
    expect(r.networkProblem).toBeNull()
  })
})
