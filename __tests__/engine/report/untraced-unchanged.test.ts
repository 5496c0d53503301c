// A result without a `syscalls` section (no trace asked for) renders exactly as it did before the
// traces came: the files in ./untraced are the outputs of the renderers from before that change.
import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { renderJobSummary } from '../../../src/engine/report/job-summary.js'
import {
  cellOf,
  type Matrix,
  renderMatrixJson,
  renderMatrixMarkdown,
  renderMatrixSvg
} from '../../../src/engine/report/matrix.js'
import type { CheckResult } from '../../../src/engine/report/result.js'
import { renderTextReport } from '../../../src/engine/report/text-report.js'
import { failingMissingLib, failingRngHello, infrastructureError, passingRedis } from './results.js'

const read = (name: string): Promise<string> => readFile(new URL(name, import.meta.url), 'utf8')
const golden = (name: string): Promise<string> => read(`./untraced/${name}`)

const FIXTURES: [string, () => CheckResult][] = [
  ['passing-redis', passingRedis],
  ['failing-rng-hello', failingRngHello],
  ['failing-missing-lib', failingMissingLib],
  ['infrastructure-error', infrastructureError]
]

describe('results without system-call traces render as before', () => {
  it.each(FIXTURES)('%s: the job summary', async (name, build) => {
    expect(build().syscalls).toBeNull()
    const consoleLog = await read('./logs/redis-ping-run1.log')
    expect(renderJobSummary(build(), { consoleLog })).toBe(await golden(`${name}.summary.md.txt`))
  })

  it.each(FIXTURES)('%s: the terminal report', async (name, build) => {
    expect(renderTextReport(build(), { colour: true, outDir: 'out' })).toBe(
      await golden(`${name}.report.txt`)
    )
  })

  it('the matrix: markdown, SVG and JSON', async () => {
    const cells = FIXTURES.map(([name, build]) => cellOf(build(), `${name}/result.json`))
    const m: Matrix = {
      schemaVersion: 1,
      apps: [...new Set(cells.map(c => c.app))].sort(),
      versions: [...new Set(cells.map(c => c.version))].sort(),
      cells,
      rejected: [],
      missing: []
    }
    expect(renderMatrixMarkdown(m)).toBe(await golden('matrix.md.txt'))
    expect(renderMatrixSvg(m)).toBe(await golden('matrix.svg.txt'))
    expect(renderMatrixJson(m)).toBe(await golden('matrix.json.txt'))
  })
})
