import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { ConfigurationError } from '../../../src/engine/errors.js'
import {
  aggregateMatrix,
  type Matrix,
  renderMatrixMarkdown,
  renderMatrixSvg,
  sortVersions,
  writeMatrixOutputs
} from '../../../src/engine/report/matrix.js'
import type { CheckResult } from '../../../src/engine/report/result.js'
import { writeResultFile } from '../../../src/engine/report/result-file.js'
import {
  failingMissingLib,
  failingRngHello,
  HOSTILE,
  infrastructureError,
  passingRedis,
  tracedSyscallGap,
  tracedSyscallGapWithFindings
} from './results.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ukc-matrix-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** One artifact directory per matrix cell, the way the aggregate job downloads them. */
async function cell(name: string, r: CheckResult): Promise<void> {
  await writeResultFile(join(dir, name, 'result.json'), r)
}

const redisOn = (version: string, banner: string | null): CheckResult => ({
  ...passingRedis(),
  matrixCell: { app: 'redis', version },
  unikraft: banner ? { version: banner, codename: 'Telesto', commit: 'e453b74a' } : null
})

async function realisticCells(): Promise<void> {
  await cell('unikraft-compat-redis-0.16.3-unikraft-x86_64', redisOn('0.16.3', '0.16.3'))
  await cell('unikraft-compat-redis-latest-unikraft-x86_64', redisOn('latest', '0.20.0'))
  await cell('unikraft-compat-hello-c-0.17.0-unikraft-x86_64', failingRngHello())
  await cell('unikraft-compat-hello-c-0.16.3-unikraft-x86_64', {
    ...passingRedis(),
    app: { name: 'hello-c', dir: 'examples/hello-c' },
    matrixCell: { app: 'hello-c', version: '0.16.3' }
  })
  await cell('unikraft-compat-broken-missing-lib-latest-unikraft-x86_64', failingMissingLib('latest'))
  await cell('unikraft-compat-nginx-0.17.0-unikraft-x86_64', infrastructureError('nginx', '0.17.0'))
}

