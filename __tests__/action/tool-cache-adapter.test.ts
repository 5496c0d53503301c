import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSetupDepsForTest } from './adapter-deps.js'
import { nodeCommandRunner } from '../../src/engine/command-runner.js'
import { InfrastructureError } from '../../src/engine/errors.js'
import { createMemoryLogger } from '../../src/engine/logger.js'
import { installKraftkit } from '../../src/engine/setup/kraftkit-install.js'
import {
  buildKraftTarball,
  sha256,
  startReleaseServer,
  type ReleaseServer
} from '../engine/setup/release-server.js'

const VERSION = '0.11.6'
const TARBALL = `kraft_${VERSION}_linux_amd64.tar.gz`
const SUMS = `kraftkit_${VERSION}_checksums.txt`

describe('the @actions/tool-cache adapter, as the action runs it', () => {
  let work: string
  let server: ReleaseServer
  const saved: Record<string, string | undefined> = {}

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ukc-tc-'))
    for (const k of [
      'RUNNER_TOOL_CACHE',
      'RUNNER_TEMP',
      'ACTIONS_CACHE_URL',
      'ACTIONS_RESULTS_URL',
      'ACTIONS_CACHE_SERVICE_V2'
    ]) {
      saved[k] = process.env[k]
      delete process.env[k]
    }
    process.env.RUNNER_TOOL_CACHE = join(work, 'toolcache')
    process.env.RUNNER_TEMP = join(work, 'temp')
    const tarball = buildKraftTarball(VERSION)
    server = await startReleaseServer(VERSION, {
      [TARBALL]: tarball,
      [SUMS]: `${sha256(tarball)}  ${TARBALL}\n`
    })
  })
  afterAll(async () => {
    await server.close()
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    await rm(work, { recursive: true, force: true })
  })

  it('installs into RUNNER_TOOL_CACHE with tc.downloadTool and tc.cacheDir, then finds it with tc.find', async () => {
    const logger = createMemoryLogger()
    const gh = await createSetupDepsForTest(logger)
    const first = await installKraftkit(
      { version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl },
      { ...gh, logger, runner: nodeCommandRunner, tmpDir: work, persistDir: join(work, 'persist') }
    )
    expect(first.path).toBe(join(work, 'toolcache', 'kraftkit', VERSION, 'amd64', 'kraft'))
    expect(existsSync(join(work, 'toolcache', 'kraftkit', VERSION, 'amd64.complete'))).toBe(true)
    expect(execFileSync(first.path, { encoding: 'utf8' })).toContain(VERSION)
    // No cache service here: restore was a miss with a warning, never an error.
    expect(logger.lines.filter(l => l.level === 'warning').map(l => l.message)).toEqual([
      expect.stringContaining('cache service is not available')
    ])

    const count = server.requests.length
    const second = await installKraftkit(
      { version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl },
      { ...gh, logger, runner: nodeCommandRunner, tmpDir: work }
    )
    expect(second).toMatchObject({ path: first.path, source: 'tool-cache' })
    expect(server.requests.length).toBe(count)
  })

  it('turns a 404 from tc.downloadTool into an InfrastructureError naming the URL', async () => {
    const logger = createMemoryLogger()
    const gh = await createSetupDepsForTest(logger)
    const run = gh.download(`${server.baseUrl}/v${VERSION}/missing.tar.gz`, join(work, 'missing.tar.gz'))
    await expect(run).rejects.toThrow(InfrastructureError)
    await expect(run).rejects.toThrow(
      `could not download ${server.baseUrl}/v${VERSION}/missing.tar.gz: HTTP 404`
    )
  })

  it('saving to an unreachable cache service is a warning, not a failure', async () => {
    const logger = createMemoryLogger()
    const gh = await createSetupDepsForTest(logger)
    await expect(gh.persistentCache.save([join(work, 'toolcache')], 'k')).resolves.toBeUndefined()
    expect(logger.lines.some(l => l.level === 'warning')).toBe(true)
    expect(logger.lines.some(l => l.level === 'error')).toBe(false)
  })
})
