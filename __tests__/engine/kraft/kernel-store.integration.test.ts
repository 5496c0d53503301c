// Kernel stores: the manifest is checked as it is read, a kernel is verified (size, sha256) before
// every boot, a pinned version the store holds boots without KraftKit, and the newest stored
// release is the default. The stored "kernels" are tiny real multiboot guests that print a real
// Unikraft 0.16.x banner line, so the whole check runs under real QEMU.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCheck } from '../../../src/engine/check/run-check.js'
import { resolveCheckOptions } from '../../../src/engine/config/resolve.js'
import { ConfigurationError, InfrastructureError } from '../../../src/engine/errors.js'
import {
  newestStoredVersion,
  readKernelStore,
  verifiedKernelPath,
  type StoredKernel
} from '../../../src/engine/kraft/kernel-store.js'
import { buildProbeKernel } from '../../../src/engine/vm/probe-kernel.js'
import { testEngineDeps } from '../check/test-engine-deps.js'

const root = new URL('../../..', import.meta.url).pathname
let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-kstore-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const COMMIT = 'e453b74a2e78a0de98563d75d8e0a97e668088e6'

/** A store with one `net` kernel per version; each prints the minimal banner of its release, then spins. */
function makeStore(name: string, versions: string[]): { dir: string; entries: StoredKernel[] } {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  const entries = versions.map(version => {
    const file = `elfloader-${version}-net_qemu-x86_64`
    const bytes = buildProbeKernel({ message: `Powered by Unikraft Telesto (${version})\r\n`, then: 'spin' })
    writeFileSync(join(dir, file), bytes)
    writeFileSync(join(dir, `${file}.config`), 'CONFIG_LIBUKLIBPARAM=y\n')
    return {
      version,
      variant: 'net',
      file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      sources: [{ repo: 'unikraft/unikraft', ref: `RELEASE-${version}`, commit: COMMIT }],
      config: `${file}.config`
    }
  })
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ kernels: entries }, null, 2))
  return { dir, entries }
}

describe('readKernelStore', () => {
  it('reads a good manifest and knows its newest release', () => {
    const { dir } = makeStore('good', ['0.16.2', '0.16.10', '0.16.3'])
    const store = readKernelStore(dir)
    expect(store.kernels.map(k => k.version)).toEqual(['0.16.2', '0.16.10', '0.16.3'])
    expect(newestStoredVersion(store)).toBe('0.16.10')
    expect(newestStoredVersion(store, 'trace')).toBeNull()
  })

  const entry = (over: Record<string, unknown>) => ({
    version: '0.16.3',
    variant: 'net',
    file: 'k',
    sha256: 'a'.repeat(64),
    bytes: 1,
    sources: [{ repo: 'unikraft/unikraft', ref: 'RELEASE-0.16.3', commit: COMMIT }],
    config: 'k.config',
    ...over
  })
  it.each([
    ['no manifest', null, /: no manifest\.json$/],
    ['not JSON', '{', /: manifest\.json is not JSON/],
    ['no list', '{"kernel": []}', /has no "kernels" list$/],
    [
      'a bad version',
      { kernels: [entry({ version: 'v0.16' })] },
      /kernels\[0\]\.version must be like 0\.16\.3$/
    ],
    [
      'a file outside the store',
      { kernels: [entry({ file: '../etc/passwd' })] },
      /kernels\[0\]\.file must be a path inside the store$/
    ],
    [
      'a short sha256',
      { kernels: [entry({ sha256: 'abc' })] },
      /kernels\[0\]\.sha256 must be 64 hex digits$/
    ],
    ['no sources', { kernels: [entry({ sources: [] })] }, /kernels\[0\]\.sources must list/],
    ['a version twice', { kernels: [entry({}), entry({})] }, /0\.16\.3\/net is listed twice$/]
  ])('refuses %s, naming the input and the form', (name, manifest, why) => {
    const dir = join(work, `bad-${name.replace(/\W+/g, '-')}`)
    mkdirSync(dir, { recursive: true })
    if (manifest !== null)
      writeFileSync(
        join(dir, 'manifest.json'),
        typeof manifest === 'string' ? manifest : JSON.stringify(manifest)
      )
    let err: unknown
    try {
      readKernelStore(dir)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as ConfigurationError).input).toBe('kernel-store')
    expect((err as Error).message).toMatch(
      /^Input 'kernel-store' must be a directory with a manifest\.json listing kernels/
    )
    expect((err as Error).message).toMatch(why)
  })
})

