// Every example, built from its real Dockerfile with the machine's Docker engine, booted on the Linux
// baseline guest under QEMU and probed as its config says (Unikraft images cannot be fetched here).
// The results then go through the matrix aggregation, as the reusable workflow's aggregate job does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCheck } from '../../src/engine/check/run-check.js'
import { resolveCheckOptions } from '../../src/engine/config/resolve.js'
import { aggregateMatrix, renderMatrixMarkdown } from '../../src/engine/report/matrix.js'
import type { CheckResult } from '../../src/engine/report/result.js'
import { validateCheckResult } from '../../src/engine/report/result.js'
import { testEngineDeps } from '../engine/check/test-engine-deps.js'

const root = new URL('../..', import.meta.url).pathname
const examples = join(root, 'examples')
const passing = readdirSync(examples).filter(
  d => existsSync(join(examples, d, 'unikraft-compat.yml')) && d !== 'broken-missing-lib'
)

let work: string
const results = new Map<string, CheckResult>()

const deps = () => testEngineDeps(work)

async function check(app: string): Promise<CheckResult> {
  // A generous deadline: these assert behaviour, not speed, on a busy 2-core machine under TCG.
  const options = await resolveCheckOptions(
    { app: `examples/${app}`, guest: 'linux', timeout: '150s' },
    { cwd: root }
  )
  const out = join(work, 'results', app)
  mkdirSync(out, { recursive: true })
  const { result } = await runCheck(options, out, deps())
  results.set(app, result)
  return result
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-examples-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('examples on the Linux baseline', () => {
  it.each(passing)(
    '%s passes its probes',
    async app => {
      const r = await check(app)
      const failed = r.probes.filter(p => !p.passed).map(p => `${p.target}: ${JSON.stringify(p.evidence)}`)
      expect({ verdict: r.verdict, error: r.error, failed }).toEqual({
        verdict: 'pass',
        error: null,
        failed: []
      })
      expect(r.guest).toBe('linux')
      expect(r.probes.length).toBeGreaterThan(0)
      expect(validateCheckResult(JSON.parse(JSON.stringify(r))).ok).toBe(true)
    },
    300_000
  )

  it('broken-missing-lib fails before boot with loader.missing-library naming libstdc++.so.6', async () => {
    const r = await check('broken-missing-lib')
    expect(r.verdict).toBe('fail')
    const f = r.findings.find(x => x.id === 'loader.missing-library')
    expect(f).toMatchObject({ severity: 'error', detail: 'libstdc++.so.6', source: 'preflight' })
    expect(r.vm).toBeNull()
  }, 300_000)

  it('the results aggregate into the compatibility matrix', async () => {
    expect(results.size).toBe(passing.length + 1)
    const m = await aggregateMatrix(join(work, 'results'))
    expect(m.rejected).toEqual([])
    // Rows are the app directories as the workspace names them.
    expect(m.apps.sort()).toEqual([...passing, 'broken-missing-lib'].map(a => `examples/${a}`).sort())
    const md = renderMatrixMarkdown(m)
    expect(md).toContain('loader.missing-library')
    for (const app of passing) expect(md).toContain(app)
  })
})
