import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { nodeCommandRunner, type CommandRunner } from '../../../src/engine/command-runner.js'
import { InfrastructureError } from '../../../src/engine/errors.js'
import { parseAptDepends } from '../../../src/engine/vm/apt-package.js'
import { ensureLinuxKernel } from '../../../src/engine/vm/linux-kernel.js'
import { LINUX_CACHE_DIR, removeDir, tempDir } from './vm-test-support.js'

describe('parseAptDepends', () => {
  it.each([
    [
      'Debian cloud metapackage',
      'linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-56-cloud-amd64\n',
      ['linux-image-6.1.0-56-cloud-amd64']
    ],
    [
      'alternatives and virtual packages',
      'x\n  Depends: kmod\n |Depends: initramfs-tools\n  Depends: <linux-initramfs-tool>\n  Recommends: firmware-linux-free\n',
      ['kmod', 'initramfs-tools']
    ],
    ['an architecture suffix', 'x\n  Depends: libc6:amd64\n', ['libc6']]
  ])('%s', (_name, text, deps) => {
    expect(parseAptDepends(text)).toEqual(deps)
  })
})

/** Counts what the real runner is asked to run. */
function countingRunner(): CommandRunner & { calls: string[][] } {
  const calls: string[][] = []
  return {
    calls,
    run: (argv, opts) => {
      calls.push([...argv])
      return nodeCommandRunner.run(argv, opts)
    }
  }
}

describe('ensureLinuxKernel (real apt-get download into the shared test cache)', () => {
  it('returns the vmlinuz, modules and version of the concrete cloud kernel package; a second call runs nothing', async () => {
    const first = await ensureLinuxKernel(LINUX_CACHE_DIR)
    expect(first.package).toMatch(/^linux-image-\d+\.\d+\.\d+-\d+-cloud-amd64$/)
    expect(first.release).toBe(first.package.slice('linux-image-'.length))
    expect(first.version).toMatch(/^\d+\.\d+\.\d+-\d+/)
    // A bzImage: the boot protocol's "HdrS" at 0x202.
    const head = await readFile(first.kernel)
    expect(head.subarray(0x202, 0x206).toString('latin1')).toBe('HdrS')
    expect(first.modulesDir).not.toBeNull()
    await stat(join(first.modulesDir as string, 'kernel/drivers/net/virtio_net.ko'))

    const runner = countingRunner()
    const second = await ensureLinuxKernel(LINUX_CACHE_DIR, { runner })
    expect(second).toEqual(first)
    expect(runner.calls).toEqual([])
  }, 300_000)

  describe('without apt on the PATH', () => {
    let dir: string
    beforeAll(async () => {
      dir = await tempDir('noapt')
    })
    afterAll(() => removeDir(dir))

    it('fails with an InfrastructureError that says what is missing and what to do', async () => {
      const noApt: CommandRunner = {
        run: (argv, opts) => nodeCommandRunner.run(argv, { ...opts, env: { PATH: '/nonexistent' } })
      }
      const err = await ensureLinuxKernel(dir, { runner: noApt }).catch(e => e)
      expect(err).toBeInstanceOf(InfrastructureError)
      expect(err.message).toMatch(/'apt-cache' is not available on this machine/)
      expect(err.hint).toMatch(/apt-get and dpkg/)
    })
  })
})
