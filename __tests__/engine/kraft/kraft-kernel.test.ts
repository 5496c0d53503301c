import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { ConfigurationError, InfrastructureError, InterruptedError } from '../../../src/engine/errors.js'
import { buildProbeKernel } from '../../../src/engine/vm/probe-kernel.js'
import { ensureUnikraftKernel, type KernelDeps } from '../../../src/engine/kraft/kraft-kernel.js'
import { generateKraftfile, kernelCacheKey } from '../../../src/engine/kraft/kraftfile.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import type { PersistentCache } from '../../../src/engine/setup/tool-cache.js'
import { writeFakeKraft, type FakeKraftCall } from './fake-kraft.js'

function dirCache(root: string): PersistentCache & { saved: string[]; restored: string[] } {
  const saved: string[] = []
  const restored: string[] = []
  return {
    saved,
    restored,
    async restore(paths, key) {
      try {
        await readdir(join(root, key))
      } catch {
        return undefined
      }
      for (const [i, p] of paths.entries()) await cp(join(root, key, String(i)), p, { recursive: true })
      restored.push(key)
      return key
    },
    async save(paths, key) {
      for (const [i, p] of paths.entries()) await cp(p, join(root, key, String(i)), { recursive: true })
      saved.push(key)
    }
  }
}

