import { describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CommandRunner } from '../../../src/engine/command-runner.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { enableKvmForRunner, KVM_UDEV_RULE, kvmUdevSetupArgv } from '../../../src/engine/setup/kvm-setup.js'

const RULE = '/etc/udev/rules.d/99-kvm4all.rules'

/** A runner that must never be called: the cases below change nothing on the machine. */
const noRunner: CommandRunner = {
  run: async argv => {
    throw new Error(`unexpected command: ${argv.join(' ')}`)
  }
}

describe('kvmUdevSetupArgv', () => {
  it('writes the documented rule', () => {
    expect(KVM_UDEV_RULE).toBe('KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"\n')
  })

  it.each([
    [
      true,
      [
        { kind: 'write-file', path: RULE, content: KVM_UDEV_RULE, mode: 0o644 },
        { kind: 'run', argv: ['udevadm', 'control', '--reload-rules'] },
        { kind: 'run', argv: ['udevadm', 'trigger', '--name-match=kvm'] }
      ]
    ],
    [
      false,
      [
        { kind: 'write-file', path: '/tmp/s/99-kvm4all.rules', content: KVM_UDEV_RULE, mode: 0o644 },
        { kind: 'run', argv: ['sudo', '-n', 'install', '-m', '0644', '/tmp/s/99-kvm4all.rules', RULE] },
        { kind: 'run', argv: ['sudo', '-n', 'udevadm', 'control', '--reload-rules'] },
        { kind: 'run', argv: ['sudo', '-n', 'udevadm', 'trigger', '--name-match=kvm'] }
      ]
    ]
  ])('isRoot=%s -> steps without a shell', (isRoot, steps) => {
    expect(kvmUdevSetupArgv({ isRoot }, { stagingPath: '/tmp/s/99-kvm4all.rules' })).toEqual(steps)
  })
})

describe('enableKvmForRunner', () => {
  it('does nothing outside GitHub Actions', async () => {
    const r = await enableKvmForRunner({ runner: noRunner, logger: createMemoryLogger(), env: {} })
    expect(r).toEqual({ attempted: false, accessible: false, detail: 'not a GitHub Actions runner' })
  })

  it('does nothing on a runner without /dev/kvm (arm runners)', async () => {
    const r = await enableKvmForRunner({
      runner: noRunner,
      logger: createMemoryLogger(),
      env: { GITHUB_ACTIONS: 'true' },
      platform: 'linux',
      device: '/nonexistent/kvm'
    })
    expect(r.attempted).toBe(false)
    expect(r.detail).toContain('does not exist')
  })

  it('leaves an already usable device alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ukc-kvm-'))
    try {
      const device = join(dir, 'kvm')
      await writeFile(device, '')
      const r = await enableKvmForRunner({
        runner: noRunner,
        logger: createMemoryLogger(),
        env: { GITHUB_ACTIONS: 'true' },
        platform: 'linux',
        device
      })
      expect(r).toEqual({ attempted: false, accessible: true, detail: `${device} is already usable` })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('is a no-op on macOS and Windows runners', async () => {
    const r = await enableKvmForRunner({
      runner: noRunner,
      logger: createMemoryLogger(),
      env: { GITHUB_ACTIONS: 'true' },
      platform: 'darwin'
    })
    expect(r.attempted).toBe(false)
  })
})