describe('aggregateMatrix', () => {
  it('reads every cell below the directory into apps × versions with verdict and main finding', async () => {
    await realisticCells()
    const m = await aggregateMatrix(dir)
    expect(m.apps).toEqual(['broken-missing-lib', 'hello-c', 'nginx', 'redis'])
    expect(m.versions).toEqual(['0.16.3', '0.17.0', 'latest'])
    expect(m.cells.map(c => [c.app, c.version, c.verdict, c.mainFinding])).toEqual([
      ['broken-missing-lib', 'latest', 'fail', 'loader.missing-library'],
      ['hello-c', '0.16.3', 'pass', null],
      ['hello-c', '0.17.0', 'fail', 'boot.rng-unavailable'],
      ['nginx', '0.17.0', 'error', null],
      ['redis', '0.16.3', 'pass', null],
      ['redis', 'latest', 'pass', null]
    ])
    // The requested version names the column; the banner's version is kept beside it.
    const latest = m.cells.find(c => c.app === 'redis' && c.version === 'latest')
    expect(latest?.bannerVersion).toBe('0.20.0')
    expect(latest?.file).toBe('unikraft-compat-redis-latest-unikraft-x86_64/result.json')
    expect(m.cells.find(c => c.app === 'nginx')?.errorKind).toBe('infrastructure')
    expect(m.rejected).toEqual([])
    // Without expectations, the cells nobody ran are the holes of apps × versions.
    expect(m.missing).toContainEqual({ app: 'nginx', version: 'latest' })
    expect(m.missing).toHaveLength(4 * 3 - 6)
  })

  it('gives every expected app and version a cell, "no result" where a cell left no result.json', async () => {
    await cell('unikraft-compat-redis-latest', redisOn('latest', '0.20.0'))
    const m = await aggregateMatrix(dir, { apps: ['redis', 'nginx'], versions: ['latest', '0.16.3'] })
    expect(m.apps).toEqual(['nginx', 'redis'])
    expect(m.versions).toEqual(['0.16.3', 'latest'])
    expect(m.cells.map(c => [c.app, c.version])).toEqual([['redis', 'latest']])
    expect(m.missing).toEqual([
      { app: 'nginx', version: '0.16.3' },
      { app: 'nginx', version: 'latest' },
      { app: 'redis', version: '0.16.3' }
    ])
    const table = renderMatrixMarkdown(m)
    expect(table.split('\n').find(l => l.startsWith('| nginx'))).toMatch(/no result.*no result/)
    expect(table).toContain('3 cells without a result')
    expect(renderMatrixSvg(m).match(/stroke-dasharray="4 3"/g)).toHaveLength(3)
  })

  it('still writes a matrix of empty cells when every expected cell crashed', async () => {
    const m = await aggregateMatrix(dir, { apps: ['redis'], versions: ['latest'] })
    expect(m.cells).toEqual([])
    expect(m.missing).toEqual([{ app: 'redis', version: 'latest' }])
    await expect(aggregateMatrix(dir)).rejects.toThrow(ConfigurationError)
  })

  it('never takes an allowed limitation for the main finding', async () => {
    const r = passingRedis()
    r.verdict = 'fail'
    r.findings[1].allowed = true
    r.findings[1].severity = 'error'
    await cell('a', r)
    expect((await aggregateMatrix(dir)).cells[0].mainFinding).toBeNull()
  })

  it('falls back to the banner version, then to "linux" for a baseline-only run', async () => {
    const { matrixCell: _dropped, ...noCell } = passingRedis()
    await cell('a', noCell as CheckResult)
    await cell('b', {
      ...(noCell as CheckResult),
      app: { name: 'curl', dir: '.' },
      guest: 'linux',
      unikraft: null
    })
    const m = await aggregateMatrix(dir)
    expect(m.cells.map(c => [c.app, c.version])).toEqual([
      ['curl', 'linux'],
      ['redis', '0.16.3']
    ])
  })

  it('rejects foreign, newer, broken and duplicate files by name and reason, and uses the rest', async () => {
    await realisticCells()
    await mkdir(join(dir, 'other'), { recursive: true })
    await writeFile(
      join(dir, 'other', 'result.json'),
      JSON.stringify({ name: 'some-package', version: '1.0.0' })
    )
    await mkdir(join(dir, 'newer'))
    await writeFile(
      join(dir, 'newer', 'result.json'),
      JSON.stringify({ ...passingRedis(), schemaVersion: 3 })
    )
    await mkdir(join(dir, 'cut'))
    await writeFile(join(dir, 'cut', 'result.json'), '{"schemaVersion": 1, "verdict": "pa')
    await cell('zz-rerun-of-redis-latest', redisOn('latest', '0.20.0'))
    await writeFile(join(dir, 'other', 'console.log'), 'not a result')
    const m = await aggregateMatrix(dir)
    expect(m.cells).toHaveLength(6)
    expect(m.rejected.map(r => [r.file, r.problems[0]])).toEqual([
      ['cut/result.json', expect.stringMatching(/^not JSON: /)],
      [
        'newer/result.json',
        expect.stringMatching(
          /^schemaVersion 3 comes from a newer unikraft-compat; this one reads version 2: update it$/
        )
      ],
      ['other/result.json', expect.stringMatching(/^not a unikraft-compat result: no schemaVersion/)],
      [
        'zz-rerun-of-redis-latest/result.json',
        'same app and version (redis, latest) as unikraft-compat-redis-latest-unikraft-x86_64/result.json'
      ]
    ])
  })

  it('does not follow symbolic links out of the directory', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'ukc-outside-'))
    try {
      await writeResultFile(join(outside, 'x', 'result.json'), passingRedis())
      await cell('inside', failingMissingLib())
      await symlink(outside, join(dir, 'link'))
      const m = await aggregateMatrix(dir)
      expect(m.cells.map(c => c.app)).toEqual(['broken-missing-lib'])
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })

  it('is a configuration error when there is nothing usable, naming the directory and what was rejected', async () => {
    await writeFile(join(dir, 'result.json'), '[]')
    await expect(aggregateMatrix(dir)).rejects.toThrow(ConfigurationError)
    await expect(aggregateMatrix(dir)).rejects.toThrow(
      `No usable result.json below '${dir}': it must hold the result files of the matrix cells; rejected: result.json (not a unikraft-compat result: the file holds an array, not an object)`
    )
    await expect(aggregateMatrix(join(dir, 'missing'))).rejects.toThrow(
      /^Input 'results-dir' must be a directory/
    )
  })
})

describe('sortVersions', () => {
  it('orders by number, then names, with latest last', () => {
    expect(sortVersions(['latest', '0.18.0', 'main', '0.9.1', 'v0.17.0', '0.17.0', '1.0'])).toEqual([
      '0.9.1',
      '0.17.0',
      'v0.17.0',
      '0.18.0',
      '1.0',
      'main',
      'latest'
    ])
  })
})