describe('ensureUnikraftKernel', () => {
  let work: string
  let kraft: string
  let callLog: string
  const saved = { log: process.env.FAKE_KRAFT_LOG, offline: process.env.FAKE_KRAFT_OFFLINE }
  const deps = (extra: Partial<KernelDeps> = {}): KernelDeps => ({
    runner: nodeCommandRunner,
    logger: createMemoryLogger(),
    ...extra
  })
  const calls = async (): Promise<FakeKraftCall[]> =>
    (await readFile(callLog, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map(l => JSON.parse(l) as FakeKraftCall)

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'ukc-kernel-'))
    await mkdir(join(work, 'bin'))
    kraft = await writeFakeKraft(join(work, 'bin'))
    callLog = join(work, 'calls.jsonl')
    process.env.FAKE_KRAFT_LOG = callLog
    delete process.env.FAKE_KRAFT_OFFLINE
  })
  afterEach(async () => {
    for (const [k, v] of [
      ['FAKE_KRAFT_LOG', saved.log],
      ['FAKE_KRAFT_OFFLINE', saved.offline]
    ] as const) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    await rm(work, { recursive: true, force: true })
  })

  it('uses a given kernel as is, without kraft', async () => {
    const k = join(work, 'my-kernel')
    await writeFile(k, buildProbeKernel({ message: 'hi', then: 'exit' }))
    const r = await ensureUnikraftKernel(
      {
        kernel: k,
        unikraftVersion: 'latest',
        arch: 'x86_64',
        kraftPath: '/nonexistent/kraft',
        workDir: join(work, 'w')
      },
      deps()
    )
    expect(r).toEqual({ path: k, source: 'given', cacheKey: null, persist: null, logFile: null })
  })

  it.each([['missing'], ['a directory']])(
    'rejects a given kernel that is %s, naming the input',
    async what => {
      const k = what === 'missing' ? join(work, 'nope') : work
      const run = ensureUnikraftKernel(
        { kernel: k, unikraftVersion: 'latest', arch: 'x86_64', kraftPath: kraft, workDir: join(work, 'w') },
        deps()
      )
      await expect(run).rejects.toThrow(ConfigurationError)
      await expect(run).rejects.toThrow(
        `Input 'kernel' must be a readable kernel image file, got '${k}': ${what === 'missing' ? 'no such file' : 'not a regular file'}`
      )
    }
  )

  it('latest: pulls unikraft.org/base:latest non-interactively and returns its kernel', async () => {
    const r = await ensureUnikraftKernel(
      { unikraftVersion: 'latest', arch: 'x86_64', kraftPath: kraft, workDir: join(work, 'w') },
      deps()
    )
    expect(r).toMatchObject({
      path: join(work, 'w', 'base-latest', 'unikraft', 'bin', 'kernel'),
      source: 'pulled'
    })
    const [call] = await calls()
    expect(call.argv).toEqual([
      'pkg',
      'pull',
      '--no-prompt',
      '--log-type',
      'basic',
      '--plat',
      'qemu',
      '--arch',
      'x86_64',
      '-w',
      join(work, 'w', 'base-latest'),
      'unikraft.org/base:latest'
    ])
    expect(call.env).toMatchObject({
      KRAFTKIT_NO_CHECK_UPDATES: 'true',
      KRAFTKIT_NO_WARN_SUDO: 'true',
      KRAFTKIT_NO_PROMPT: 'true'
    })
  })

  it.each([
    [
      'latest',
      'kraft pkg pull unikraft.org/base:latest failed (exit 1):\nE  could not find unikraft.org/base:latest'
    ],
    ['0.18.0', 'kraft build of Unikraft 0.18.0 failed (exit 1):\nE  could not complete build']
  ])(
    '%s offline: a clear InfrastructureError pointing at --kernel and guest: linux',
    async (unikraftVersion, message) => {
      process.env.FAKE_KRAFT_OFFLINE = '1'
      const run = ensureUnikraftKernel(
        { unikraftVersion, arch: 'x86_64', kraftPath: kraft, workDir: join(work, 'w') },
        deps()
      )
      await expect(run).rejects.toThrow(InfrastructureError)
      await expect(run).rejects.toThrow(message)
      await expect(run).rejects.toMatchObject({
        hint: expect.stringMatching(/--kernel.*guest: linux/)
      })
    }
  )

  it('kraft missing altogether: the same hint', async () => {
    const run = ensureUnikraftKernel(
      {
        unikraftVersion: 'latest',
        arch: 'x86_64',
        kraftPath: join(work, 'no-kraft'),
        workDir: join(work, 'w')
      },
      deps()
    )
    await expect(run).rejects.toThrow(
      `kraft pkg pull unikraft.org/base:latest failed: '${join(work, 'no-kraft')}' is not installed`
    )
    await expect(run).rejects.toMatchObject({ hint: expect.stringMatching(/--kernel.*guest: linux/) })
  })

  it('a signal during a kraft build ends it at once: interrupted, no kernel, not a build failure', async () => {
    process.env.FAKE_KRAFT_BUILD_SECONDS = '60'
    try {
      const abort = new AbortController()
      const started = performance.now()
      setTimeout(() => abort.abort('SIGTERM'), 300)
      const run = ensureUnikraftKernel(
        { unikraftVersion: '0.18.0', arch: 'x86_64', kraftPath: kraft, workDir: join(work, 'w') },
        deps({ signal: abort.signal })
      )
      await expect(run).rejects.toThrow(InterruptedError)
      await expect(run).rejects.toThrow('interrupted by SIGTERM during kraft build of Unikraft 0.18.0')
      expect(performance.now() - started).toBeLessThan(10_000)
    } finally {
      delete process.env.FAKE_KRAFT_BUILD_SECONDS
    }
  }, 30_000)

  it('pinned: builds the generated Kraftfile once, then comes from the cross-run cache', async () => {
    const cache = dirCache(join(work, 'gh-cache'))
    const req = { unikraftVersion: '0.18.0', arch: 'x86_64', kraftPath: kraft, workDir: join(work, 'w') }
    const first = await ensureUnikraftKernel(req, deps({ persistentCache: cache }))
    const key = kernelCacheKey(
      '0.18.0',
      'x86_64',
      generateKraftfile({ unikraftVersion: '0.18.0', arch: 'x86_64', plat: 'qemu' })
    )
    expect(first).toMatchObject({
      source: 'built',
      cacheKey: key,
      persist: { paths: [join(work, 'w', 'kernels', key)], key }
    })
    expect(await readFile(join(work, 'w', 'unikraft-0.18.0-x86_64', 'Kraftfile'), 'utf8')).toBe(
      generateKraftfile({ unikraftVersion: '0.18.0', arch: 'x86_64', plat: 'qemu' })
    )
    expect(await readFile(first.path, 'utf8')).toContain('version: RELEASE-0.18.0')
    expect(await readFile(first.logFile!, 'utf8')).toContain('build --no-prompt --log-type basic')
    await cache.save(first.persist!.paths, first.persist!.key)

    // Another job of the matrix: fresh work directory, warm cache service.
    await rm(join(work, 'w'), { recursive: true })
    const before = (await calls()).length
    const second = await ensureUnikraftKernel(req, deps({ persistentCache: cache }))
    expect(second).toMatchObject({ source: 'persistent-cache', path: first.path, persist: null })
    expect((await calls()).length).toBe(before)
    expect(cache.restored).toEqual([key])
  })

  it.each([
    ['0.18', "Input 'unikraft-version' must be 'latest' or a release like 0.18.0, got '0.18'"],
    ['stable', "Input 'unikraft-version'"]
  ])('rejects unikraft-version %j before running kraft', async (unikraftVersion, message) => {
    const run = ensureUnikraftKernel(
      { unikraftVersion, arch: 'x86_64', kraftPath: kraft, workDir: join(work, 'w') },
      deps()
    )
    await expect(run).rejects.toThrow(message)
    expect(await calls()).toEqual([])
  })
})
