// The real @actions/artifact, driven through uploadRunArtifacts, against the fake results service:
// uploads arrive whole, names are unique within a run, and a failing service never fails the job.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  applyEnv,
  startResultsService,
  type ResultsServiceFake
} from '../../__fixtures__/github-results-service.js'
import { uploadRunArtifacts } from '../../src/action/artifacts.js'
import { createMemoryLogger, type MemoryLogger } from '../../src/engine/logger.js'
import { captureStdout, readZip, unzipTest } from './helpers.js'

let fake: ResultsServiceFake
let work: string
let restoreEnv: () => void
let stdout: ReturnType<typeof captureStdout>
let logger: MemoryLogger

// What a check leaves behind: text logs with CRLF and ANSI bytes, JSON, a nested baseline log, and
// a build log big enough (9 MiB, incompressible) that the zip goes up in more than one 8 MiB block.
const runFiles: Record<string, Buffer> = {
  'console.log': Buffer.from(
    '\x1b[0mPowered by\r\nCalypso 0.17.0~484ff209\r\nReady to accept connections\r\n'
  ),
  'qemu-stderr.log': Buffer.from("qemu-system-x86_64: warning: TCG doesn't support requested feature\n"),
  'build.log': randomBytes(9 * 1024 * 1024),
  'rootfs-manifest.json': Buffer.from(JSON.stringify({ files: ['/usr/bin/redis-server'] })),
  'result.json': Buffer.from(JSON.stringify({ verdict: 'pass' })),
  'baseline/console.log': Buffer.from('Linux version 6.1.0\n')
}

async function writeRunFiles(dir: string): Promise<void> {
  for (const [name, data] of Object.entries(runFiles)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), data)
  }
}

const warnings = (): string[] => logger.lines.filter(l => l.level === 'warning').map(l => l.message)

beforeEach(async () => {
  fake = await startResultsService()
  work = await mkdtemp(path.join(os.tmpdir(), 'ukc-artifacts-'))
  await writeRunFiles(path.join(work, 'out'))
  restoreEnv = applyEnv(fake.env({ runnerTemp: work, workspace: work }))
  stdout = captureStdout()
  logger = createMemoryLogger()
})

afterEach(async () => {
  stdout.restore()
  restoreEnv()
  await fake.close()
  await rm(work, { recursive: true, force: true })
})

