import { describe, expect, it } from '@jest/globals'
import { judge, type JudgeInput } from '../../../src/engine/check/judge.js'
import { ConfigurationError, InfrastructureError, InterruptedError } from '../../../src/engine/errors.js'
import type { Finding } from '../../../src/engine/finding.js'

const finding = (id: string, severity: Finding['severity'] = 'error'): Finding => ({
  id,
  severity,
  line: null,
  evidence: id,
  detail: null,
  hint: 'h',
  source: 'preflight'
})
const run = (verdict: 'pass' | 'fail' | 'error', findings: Finding[] = [], error?: unknown) => ({
  verdict,
  findings,
  summary: `${verdict} summary`,
  error
})
const base: JudgeInput = {
  main: null,
  failure: undefined,
  preflightFindings: [],
  stepFindings: [],
  allow: []
}

describe('judge: the verdict from what the run saw (docs/probes.md, "Verdict")', () => {
  it.each<[string, Partial<JudgeInput>, string, string | null]>([
    ['a passing run passes', { main: run('pass') }, 'pass', null],
    ['a failing run fails (the app did it)', { main: run('fail', [finding('crash.trap')]) }, 'fail', null],
    [
      'preflight alone can fail a run that never booted',
      { preflightFindings: [finding('loader.missing-library')] },
      'fail',
      null
    ],
    [
      'an allowed preflight error does not fail',
      { preflightFindings: [finding('x.y')], allow: ['x.y'] },
      'pass',
      null
    ],
    [
      'a configuration mistake is error/configuration',
      { failure: new ConfigurationError('cmd', 'bad cmd') },
      'error',
      'configuration'
    ],
    [
      'a machine problem is error/infrastructure',
      { failure: new InfrastructureError('no QEMU', 'install it') },
      'error',
      'infrastructure'
    ],
    [
      'a signal is error/interrupted',
      { failure: new InterruptedError('SIGTERM', 'boot') },
      'error',
      'interrupted'
    ],
    [
      'an error inside the run counts like one outside',
      { main: run('error', [], new InfrastructureError('no net', 'h')) },
      'error',
      'infrastructure'
    ],
    ['a run a probe could not judge is error/inconclusive', { main: run('error') }, 'error', 'inconclusive'],
    [
      'a failed app with an infra failure after it is still error, never fail',
      { main: run('fail'), failure: new InfrastructureError('x', 'y') },
      'error',
      'infrastructure'
    ]
  ])('%s', (_name, over, verdict, kind) => {
    const j = judge({ ...base, ...over })
    expect(j.verdict).toBe(verdict)
    expect(j.error?.kind ?? null).toBe(kind)
  })

  it('a configuration error adds config.invalid naming the input, and keeps the hint of an infrastructure error', () => {
    const c = judge({ ...base, failure: new ConfigurationError('memory', 'memory too big') })
    expect(c.findings.map(f => [f.id, f.detail])).toEqual([['config.invalid', 'memory']])
    const i = judge({ ...base, failure: new InfrastructureError('no kernel', 'give --kernel') })
    expect(i.error).toEqual({ kind: 'infrastructure', message: 'no kernel', hint: 'give --kernel' })
    expect(i.findings).toEqual([])
  })

  it("findings of the steps before the boot come first, then the run's", () => {
    const j = judge({
      ...base,
      stepFindings: [finding('config.empty-argument', 'warning')],
      main: run('pass', [finding('boot.banner', 'note')])
    })
    expect(j.findings.map(f => f.id)).toEqual(['config.empty-argument', 'boot.banner'])
  })

  it("the inconclusive message is the run's own summary", () => {
    expect(judge({ ...base, main: run('error') }).error).toEqual({
      kind: 'inconclusive',
      message: 'error summary'
    })
  })
})
