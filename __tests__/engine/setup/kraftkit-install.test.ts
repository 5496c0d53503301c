import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { ConfigurationError, InfrastructureError } from '../../../src/engine/errors.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { createFetchDownloader } from '../../../src/engine/setup/fetch-download.js'
import {
  installKraftkit,
  kraftkitAssets,
  kraftkitCacheKey,
  kraftkitGoArch,
  parseChecksums,
  type KraftkitInstallDeps
} from '../../../src/engine/setup/kraftkit-install.js'
import { createDirectoryToolCache, type PersistentCache } from '../../../src/engine/setup/tool-cache.js'
import { buildKraftTarball, sha256, startReleaseServer, type ReleaseServer } from './release-server.js'

const VERSION = '0.11.6'
const TARBALL = `kraft_${VERSION}_linux_amd64.tar.gz`
const SUMS = `kraftkit_${VERSION}_checksums.txt`

/** A PersistentCache that keeps entries in a directory, restoring to the same absolute paths like @actions/cache. */
function directoryPersistentCache(root: string): PersistentCache & { saved: string[] } {
  const saved: string[] = []
  return {
    saved,
    async restore(paths, key) {
      const entry = join(root, key)
      try {
        await readdir(entry)
      } catch {
        return undefined
      }
      for (const [i, p] of paths.entries()) await cp(join(entry, String(i)), p, { recursive: true })
      return key
    },
    async save(paths, key) {
      for (const [i, p] of paths.entries()) await cp(p, join(root, key, String(i)), { recursive: true })
      saved.push(key)
    }
  }
}

describe('KraftKit release names', () => {
  it.each([
    ['x86_64', 'amd64'],
    ['amd64', 'amd64'],
    ['arm64', 'arm64'],
    ['aarch64', 'arm64']
  ])('arch %s -> %s', (arch, goArch) => {
    expect(kraftkitGoArch(arch)).toBe(goArch)
  })

  it('rejects an unknown arch naming the input', () => {
    expect(() => kraftkitGoArch('riscv64')).toThrow("Input 'arch' must be 'x86_64' or 'arm64', got 'riscv64'")
  })

  it('builds the goreleaser file names and URLs', () => {
    expect(kraftkitAssets('0.11.6', 'arm64')).toEqual({
      tarball: 'kraft_0.11.6_linux_arm64.tar.gz',
      checksums: 'kraftkit_0.11.6_checksums.txt',
      tarballUrl:
        'https://github.com/unikraft/kraftkit/releases/download/v0.11.6/kraft_0.11.6_linux_arm64.tar.gz',
      checksumsUrl:
        'https://github.com/unikraft/kraftkit/releases/download/v0.11.6/kraftkit_0.11.6_checksums.txt'
    })
  })

  it('parses sha256sum lines, with or without the binary marker', () => {
    const a = 'a'.repeat(64)
    const b = 'B'.repeat(64)
    const m = parseChecksums(
      `${a}  kraft_0.11.6_linux_amd64.tar.gz\n${b} *kraftkit_0.11.6_amd64.deb\r\nnot a line\n`
    )
    expect([...m]).toEqual([
      ['kraft_0.11.6_linux_amd64.tar.gz', a],
      ['kraftkit_0.11.6_amd64.deb', 'b'.repeat(64)]
    ])
  })

  it('keys the cross-run cache by version and arch', () => {
    expect(kraftkitCacheKey('0.11.6', 'amd64')).toBe('unikraft-compat-kraftkit-0.11.6-linux-amd64')
  })
})