describe('uploadRunArtifacts', () => {
  it('uploads every file whole, as one zip whose entries match the files byte for byte', async () => {
    const result = await uploadRunArtifacts(
      {
        name: 'unikraft-compat-redis-0.17.0-unikraft-x86_64',
        dir: path.join(work, 'out'),
        files: Object.keys(runFiles)
      },
      logger
    )

    const stored = fake.artifacts()
    expect(stored).toHaveLength(1)
    expect(result).toEqual({
      id: stored[0].id,
      url: `https://github.com/octo-org/unikraft-compat-fixture/actions/runs/${fake.runId}/artifacts/${stored[0].id}`,
      size: stored[0].size,
      digest: `sha256:${createHash('sha256').update(stored[0].data).digest('hex')}`
    })
    expect(stored[0].name).toBe('unikraft-compat-redis-0.17.0-unikraft-x86_64')
    expect(stored[0].blocks).toBeGreaterThanOrEqual(2)
    const entries = readZip(stored[0].data)
    expect(entries.map(e => e.name).sort()).toEqual(Object.keys(runFiles).sort())
    for (const entry of entries) expect(entry.data.equals(runFiles[entry.name])).toBe(true)
    expect(warnings()).toEqual([])

    const zipFile = path.join(work, 'stored.zip')
    await writeFile(zipFile, stored[0].data)
    const unzip = unzipTest(zipFile)
    if (unzip.available) expect(unzip).toMatchObject({ ok: true })
  }, 60_000)

  it('uploads what exists and skips missing files (a run that never reached the baseline)', async () => {
    await rm(path.join(work, 'out', 'baseline'), { recursive: true })
    const result = await uploadRunArtifacts(
      {
        name: 'partial',
        dir: path.join(work, 'out'),
        files: ['console.log', 'result.json', 'baseline/console.log']
      },
      logger
    )
    expect(result).not.toBeNull()
    expect(
      readZip(fake.artifacts()[0].data)
        .map(e => e.name)
        .sort()
    ).toEqual(['console.log', 'result.json'])
  })

  it('takes a directory whole', async () => {
    await uploadRunArtifacts(
      { name: 'baseline-only', dir: path.join(work, 'out'), files: ['baseline'] },
      logger
    )
    const [entry] = readZip(fake.artifacts()[0].data)
    expect(entry.name).toBe('baseline/console.log')
    expect(entry.data.equals(runFiles['baseline/console.log'])).toBe(true)
  })

  it('skips a file outside the directory with a warning instead of losing the whole upload', async () => {
    const outside = path.join(work, 'elsewhere.log')
    await writeFile(outside, 'x')
    const result = await uploadRunArtifacts(
      { name: 'with-outsider', dir: path.join(work, 'out'), files: ['console.log', outside] },
      logger
    )
    expect(result).not.toBeNull()
    expect(readZip(fake.artifacts()[0].data).map(e => e.name)).toEqual(['console.log'])
    expect(warnings()).toEqual([expect.stringContaining('outside')])
  })

  it('returns null with a warning when there is nothing to upload, without calling the service', async () => {
    const result = await uploadRunArtifacts(
      { name: 'empty', dir: path.join(work, 'out'), files: ['nope.log'] },
      logger
    )
    expect(result).toBeNull()
    expect(warnings()).toEqual([expect.stringContaining('none of the files')])
    expect(fake.requests).toEqual([])
  })

  it('reports the service’s conflict as a warning when the name is already taken in the run', async () => {
    const args = { name: 'same-name', dir: path.join(work, 'out'), files: ['console.log'] }
    const first = await uploadRunArtifacts(args, logger)
    const second = await uploadRunArtifacts(args, logger)

    expect(first).not.toBeNull()
    expect(second).toBeNull()
    expect(warnings()).toEqual([
      expect.stringContaining('(409) Conflict: an artifact with this name already exists on the workflow run')
    ])
    expect(fake.artifacts()).toHaveLength(1)
  })

  it('treats a name used by another job of the same run as taken, and distinct names as fine', async () => {
    const dir = path.join(work, 'out')
    await uploadRunArtifacts(
      { name: 'unikraft-compat-app-0.17.0-unikraft-x86_64', dir, files: ['console.log'] },
      logger
    )
    applyEnv(fake.env({ job: randomUUID(), runnerTemp: work, workspace: work }))

    const clash = await uploadRunArtifacts(
      { name: 'unikraft-compat-app-0.17.0-unikraft-x86_64', dir, files: ['console.log'] },
      logger
    )
    const distinct = await uploadRunArtifacts(
      { name: 'unikraft-compat-app-0.16.3-unikraft-x86_64', dir, files: ['console.log'] },
      logger
    )

    expect(clash).toBeNull()
    expect(distinct).not.toBeNull()
    expect(fake.artifacts().map(a => a.name)).toEqual([
      'unikraft-compat-app-0.17.0-unikraft-x86_64',
      'unikraft-compat-app-0.16.3-unikraft-x86_64'
    ])
  })

  it('survives blob storage refusing the upload, and a later attempt under the same name succeeds', async () => {
    const args = { name: 'retried', dir: path.join(work, 'out'), files: ['console.log', 'result.json'] }
    fake.failWith({ status: 403, on: 'PutBlock' })
    await expect(uploadRunArtifacts(args, logger)).resolves.toBeNull()
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^artifact 'retried' was not uploaded: Server failed to authenticate the request\. RequestId:\S+ Time:\S+$/
      )
    ])
    expect(fake.artifacts()).toEqual([])

    fake.clearFailures()
    const retry = await uploadRunArtifacts(args, logger)
    expect(retry).not.toBeNull()
    expect(
      readZip(fake.artifacts()[0].data)
        .map(e => e.name)
        .sort()
    ).toEqual(['console.log', 'result.json'])
  })

  it('returns null with a warning when the service is unreachable', async () => {
    await fake.close()
    const result = await uploadRunArtifacts(
      { name: 'down', dir: path.join(work, 'out'), files: ['console.log'] },
      logger
    )
    expect(result).toBeNull()
    expect(warnings()).toEqual([expect.stringContaining('ECONNREFUSED')])
  })

  it('returns null with a warning outside GitHub Actions (no runtime token)', async () => {
    applyEnv({ ACTIONS_RUNTIME_TOKEN: undefined })
    const result = await uploadRunArtifacts(
      { name: 'local', dir: path.join(work, 'out'), files: ['console.log'] },
      logger
    )
    expect(result).toBeNull()
    expect(warnings()).toEqual([expect.stringContaining('ACTIONS_RUNTIME_TOKEN')])
    expect(fake.requests).toEqual([])
  })

  it('never throws when the service answers 500 to everything (after the library’s retries)', async () => {
    fake.failWith({ status: 500, on: 'rpc' })
    const result = await uploadRunArtifacts(
      { name: 'outage', dir: path.join(work, 'out'), files: ['console.log'] },
      logger
    )
    expect(result).toBeNull()
    expect(warnings()).toEqual([expect.stringContaining('(500)')])
    // The library retried CreateArtifact before giving up; nothing reached blob storage.
    expect(fake.requests.filter(r => r.operation === 'CreateArtifact').length).toBeGreaterThan(1)
    expect(fake.requests.filter(r => r.kind === 'blob')).toEqual([])
  }, 120_000)
})

describe('the uploaded artifact, read back through the library', () => {
  it('downloads and unpacks to the original files', async () => {
    const uploaded = await uploadRunArtifacts(
      { name: 'round-trip', dir: path.join(work, 'out'), files: Object.keys(runFiles) },
      logger
    )
    const { DefaultArtifactClient } = await import('@actions/artifact')
    const target = path.join(work, 'download')
    await new DefaultArtifactClient().downloadArtifact(uploaded!.id, { path: target })
    for (const [name, data] of Object.entries(runFiles)) {
      expect((await readFile(path.join(target, name))).equals(data)).toBe(true)
    }
  }, 60_000)
})
