import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadWorkflow, ROOT, runStep, stepById } from './workflow-files.js'

const wf = loadWorkflow('self-test.yml')
const EXAMPLES = ['hello-c', 'hello-cpp', 'redis', 'nginx', 'curl', 'htop']

let cwd: string
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ukc-selftest-'))
})
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true })
})

const lines = (v: unknown): string[] =>
  String(v)
    .split('\n')
    .map(l => l.trim())
    .filter(l => l !== '')

describe('self-test.yml', () => {
  it('runs on pushes to main and on pull requests, read-only at the top', () => {
    expect(wf.on).toEqual({ push: { branches: ['main'] }, pull_request: null })
    expect(wf.permissions).toEqual({ contents: 'read' })
  })

  it("calls this commit's reusable workflow on every passing example, on latest and 0.16.3", () => {
    const call = wf.jobs.matrix
    expect(call.uses).toBe('./.github/workflows/unikraft-compat.yml')
    expect(lines(call.with?.apps)).toEqual(EXAMPLES.map(e => `examples/${e}`))
    expect(lines(call.with?.['unikraft-versions'])).toEqual(['latest', '0.16.3'])
    for (const e of EXAMPLES) expect(existsSync(join(ROOT, 'examples', e, 'Dockerfile'))).toBe(true)
    // The called workflow's comment job asks for pull-requests: write; a caller must grant it.
    expect(call.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' })
    expect(call.with?.['comment-on-pr']).toBe(true)
  })

  it('checks that the workflow output holds a cell for every example and version', () => {
    const step = wf.jobs['matrix-output'].steps?.[0]
    expect(step?.env).toMatchObject({
      MATRIX: '${{ needs.matrix.outputs.matrix }}',
      APPS: EXAMPLES.join(' '),
      VERSIONS: 'latest 0.16.3'
    })
    const base = { APPS: 'redis htop', VERSIONS: 'latest 0.16.3' }
    const cell = (app: string, version: string) => ({ app, version, verdict: 'pass', mainFinding: null })
    const full = {
      cells: [
        cell('redis', 'latest'),
        cell('redis', '0.16.3'),
        cell('htop', 'latest'),
        cell('htop', '0.16.3')
      ]
    }
    expect(runStep(step!, { ...base, MATRIX: JSON.stringify(full) }, cwd).status).toBe(0)
    const short = runStep(step!, { ...base, MATRIX: JSON.stringify({ cells: full.cells.slice(1) }) }, cwd)
    expect(short.status).toBe(1)
    expect(short.stdout).toContain('::error::The matrix output has no cell for redis @ latest')
    expect(runStep(step!, { ...base, MATRIX: '' }, cwd).stdout).toContain('gave no matrix output')
  })

  describe('broken-missing-lib job', () => {
    const job = wf.jobs['broken-missing-lib']
    const check = job.steps?.find(s => s.id === 'check')
    const assertStep = stepById(wf, 'broken-missing-lib', 'assert')

    it('runs this commit of the action on the example and lets the step fail', () => {
      expect(check?.uses).toBe('./')
      expect(check?.['continue-on-error']).toBe(true)
      expect(check?.with?.app).toBe('examples/broken-missing-lib')
      expect(assertStep.env).toEqual({
        OUTCOME: '${{ steps.check.outcome }}',
        VERDICT: '${{ steps.check.outputs.verdict }}',
        FINDINGS: '${{ steps.check.outputs.findings }}',
        EXPECTED_LIBRARY: 'libstdc++.so.6'
      })
    })

    it('expects the library the example leaves out on purpose', () => {
      const dockerfile = readFileSync(join(ROOT, 'examples/broken-missing-lib/Dockerfile'), 'utf8')
      expect(dockerfile).toMatch(/^# Missing on purpose: COPY .*\/libstdc\+\+\.so\.6 /m)
      expect(dockerfile).not.toMatch(/^COPY .*libstdc\+\+/m)
    })

    const missing = {
      id: 'loader.missing-library',
      severity: 'error',
      line: null,
      evidence: '/hello-cpp needs libstdc++.so.6 (DT_NEEDED), which is not in /lib/x86_64-linux-gnu, /lib64',
      detail: 'libstdc++.so.6',
      hint: 'Copy the library into the image',
      source: 'preflight'
    }
    const run = (outcome: string, verdict: string, findings: unknown) =>
      runStep(
        assertStep,
        {
          OUTCOME: outcome,
          VERDICT: verdict,
          FINDINGS: typeof findings === 'string' ? findings : JSON.stringify(findings),
          EXPECTED_LIBRARY: 'libstdc++.so.6'
        },
        cwd
      )

    it('passes when the step failed with loader.missing-library naming libstdc++.so.6', () => {
      const r = run('failure', 'fail', [missing])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('As expected: /hello-cpp needs libstdc++.so.6')
    })

    it.each([
      [
        'the step succeeded',
        'success',
        'fail',
        [missing],
        "the step's outcome is 'success', expected 'failure'"
      ],
      ['the verdict is error', 'failure', 'error', [missing], "the verdict is 'error', expected 'fail'"],
      [
        'another library is named',
        'failure',
        'fail',
        [{ ...missing, detail: 'libm.so.6' }],
        'no error finding loader.missing-library naming libstdc++.so.6; findings: loader.missing-library (libm.so.6)'
      ],
      [
        'the finding was allowed into a note',
        'failure',
        'fail',
        [{ ...missing, severity: 'note', allowed: true }],
        'no error finding loader.missing-library'
      ],
      ['no findings output', 'failure', 'fail', '', 'the findings output is not a JSON array'],
      [
        'findings that are not an array',
        'failure',
        'fail',
        '{"id":"x"}',
        'the findings output is not a JSON array'
      ]
    ])('fails when %s', (_what, outcome, verdict, findings, message) => {
      const r = run(outcome, verdict, findings)
      expect(r.status).toBe(1)
      expect(r.stdout).toContain(`::error::${message}`)
      expect(readdirSync(cwd)).toEqual([])
    })
  })
})