describe('installKraftkit against a local release server', () => {
  let work: string
  let server: ReleaseServer
  const tarball = buildKraftTarball(VERSION)
  const otherEntries = `${'c'.repeat(64)}  kraft_${VERSION}_linux_arm64.tar.gz\n${'d'.repeat(64)}  kraftkit_${VERSION}_amd64.deb\n`

  function deps(extra: Partial<KraftkitInstallDeps> = {}): KraftkitInstallDeps {
    return {
      download: createFetchDownloader({ timeoutMs: 10_000 }),
      toolCache: createDirectoryToolCache(join(work, 'tools')),
      logger: createMemoryLogger(),
      runner: nodeCommandRunner,
      tmpDir: work,
      ...extra
    }
  }

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'ukc-kraftkit-'))
  })
  afterEach(async () => {
    await server?.close()
    await rm(work, { recursive: true, force: true })
  })

  it('downloads, verifies, extracts and caches kraft', async () => {
    server = await startReleaseServer(VERSION, {
      [TARBALL]: tarball,
      [SUMS]: `${otherEntries}${sha256(tarball)}  ${TARBALL}\n`
    })
    const d = deps()
    const r = await installKraftkit({ version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl }, d)
    expect(r).toMatchObject({
      path: join(work, 'tools', 'kraftkit', VERSION, 'amd64', 'kraft'),
      version: VERSION,
      fromCache: false,
      source: 'download',
      persist: null,
      reported: `kraft ${VERSION} (test artifact)`
    })
    expect(execFileSync(r.path, ['--version'], { encoding: 'utf8' })).toBe(
      `kraft ${VERSION} (test artifact)\n`
    )
    expect(server.requests.sort()).toEqual([`/v${VERSION}/${SUMS}`, `/v${VERSION}/${TARBALL}`].sort())
    // Nothing left in scratch space: only the tool cache remains.
    expect((await readdir(work)).sort()).toEqual(['tools'])
  })

  it('a second run with a warm tool cache downloads nothing', async () => {
    server = await startReleaseServer(VERSION, {
      [TARBALL]: tarball,
      [SUMS]: `${sha256(tarball)}  ${TARBALL}\n`
    })
    const first = await installKraftkit({ version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl }, deps())
    const count = server.requests.length
    const second = await installKraftkit(
      { version: `v${VERSION}`, arch: 'amd64', baseUrl: server.baseUrl },
      deps()
    )
    expect(server.requests.length).toBe(count)
    expect(second).toMatchObject({ path: first.path, fromCache: true, source: 'tool-cache', persist: null })
  })

  it('refuses a tampered tarball, naming the file and both hashes', async () => {
    const tampered = Buffer.from(tarball)
    tampered[tampered.length - 10] ^= 0xff
    server = await startReleaseServer(VERSION, {
      [TARBALL]: tampered,
      [SUMS]: `${sha256(tarball)}  ${TARBALL}\n`
    })
    const d = deps()
    const run = installKraftkit({ version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl }, d)
    await expect(run).rejects.toThrow(InfrastructureError)
    await expect(run).rejects.toThrow(
      `sha256 mismatch for ${TARBALL}: ${SUMS} says ${sha256(tarball)}, the download is ${sha256(tampered)}`
    )
    expect(d.toolCache.find('kraftkit', VERSION, 'amd64')).toBeNull()
    expect(await readdir(work)).toEqual([])
  })

  it('refuses a tarball the checksums file has no line for', async () => {
    server = await startReleaseServer(VERSION, { [TARBALL]: tarball, [SUMS]: otherEntries })
    const d = deps()
    const run = installKraftkit({ version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl }, d)
    await expect(run).rejects.toThrow(InfrastructureError)
    await expect(run).rejects.toThrow(
      `${SUMS} has no sha256 entry for ${TARBALL} (its sha256 is ${sha256(tarball)})`
    )
    expect(d.toolCache.find('kraftkit', VERSION, 'amd64')).toBeNull()
  })

  it('names the URL and the status when a release file is missing', async () => {
    server = await startReleaseServer(VERSION, { [SUMS]: `${sha256(tarball)}  ${TARBALL}\n` })
    const run = installKraftkit({ version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl }, deps())
    await expect(run).rejects.toThrow(
      `could not download ${server.baseUrl}/v${VERSION}/${TARBALL}: HTTP 404 Not Found`
    )
  })

  it('rejects a malformed version before any download, naming the input', async () => {
    server = await startReleaseServer(VERSION, {})
    const run = installKraftkit(
      { version: 'latest; rm -rf /', arch: 'x86_64', baseUrl: server.baseUrl },
      deps()
    )
    await expect(run).rejects.toThrow(ConfigurationError)
    await expect(run).rejects.toThrow("Input 'kraftkit-version' must be a KraftKit release like 0.11.6")
    expect(server.requests).toEqual([])
  })

  it('offers a fresh download for the cross-run cache, and restores from it on a cold tool cache', async () => {
    server = await startReleaseServer(VERSION, {
      [TARBALL]: tarball,
      [SUMS]: `${sha256(tarball)}  ${TARBALL}\n`
    })
    const cache = directoryPersistentCache(join(work, 'gh-cache'))
    const persistDir = join(work, 'persist', 'kraftkit')
    const first = await installKraftkit(
      { version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl },
      deps({ persistentCache: cache, persistDir })
    )
    expect(first.persist).toEqual({ paths: [persistDir], key: kraftkitCacheKey(VERSION, 'amd64') })
    await cache.save(first.persist!.paths, first.persist!.key)

    // A new job: empty tool cache, nothing at persistDir, the cache service has the entry.
    await rm(join(work, 'tools'), { recursive: true })
    await rm(join(work, 'persist'), { recursive: true })
    const count = server.requests.length
    const second = await installKraftkit(
      { version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl },
      deps({ persistentCache: cache, persistDir })
    )
    expect(server.requests.length).toBe(count)
    expect(second).toMatchObject({ source: 'persistent-cache', fromCache: true, persist: null })
    expect(execFileSync(second.path, { encoding: 'utf8' })).toContain(VERSION)
  })

  it('a cache service that fails is only a miss', async () => {
    server = await startReleaseServer(VERSION, {
      [TARBALL]: tarball,
      [SUMS]: `${sha256(tarball)}  ${TARBALL}\n`
    })
    const broken: PersistentCache = { restore: async () => undefined, save: async () => {} }
    await mkdir(join(work, 'p'))
    const r = await installKraftkit(
      { version: VERSION, arch: 'x86_64', baseUrl: server.baseUrl },
      deps({ persistentCache: broken, persistDir: join(work, 'p', 'k') })
    )
    expect(r.source).toBe('download')
  })
})

describe('createFetchDownloader', () => {
  it('gives up on a server that stops sending, saying so', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' })
      res.write('partial')
      // and never finishes
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const addr = server.address()
    const port = typeof addr === 'object' && addr ? addr.port : 0
    const dir = await mkdtemp(join(tmpdir(), 'ukc-dl-'))
    try {
      const download = createFetchDownloader({ stallMs: 300, timeoutMs: 5000 })
      const run = download(`http://127.0.0.1:${port}/x`, join(dir, 'x'))
      await expect(run).rejects.toThrow(
        `could not download http://127.0.0.1:${port}/x: nothing received for 300 ms`
      )
      expect(await readdir(dir)).toEqual([])
    } finally {
      server.closeAllConnections()
      server.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('explains a refused connection', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer()
    await new Promise<void>(r => probe.listen(0, '127.0.0.1', r))
    const addr = probe.address()
    const port = typeof addr === 'object' && addr ? addr.port : 0
    await new Promise(r => probe.close(r))
    const dir = await mkdtemp(join(tmpdir(), 'ukc-dl-'))
    try {
      const run = createFetchDownloader()(`http://127.0.0.1:${port}/x`, join(dir, 'x'))
      await expect(run).rejects.toThrow(`could not download http://127.0.0.1:${port}/x: ECONNREFUSED`)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