describe('verifiedKernelPath', () => {
  it('returns the file when size and sha256 match; refuses a changed byte, a cut file and a missing one', async () => {
    const { dir, entries } = makeStore('verify', ['0.16.3'])
    const store = readKernelStore(dir)
    const path = join(dir, entries[0].file)
    expect(await verifiedKernelPath(store, store.kernels[0])).toBe(path)

    const good = readFileSync(path)
    const flipped = Buffer.from(good)
    flipped[40] ^= 1
    writeFileSync(path, flipped)
    const tampered = verifiedKernelPath(store, store.kernels[0])
    await expect(tampered).rejects.toThrow(InfrastructureError)
    await expect(tampered).rejects.toThrow(
      `Unikraft 0.16.3 (net): ${path} does not match the kernel store's manifest (sha256 ${createHash('sha256').update(flipped).digest('hex')}, expected ${entries[0].sha256}); refusing to boot it`
    )
    writeFileSync(path, good.subarray(0, good.length - 1))
    await expect(verifiedKernelPath(store, store.kernels[0])).rejects.toThrow(
      `(${good.length - 1} bytes, expected ${good.length})`
    )
    rmSync(path)
    await expect(verifiedKernelPath(store, store.kernels[0])).rejects.toThrow(
      `Unikraft 0.16.3 (net): the kernel store's file ${path} is missing`
    )
  })
})

/** The bundled CLI on the tiny binary:/bin/true app with this store; stdout and stderr together. */
function cliWithStore(
  store: string,
  out: string,
  extra: string[] = []
): { status: number | null; output: string } {
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'dist/cli.js'),
      'run',
      work,
      '--kernel-store',
      store,
      ...extra,
      '--rootfs',
      'binary:/bin/true',
      '--cmd',
      '/bin/true',
      '--accel',
      'tcg',
      '--quiet',
      '--out',
      join(work, out)
    ],
    { encoding: 'utf8', timeout: 120_000 }
  )
  return { status: r.status, output: r.stdout + r.stderr }
}

describe('a check with a kernel store (real QEMU, no KraftKit)', () => {
  const check = async (store: string, extra: Record<string, string>) => {
    const options = await resolveCheckOptions(
      {
        app: work,
        'kernel-store': store,
        rootfs: 'binary:/bin/true',
        cmd: '/bin/true',
        probe: 'console:/^Powered by Unikraft/',
        accel: 'tcg',
        baseline: 'never',
        ...extra
      },
      { cwd: work }
    )
    const out = mkdtempSync(join(work, 'out-'))
    return { options, ...(await runCheck(options, out, testEngineDeps(work))) }
  }

  it('defaults to the newest stored release and boots it; a pinned one boots that one', async () => {
    const { dir } = makeStore('two', ['0.16.2', '0.16.3'])
    const latest = await check(dir, {})
    expect(latest.options.unikraftVersion).toBe('0.16.3')
    expect(latest.result.verdict).toBe('pass')
    expect(latest.result.unikraft?.version).toBe('0.16.3')
    expect(latest.result.kraftkit).toBeNull()
    const pinned = await check(dir, { 'unikraft-version': '0.16.2' })
    expect(pinned.result.verdict).toBe('pass')
    expect(pinned.result.unikraft?.version).toBe('0.16.2')
  }, 120_000)

  it('a tampered kernel is refused before boot: verdict error, infrastructure, no VM', async () => {
    const { dir, entries } = makeStore('tampered', ['0.16.3'])
    const path = join(dir, entries[0].file)
    const bytes = readFileSync(path)
    bytes[bytes.length - 3] ^= 0xff
    writeFileSync(path, bytes)
    const { result } = await check(dir, {})
    expect(result.verdict).toBe('error')
    expect(result.error).toMatchObject({ kind: 'infrastructure' })
    expect(result.error?.message).toMatch(/does not match the kernel store's manifest .*refusing to boot it$/)
    expect(result.vm).toBeNull()
  }, 60_000)

  it('at the CLI the same tampered store exits 3 and names the file', () => {
    const { dir, entries } = makeStore('tampered-cli', ['0.16.3'])
    writeFileSync(
      join(dir, entries[0].file),
      Buffer.concat([readFileSync(join(dir, entries[0].file)), Buffer.from([0])])
    )
    const r = cliWithStore(dir, 'cli-out')
    expect(r.status).toBe(3)
    expect(r.output).toContain(`${join(dir, entries[0].file)} does not match the kernel store's manifest`)
  }, 90_000)

  it('a release the store lacks, asked for by name, is an error naming what the store has (never the Linux baseline)', () => {
    const { dir } = makeStore('lacks', ['0.16.3'])
    // KraftKit cannot be downloaded on these machines (no github.com), as on any offline runner.
    const r = cliWithStore(dir, 'cli-lacks', ['--unikraft-version', '0.99.0'])
    expect(r.status).toBe(3)
    expect(r.output).toMatch(/Unikraft 0\.99\.0 could not be had: /)
    expect(r.output).toContain(
      'the kernel store has 0.16.3; give a prebuilt Unikraft image with the `kernel` input (--kernel PATH'
    )
    expect(r.output).not.toContain('Linux baseline')
  }, 150_000)
})
