// The real @actions/cache (service v2), driven through createActionsCache, against the fake results
// service: a directory survives a save/restore round trip, misses are quiet, and every failure is a
// warning through our logger: never a throw, never an error annotation.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  applyEnv,
  startResultsService,
  type ResultsServiceFake
} from '../../__fixtures__/github-results-service.js'
import { createActionsCache } from '../../src/action/cache-store.js'
import { createMemoryLogger, type MemoryLogger } from '../../src/engine/logger.js'
import { captureStdout } from './helpers.js'

let fake: ResultsServiceFake
let work: string
let toolDir: string
let restoreEnv: () => void
let stdout: ReturnType<typeof captureStdout>
let logger: MemoryLogger

const warnings = (): string[] => logger.lines.filter(l => l.level === 'warning').map(l => l.message)

/** Every file under dir, relative path → bytes and mode bits. */
async function snapshot(dir: string): Promise<Record<string, { data: string; mode: number }>> {
  const out: Record<string, { data: string; mode: number }> = {}
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name)
      if (entry.isDirectory()) await walk(rel)
      else {
        const full = path.join(dir, rel)
        out[rel] = { data: (await readFile(full)).toString('base64'), mode: (await stat(full)).mode & 0o777 }
      }
    }
  }
  await walk('')
  return out
}

beforeEach(async () => {
  fake = await startResultsService()
  work = await mkdtemp(path.join(os.tmpdir(), 'ukc-cache-'))
  // A KraftKit-like install: an executable, a nested data file, binary content.
  toolDir = path.join(work, 'workspace', 'tool', 'kraftkit', '0.11.6')
  await mkdir(path.join(toolDir, 'share', 'kraft'), { recursive: true })
  await writeFile(path.join(toolDir, 'kraft'), randomBytes(300 * 1024))
  await chmod(path.join(toolDir, 'kraft'), 0o755)
  await writeFile(path.join(toolDir, 'share', 'kraft', 'config.yaml'), 'no_prompt: true\n')
  const temp = path.join(work, 'temp')
  await mkdir(temp)
  restoreEnv = applyEnv(fake.env({ runnerTemp: temp, workspace: path.join(work, 'workspace') }))
  stdout = captureStdout()
  logger = createMemoryLogger()
})

afterEach(async () => {
  stdout.restore()
  restoreEnv()
  await fake.close()
  await rm(work, { recursive: true, force: true })
})

