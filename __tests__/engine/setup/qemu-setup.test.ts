import { describe, expect, it } from '@jest/globals'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeCommandRunner, type CommandRunner, type RunResult } from '../../../src/engine/command-runner.js'
import { InfrastructureError } from '../../../src/engine/errors.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { checkQemu, ensureQemu, planQemuInstall } from '../../../src/engine/setup/qemu-setup.js'
import { which } from '../../../src/engine/setup/which.js'

const realQemu = which('qemu-system-x86_64')

/** Runs real programs, but records and answers apt-get (the archive is not what is under test). */
function aptRecordingRunner(aptCode: number): { runner: CommandRunner; calls: string[][] } {
  const calls: string[][] = []
  return {
    calls,
    runner: {
      async run(argv, opts) {
        if (argv.includes('apt-get')) {
          calls.push([...argv])
          const r: RunResult = {
            argv,
            code: aptCode,
            signal: null,
            stdout: '',
            stderr: aptCode ? 'E: Unable to locate package qemu-system-x86' : '',
            timedOut: false,
            durationMs: 1
          }
          return r
        }
        return nodeCommandRunner.run(argv, opts)
      }
    }
  }
}

describe('planQemuInstall', () => {
  it.each([
    [
      { isRoot: true, hasSudo: false },
      [
        ['apt-get', 'update'],
        [
          'env',
          'DEBIAN_FRONTEND=noninteractive',
          'apt-get',
          'install',
          '-y',
          '--no-install-recommends',
          'qemu-system-x86'
        ]
      ]
    ],
    [
      { isRoot: false, hasSudo: true },
      [
        ['sudo', '-n', 'apt-get', 'update'],
        [
          'sudo',
          '-n',
          'env',
          'DEBIAN_FRONTEND=noninteractive',
          'apt-get',
          'install',
          '-y',
          '--no-install-recommends',
          'qemu-system-x86'
        ]
      ]
    ]
  ])('%j -> %j', (p, steps) => {
    expect(planQemuInstall(p)).toEqual(steps)
  })

  it('refuses without root or passwordless sudo, saying how to install it by hand', () => {
    const err = (() => {
      try {
        planQemuInstall({ isRoot: false, hasSudo: false })
      } catch (e) {
        return e as InfrastructureError
      }
    })()
    expect(err).toBeInstanceOf(InfrastructureError)
    expect(err?.hint).toContain('apt-get install -y qemu-system-x86')
  })
})

describe('checkQemu', () => {
  const maybe = realQemu ? it : it.skip
  maybe('finds the installed QEMU and reads its version', async () => {
    const s = await checkQemu({ runner: nodeCommandRunner, logger: createMemoryLogger() })
    expect(s.path).toBe(realQemu)
    expect(s.version).toMatch(/^\d+\.\d+\.\d+$/)
    expect(s.ok).toBe(true)
    expect(s.tooOld).toBe(false)
  })

  maybe('calls a QEMU older than the minimum too old', async () => {
    const s = await checkQemu({ runner: nodeCommandRunner, logger: createMemoryLogger(), minimum: '99.0.0' })
    expect(s).toMatchObject({ ok: false, tooOld: true })
    expect(s.problem).toContain('older than the 99.0.0')
  })

  it('reports a QEMU that is not on PATH', async () => {
    const s = await checkQemu({
      runner: nodeCommandRunner,
      logger: createMemoryLogger(),
      pathVar: '/nonexistent'
    })
    expect(s).toEqual({
      path: null,
      version: null,
      ok: false,
      tooOld: false,
      problem: 'qemu-system-x86_64 is not on PATH'
    })
  })

  it('does not trust a binary whose version it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ukc-qemu-'))
    try {
      const fake = join(dir, 'qemu-system-x86_64')
      await writeFile(fake, '#!/bin/sh\necho "something else"\n')
      await chmod(fake, 0o755)
      const s = await checkQemu({ runner: nodeCommandRunner, logger: createMemoryLogger(), pathVar: dir })
      expect(s).toMatchObject({ path: fake, version: null, ok: false })
      expect(s.problem).toContain('something else')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('ensureQemu', () => {
  it('without install permission, fails with a hint naming the package', async () => {
    const run = ensureQemu(
      { runner: nodeCommandRunner, logger: createMemoryLogger(), pathVar: '/nonexistent' },
      { install: false }
    )
    await expect(run).rejects.toThrow(InfrastructureError)
    await expect(run).rejects.toMatchObject({ hint: expect.stringContaining('qemu-system-x86') })
  })

  it('runs the apt plan with sudo when not root, and fails naming the command that failed', async () => {
    const { runner, calls } = aptRecordingRunner(100)
    const run = ensureQemu(
      {
        runner,
        logger: createMemoryLogger(),
        pathVar: '/nonexistent',
        privileges: { isRoot: false, hasSudo: true }
      },
      { install: true }
    )
    await expect(run).rejects.toThrow(
      /'sudo -n apt-get update' failed \(exit 100\):\nE: Unable to locate package/
    )
    expect(calls).toEqual([['sudo', '-n', 'apt-get', 'update']])
  })

  it('after a successful install that still leaves no QEMU, says so instead of pretending', async () => {
    const { runner, calls } = aptRecordingRunner(0)
    const run = ensureQemu(
      {
        runner,
        logger: createMemoryLogger(),
        pathVar: '/nonexistent',
        privileges: { isRoot: true, hasSudo: false }
      },
      { install: true }
    )
    await expect(run).rejects.toThrow('still not usable after installing qemu-system-x86')
    expect(calls.map(c => c.slice(-1)[0])).toEqual(['update', 'qemu-system-x86'])
  })

  const maybe = realQemu ? it : it.skip
  maybe('uses a present QEMU without installing anything', async () => {
    const { runner, calls } = aptRecordingRunner(0)
    const logger = createMemoryLogger()
    const s = await ensureQemu({ runner, logger }, { install: true })
    expect(s.ok).toBe(true)
    expect(calls).toEqual([])
    expect(logger.lines.map(l => l.message).join('\n')).toContain(`QEMU ${s.version} at ${realQemu}`)
  })
})
