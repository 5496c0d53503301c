// The aggregate job's script, run as written, on result files laid out the way download-artifact
// leaves them (one directory per artifact), with the real engine twice: the committed bundle (what the
// job runs from its checkout) and the sources through tsx (so a stale dist/ cannot hide a regression).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { CheckResult } from '../../src/engine/report/result.js'
import { writeResultFile } from '../../src/engine/report/result-file.js'
import { failingMissingLib, failingRngHello, passingRedis } from '../engine/report/results.js'
import { loadWorkflow, ROOT, runStep, stepById } from './workflow-files.js'

const wf = loadWorkflow('unikraft-compat.yml')
const step = stepById(wf, 'aggregate', 'matrix')
const cellsStep = stepById(wf, 'setup', 'cells')
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href

let tmp: string
let env: Record<string, string>
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ukc-aggregate-'))
  mkdirSync(join(tmp, 'workspace'))
  env = {
    RESULTS: join(tmp, 'runner-temp/unikraft-compat-results'),
    OUT: join(tmp, 'runner-temp/unikraft-compat-matrix')
  }
})

/** The action checkout: this repository as committed, or a copy whose dist/cli.js runs src/cli.ts. */
function engine(kind: 'bundle' | 'sources'): Record<string, string> {
  if (kind === 'bundle') return { ACTION_DIR: ROOT }
  const actionDir = join(tmp, 'workspace/.unikraft-compat-action')
  mkdirSync(join(actionDir, 'dist'), { recursive: true })
  writeFileSync(join(actionDir, 'package.json'), '{"type":"module"}\n')
  writeFileSync(
    join(actionDir, 'dist/cli.js'),
    `await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/cli.ts')).href)})\n`
  )
  return { ACTION_DIR: actionDir, NODE_OPTIONS: `--import=${TSX}` }
}
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true })
})

/** The setup job's `cells` output for these input lines, from its own script. */
function planned(apps: string, versions: string): string {
  const r = runStep(cellsStep, { APPS: apps, VERSIONS: versions, PREFIX: 'unikraft-compat' }, tmp)
  expect(r.status).toBe(0)
  return r.outputs.cells
}

async function artifact(name: string, r: CheckResult): Promise<void> {
  await writeResultFile(join(env.RESULTS, name, 'result.json'), r)
}

describe('aggregate: result files to summary, artifact files and output', () => {
  it.each(['bundle', 'sources'] as const)(
    'writes the table to the job summary, the three files to OUT and one line of JSON as the output (%s)',
    async kind => {
      // Each cell ran the action with app examples/<name> from the workspace: that is its row.
      const cell = (r: CheckResult, version: string): CheckResult => ({
        ...r,
        matrixCell: { app: `examples/${r.app.name}`, version }
      })
      await artifact('unikraft-compat-result-examples-redis-0.16.3', cell(passingRedis(), '0.16.3'))
      await artifact('unikraft-compat-result-examples-redis-latest', cell(passingRedis(), 'latest'))
      await artifact('unikraft-compat-result-examples-hello-c-0.17.0', cell(failingRngHello(), '0.17.0'))
      await artifact(
        'unikraft-compat-result-examples-broken-missing-lib-latest',
        cell(failingMissingLib('latest'), 'latest')
      )

      const CELLS = planned(
        'examples/redis\nexamples/hello-c\nexamples/broken-missing-lib\nexamples/nginx\n',
        'latest\n0.16.3\n0.17.0'
      )
      const r = runStep(step, { ...env, ...engine(kind), CELLS }, join(tmp, 'workspace'))
      expect(r.stderr).not.toMatch(/Error/)
      expect(r.status).toBe(0)

      const md = readFileSync(join(env.OUT, 'matrix.md'), 'utf8')
      expect(r.summary).toBe(md)
      expect(md).toContain('### Unikraft compatibility matrix')
      expect(md).toMatch(/\| examples\/redis \| .*pass.* \| .*pass.* \|/)
      expect(md).toContain('loader.missing-library')

      const fileJson = JSON.parse(readFileSync(join(env.OUT, 'matrix.json'), 'utf8'))
      expect(r.outputs.matrix).not.toContain('\n')
      expect(JSON.parse(r.outputs.matrix)).toEqual(fileJson)
      // Planned cells that left no result.json keep their place: nginx never reported at all.
      expect(fileJson.apps).toEqual([
        'examples/broken-missing-lib',
        'examples/hello-c',
        'examples/nginx',
        'examples/redis'
      ])
      expect(fileJson.versions).toEqual(['0.16.3', '0.17.0', 'latest'])
      expect(fileJson.cells).toHaveLength(4)
      expect(fileJson.missing).toHaveLength(4 * 3 - 4)
      expect(fileJson.missing).toContainEqual({ app: 'examples/nginx', version: 'latest' })
      expect(md).toMatch(/\| examples\/nginx \| — no result \| — no result \| — no result \|/)

      expect(readFileSync(join(env.OUT, 'matrix.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
    },
    60_000
  )

  it('publishes a matrix of empty cells when every cell crashed before writing a result', () => {
    const CELLS = planned('examples/redis\n-odd name\n', 'latest')
    const r = runStep(step, { ...env, ...engine('bundle'), CELLS }, join(tmp, 'workspace'))
    expect(r.status).toBe(0)
    const m = JSON.parse(r.outputs.matrix)
    expect(m.cells).toEqual([])
    expect(m.missing).toEqual([
      { app: '-odd name', version: 'latest' },
      { app: 'examples/redis', version: 'latest' }
    ])
    expect(r.summary).toContain('2 cells without a result')
  }, 60_000)

  it('fails, saying why in the summary, when the results cannot be aggregated', () => {
    const r = runStep(step, { ...env, ...engine('bundle'), CELLS: '' }, join(tmp, 'workspace'))
    expect(r.status).toBe(1)
    expect(r.summary).toContain('No matrix: the aggregation failed')
    expect(r.stderr).toContain('No usable result.json')
    expect(r.outputs).toEqual({})
  }, 60_000)
})