describe('matrix renderings', () => {
  it('renders the markdown table with apps as rows and versions as columns', async () => {
    await realisticCells()
    expect(renderMatrixMarkdown(await aggregateMatrix(dir))).toBe(
      [
        '### Unikraft compatibility matrix',
        '',
        '| App | 0.16.3 | 0.17.0 | latest |',
        '|---|---|---|---|',
        '| broken-missing-lib | — no result | — no result | ❌ fail: <code>loader.missing-library</code> |',
        '| hello-c | ✅ pass | ❌ fail: <code>boot.rng-unavailable</code> | — no result |',
        '| nginx | — no result | ⚠️ error: <code>infrastructure</code> | — no result |',
        '| redis | ✅ pass | — no result | ✅ pass |',
        '',
        '6 results: 3 pass, 2 fail, 1 error; 6 cells without a result.',
        ''
      ].join('\n')
    )
  })

  it('writes matrix.json, matrix.md and a well-formed matrix.svg', async () => {
    await realisticCells()
    const out = join(dir, 'out')
    const { matrix, files } = await writeMatrixOutputs(dir, out)
    expect(JSON.parse(await readFile(files.json, 'utf8'))).toEqual(matrix)
    expect(await readFile(files.markdown, 'utf8')).toBe(renderMatrixMarkdown(matrix))
    const svg = await readFile(files.svg, 'utf8')
    const parsed = await parseXml(svg)
    expect(parsed.root).toBe('{http://www.w3.org/2000/svg}svg')
    const [w, h] = [Number(/width="(\d+)"/.exec(svg)![1]), Number(/height="(\d+)"/.exec(svg)![1])]
    expect(svg).toContain(`viewBox="0 0 ${w} ${h}"`)
    // 4 apps × 3 versions, plus the background and 4 legend swatches.
    expect(parsed.rects).toBe(4 * 3 + 1 + 4)
    for (const text of [
      'broken-missing-lib',
      'loader.missing-library',
      'boot.rng-unavailable',
      'latest',
      'no result'
    ]) {
      expect(parsed.texts).toContain(text)
    }
  })

  it('escapes hostile app names, versions and findings in the SVG and the markdown', () => {
    const m: Matrix = {
      schemaVersion: 1,
      apps: [HOSTILE],
      versions: ['<0.17&"\'>'],
      cells: [
        {
          app: HOSTILE,
          version: '<0.17&"\'>',
          verdict: 'fail',
          mainFinding: 'x]]><script>',
          errorKind: null,
          guest: 'unikraft',
          bannerVersion: null,
          summary: HOSTILE,
          file: 'a/result.json'
        }
      ],
      rejected: [{ file: HOSTILE, problems: [HOSTILE] }],
      missing: []
    }
    const svg = renderMatrixSvg(m)
    expect(svg).not.toMatch(/<script|\x1b|<img/)
    const mdText = renderMatrixMarkdown(m)
    expect(mdText).not.toMatch(/<(?!\/?code>)/)
    // Header row and the one app row keep their column count.
    const rows = mdText.split('\n').filter(l => l.startsWith('| '))
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(3)
    return parseXml(svg) // throws on malformed XML
  })

  it('shows per cell how many system calls Unikraft answered ENOSYS, when the cell was traced', async () => {
    await realisticCells()
    // hello-c on 0.17.0, traced: openat unsupported (rseq too, but glibc tolerates it).
    await rm(join(dir, 'unikraft-compat-hello-c-0.17.0-unikraft-x86_64'), { recursive: true })
    await cell('unikraft-compat-hello-c-0.17.0-unikraft-x86_64', tracedSyscallGapWithFindings())
    // redis on latest, traced, with only a tolerated ENOSYS: no count shown, an empty list kept.
    const tolerated = tracedSyscallGap().syscalls!
    tolerated.unsupported = [{ syscall: 'rseq', count: 1, tolerated: true }]
    tolerated.divergence = null
    await rm(join(dir, 'unikraft-compat-redis-latest-unikraft-x86_64'), { recursive: true })
    await cell('unikraft-compat-redis-latest-unikraft-x86_64', {
      ...redisOn('latest', '0.20.0'),
      syscalls: tolerated
    })
    const { matrix: m, files } = await writeMatrixOutputs(dir, join(dir, 'out'))

    const hello = m.cells.find(c => c.app === 'hello-c' && c.version === '0.17.0')!
    expect(hello.unsupportedSyscalls).toEqual([{ syscall: 'openat', count: 2 }])
    expect(m.cells.find(c => c.app === 'redis' && c.version === 'latest')?.unsupportedSyscalls).toEqual([])
    // Untraced cells have no such field at all: their JSON is as before.
    expect(m.cells.filter(c => 'unsupportedSyscalls' in c).map(c => `${c.app} ${c.version}`)).toEqual([
      'hello-c 0.17.0',
      'redis latest'
    ])
    expect(JSON.parse(await readFile(files.json, 'utf8')).cells).toEqual(m.cells)

    const table = renderMatrixMarkdown(m)
    expect(table).toContain(
      '| hello-c | ✅ pass | ❌ fail: <code>syscall.divergence</code> · 1 ENOSYS | — no result |'
    )
    expect(table).toContain('| redis | ✅ pass | — no result | ✅ pass |')
    expect(table).toContain(
      '\n\nSystem calls Unikraft answered ENOSYS (from the traces; glibc probes it tolerates left out):\n\n' +
        '- hello-c × 0.17.0: ENOSYS on Unikraft: <code>openat</code> ×2\n'
    )

    const svg = await readFile(files.svg, 'utf8')
    const parsed = await parseXml(svg)
    expect(parsed.texts).toContain('fail · 1 ENOSYS')
    expect(parsed.texts).toContain('pass')
    expect(svg).toContain(
      `<title>hello-c × 0.17.0: ${tracedSyscallGapWithFindings().summary} (ENOSYS on Unikraft: openat ×2)</title>`
    )
    expect(svg).toContain('(no unsupported system calls in the Unikraft trace)</title>')
  })

  it('escapes hostile unsupported call names in every rendering and bounds how many it names', () => {
    const names = [HOSTILE, ...Array.from({ length: 14 }, (_, i) => `call${i}`)]
    const m: Matrix = {
      schemaVersion: 1,
      apps: ['a'],
      versions: ['v'],
      cells: [
        {
          app: 'a',
          version: 'v',
          verdict: 'fail',
          mainFinding: null,
          errorKind: null,
          guest: 'unikraft',
          bannerVersion: null,
          summary: 's',
          file: 'a/result.json',
          unsupportedSyscalls: names.map(syscall => ({ syscall, count: 1 }))
        }
      ],
      rejected: [],
      missing: []
    }
    const mdText = renderMatrixMarkdown(m)
    expect(mdText).toContain('| a | ❌ fail · 15 ENOSYS |')
    expect(mdText).not.toMatch(/<(?!\/?code>)/)
    const item = mdText.split('\n').find(l => l.startsWith('- a × v: '))!
    expect(item).toContain('<code>call8</code> ×1 and 5 more')
    expect(item).not.toContain('call9')
    expect(item).not.toMatch(/(?<!\\)[`|$]/)
    const svg = renderMatrixSvg(m)
    expect(svg).not.toMatch(/<script|\x1b|<img/)
    return parseXml(svg)
  })

  const rsvg = '/usr/bin/rsvg-convert'
  ;(existsSync(rsvg) ? it : it.skip)('renders to PNG with librsvg (when installed)', async () => {
    await realisticCells()
    const { files } = await writeMatrixOutputs(dir, join(dir, 'out'))
    const png = join(dir, 'out', 'matrix.png')
    const r = await nodeCommandRunner.run([rsvg, '-o', png, files.svg])
    expect(r.code).toBe(0)
    const head = (await readFile(png)).subarray(0, 8)
    expect(head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true)
  })
})

/** Parses with Python's XML parser (an independent, strict one): root tag, rect count, texts. */
async function parseXml(svg: string): Promise<{ root: string; rects: number; texts: string[] }> {
  const file = join(dir, 'check.svg')
  await writeFile(file, svg)
  const script = [
    'import json, sys, xml.etree.ElementTree as ET',
    'root = ET.parse(sys.argv[1]).getroot()',
    'ns = "{http://www.w3.org/2000/svg}"',
    'print(json.dumps({"root": root.tag, "rects": len(root.findall(".//" + ns + "rect")),',
    '  "texts": ["".join(t.itertext()) for t in root.iter(ns + "text")]}))'
  ].join('\n')
  const r = await nodeCommandRunner.run(['python3', '-c', script, file])
  if (r.code !== 0) throw new Error(`malformed SVG: ${r.stderr}`)
  return JSON.parse(r.stdout) as { root: string; rects: number; texts: string[] }
}
