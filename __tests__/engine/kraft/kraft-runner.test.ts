// startKraftVm refuses bad input before running kraft, with the errors startVm gives for it (both
// check through vm/spec-check.ts). No VM starts here: the stub kraft only records its calls.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../../src/engine/clock.js'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { startKraftVm, type KraftVmSpec } from '../../../src/engine/kraft/kraft-runner.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { maxMemoryMiB } from '../../../src/engine/vm/memory.js'
import { startVm } from '../../../src/engine/vm/start-vm.js'
import { stubKraft } from './kraft-stub-runner.js'

describe('startKraftVm input', () => {
  let work: string
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'ukc-kr-unit-'))
  })
  afterEach(() => rm(work, { recursive: true, force: true }))

  const base = (): KraftVmSpec => ({
    kraftPath: 'kraft',
    target: join(work, 'kernel'),
    cmd: ['/usr/bin/redis-server'],
    env: {},
    memoryMiB: 64,
    ports: [{ guest: 6379 }],
    accel: 'tcg',
    timeoutMs: 60_000,
    outDir: join(work, 'out'),
    runtimeDir: join(work, 'rt')
  })

  it.each<[string, Partial<KraftVmSpec>, RegExp]>([
    [
      'memory below 8 MiB',
      { memoryMiB: 4 },
      /^Input 'memory' must be a whole number of MiB, at least 8, got '4'$/
    ],
    ['memory above the machine', { memoryMiB: maxMemoryMiB() + 1 }, /at most this machine's \d+M/],
    ['memory not a whole number', { memoryMiB: 64.5 }, /got '64.5'/],
    [
      'a host port twice',
      {
        ports: [
          { guest: 80, host: 18080 },
          { guest: 81, host: 18080 }
        ]
      },
      /names host port 18080 twice/
    ],
    ['a guest port out of range', { ports: [{ guest: 70000 }] }, /TCP ports from 1 to 65535/],
    ['a console cap below 1 KiB', { consoleCap: 100 }, /Input 'console-cap'/],
    ['no time', { timeoutMs: 0 }, /Input 'timeout'/],
    ['an env name with =', { env: { 'A=B': 'c' } }, /Input 'env'/]
  ])('%s is refused before kraft runs, with the error startVm gives', async (_name, over, message) => {
    const spec = { ...base(), ...over }
    const kraft = stubKraft()
    const logger = createMemoryLogger()
    const got: unknown = await startKraftVm(spec, { runner: kraft.runner, logger, clock: systemClock }).then(
      vm => vm.done,
      (err: unknown) => err
    )
    expect(got).toBeInstanceOf(ConfigurationError)
    expect((got as Error).message).toMatch(message)
    expect(kraft.calls).toEqual([])

    const fromStartVm: unknown = await startVm(
      {
        guest: 'unikraft',
        kernel: spec.target,
        cmd: spec.cmd,
        env: spec.env,
        memoryMiB: spec.memoryMiB,
        ports: spec.ports,
        accel: spec.accel,
        timeoutMs: spec.timeoutMs,
        consoleCap: spec.consoleCap,
        outDir: spec.outDir
      },
      { logger }
    ).then(
      () => null,
      (err: unknown) => err
    )
    expect(fromStartVm).toBeInstanceOf(ConfigurationError)
    expect((got as Error).message).toBe((fromStartVm as Error).message)
  })

  it('a kraft that cannot start the VM still leaves an empty console.log and ends as qemu-error', async () => {
    const kraft = stubKraft()
    const vm = await startKraftVm(base(), {
      runner: kraft.runner,
      logger: createMemoryLogger(),
      clock: systemClock
    })
    const result = await vm.done
    expect(result.reason).toBe('qemu-error')
    expect(await readFile(result.consoleLog, 'utf8')).toBe('')
    expect(result.consoleTruncated).toBe(false)
    expect(kraft.calls.map(c => c[1])).toEqual(['run', 'ps', 'rm'])
  })
})
