import { describe, expect, it } from '@jest/globals'
import { resultOutputs } from '../../../src/engine/report/result-outputs.js'
import { failingMissingLib, passingRedis } from './results.js'

describe('resultOutputs', () => {
  it('gives the verdict, the banner version and the boot and ready times as strings', () => {
    const out = resultOutputs({ ...passingRedis(), timeline: { ...passingRedis().timeline, bootMs: 117.6 } })
    expect(out).toEqual({
      verdict: 'pass',
      findings: JSON.stringify(passingRedis().findings),
      'unikraft-version': '0.16.3',
      'boot-ms': '118',
      'ready-ms': '842'
    })
  })

  it('leaves unknown values empty and keeps the findings parseable', () => {
    const out = resultOutputs(failingMissingLib())
    expect([out['unikraft-version'], out['boot-ms'], out['ready-ms']]).toEqual(['', '', ''])
    expect(JSON.parse(out.findings)[0]).toMatchObject({ id: 'loader.missing-library', detail: 'libc.so.6' })
  })
})