describe('createActionsCache', () => {
  it('saves a directory and restores it whole into a cleaned place', async () => {
    const cache = createActionsCache(logger)
    const before = await snapshot(toolDir)

    await cache.save([toolDir], 'kraftkit-0.11.6-linux-x86_64')
    expect(fake.cacheEntries().map(e => e.key)).toEqual(['kraftkit-0.11.6-linux-x86_64'])
    await rm(toolDir, { recursive: true })

    const matched = await cache.restore([toolDir], 'kraftkit-0.11.6-linux-x86_64')
    expect(matched).toBe('kraftkit-0.11.6-linux-x86_64')
    expect(await snapshot(toolDir)).toEqual(before)
    expect(warnings()).toEqual([])
  }, 60_000)

  it('returns undefined on a miss, quietly', async () => {
    const matched = await createActionsCache(logger).restore([toolDir], 'unikraft-0.17.0-qemu-x86_64-none')
    expect(matched).toBeUndefined()
    expect(warnings()).toEqual([])
    expect(fake.requests.map(r => r.operation)).toEqual(['GetCacheEntryDownloadURL'])
  })

  it('falls back to the newest entry matching a restore-key prefix', async () => {
    const cache = createActionsCache(logger)
    await cache.save([toolDir], 'unikraft-0.17.0-cfg-aaaa')
    const matched = await cache.restore([toolDir], 'unikraft-0.17.0-cfg-bbbb', ['unikraft-0.17.0-'])
    expect(matched).toBe('unikraft-0.17.0-cfg-aaaa')
  }, 60_000)

  it('misses when the paths differ from the saved ones (they are part of the entry version)', async () => {
    const cache = createActionsCache(logger)
    await cache.save([toolDir], 'kraftkit-0.11.6')
    const matched = await cache.restore([path.join(toolDir, 'kraft')], 'kraftkit-0.11.6')
    expect(matched).toBeUndefined()
  }, 60_000)

  it('warns, without throwing, when the key was already saved (entries are immutable)', async () => {
    const cache = createActionsCache(logger)
    await cache.save([toolDir], 'kraftkit-0.11.6')
    await expect(cache.save([toolDir], 'kraftkit-0.11.6')).resolves.toBeUndefined()
    expect(warnings()).toEqual([
      "cache: could not save 'kraftkit-0.11.6': Error: Failed to CreateCacheEntry: Received non-retryable error: " +
        'Failed request: (409) Conflict: cache entry with the same key, version, and scope already exists'
    ])
    expect(fake.cacheEntries()).toHaveLength(1)
  }, 60_000)

  it('warns when the run may only read the cache (the service denies the write)', async () => {
    applyEnv(fake.env({ cacheScopes: [{ Scope: 'refs/heads/main', Permission: 1 }] }))
    await createActionsCache(logger).save([toolDir], 'kraftkit-0.11.6')
    expect(warnings()).toEqual([expect.stringContaining('cache write denied')])
    expect(fake.cacheEntries()).toEqual([])
  }, 60_000)

  it('warns when there is nothing to save at the paths', async () => {
    await createActionsCache(logger).save([path.join(work, 'missing')], 'kraftkit-0.11.6')
    expect(warnings()).toEqual([expect.stringContaining('do(es) not exist')])
  })

  it('warns on invalid keys instead of throwing (the library throws for these)', async () => {
    const cache = createActionsCache(logger)
    await expect(cache.restore([toolDir], 'a,b')).resolves.toBeUndefined()
    await expect(cache.save([toolDir], 'x'.repeat(600))).resolves.toBeUndefined()
    expect(warnings()).toEqual([
      expect.stringContaining('cannot contain commas'),
      expect.stringContaining('cannot be larger than 512 characters')
    ])
  })

  it('warns once and carries on when the cache service is not available (not on GitHub)', async () => {
    applyEnv({ ACTIONS_RESULTS_URL: undefined })
    const cache = createActionsCache(logger)
    expect(await cache.restore([toolDir], 'k')).toBeUndefined()
    await cache.save([toolDir], 'k')
    expect(warnings()).toEqual([expect.stringContaining('not available')])
    expect(fake.requests).toEqual([])
  })

  it('warns when the service is unreachable', async () => {
    await fake.close()
    const cache = createActionsCache(logger)
    expect(await cache.restore([toolDir], 'k')).toBeUndefined()
    await cache.save([toolDir], 'k')
    expect(warnings()).toEqual([
      expect.stringContaining("could not restore 'k'"),
      expect.stringContaining("could not save 'k'")
    ])
  })

  it('turns a 500 outage into warnings only: no throw, no error annotation', async () => {
    fake.failWith({ status: 500, on: 'rpc' })
    const cache = createActionsCache(logger)
    // Both at once: each waits out the library's retries, and each must get only its own messages.
    const [restored] = await Promise.all([
      cache.restore([toolDir], 'k-restore'),
      cache.save([toolDir], 'k-save')
    ])

    expect(restored).toBeUndefined()
    expect(warnings().sort()).toEqual([
      expect.stringMatching(/^cache: could not restore 'k-restore': Failed to restore: .*\(500\)/),
      expect.stringMatching(/^cache: could not save 'k-save': .*CreateCacheEntry.*\(500\)/)
    ])
    expect(stdout.text()).not.toMatch(/^::error/m)
    expect(stdout.text()).not.toMatch(/^::warning/m)
    expect(fake.cacheEntries()).toEqual([])
  }, 120_000)

  it('leaves annotations written by other work during a cache call on stdout', async () => {
    const ours = process.stdout.write
    const restoring = createActionsCache(logger).restore([toolDir], 'k')
    // Wait until the cache call has taken over stdout, then write from the test's own context:
    // someone else's annotation, not the library's.
    for (let i = 0; i < 10_000 && process.stdout.write === ours; i++) {
      await new Promise<void>(resolve => setImmediate(resolve))
    }
    expect(process.stdout.write).not.toBe(ours)
    process.stdout.write('::warning::a probe timed out\n')
    expect(await restoring).toBeUndefined()
    expect(stdout.text()).toContain('::warning::a probe timed out\n')
    expect(warnings()).toEqual([])
  })

  it('warns when blob storage loses the upload, and leaves no entry behind', async () => {
    fake.failWith({ status: 403, on: 'blob' })
    await createActionsCache(logger).save([toolDir], 'kraftkit-0.11.6')
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^cache: could not save 'kraftkit-0.11.6': Failed to save: Server failed to authenticate the request\. RequestId:\S+ Time:\S+$/
      )
    ])
    expect(fake.cacheEntries()).toEqual([])
  }, 60_000)
})
