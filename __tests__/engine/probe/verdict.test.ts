import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../../src/engine/finding.js'
import { InfrastructureError } from '../../../src/engine/errors.js'
import type { ProbeResult } from '../../../src/engine/probe/probe-types.js'
import { computeVerdict } from '../../../src/engine/probe/verdict.js'

const probe = (passed: boolean, input = 'probe[1]', note?: string): ProbeResult => ({
  kind: 'redis',
  target: 'redis:6379',
  input,
  passed,
  attempts: 3,
  durationMs: 800,
  readyAtMs: passed ? 812 : null,
  evidence: { sent: 'PING', received: passed ? '+PONG' : '', atMs: 812, ...(note ? { note } : {}) }
})

const finding = (id: string, severity: Finding['severity']): Finding => ({
  id,
  severity,
  line: 12,
  evidence: 'Cloning thread without CLONE_VM being set',
  detail: null,
  hint: 'fork() is unsupported',
  source: 'console'
})

describe('computeVerdict', () => {
  it('passes when every probe passed and no error finding remains', () => {
    const v = computeVerdict({ probes: [probe(true)], findings: [finding('boot.banner', 'note')], allow: [] })
    expect(v).toEqual({
      verdict: 'pass',
      findings: [finding('boot.banner', 'note')],
      summary: '1 probe(s) passed, no error findings'
    })
  })

  describe('a log line never overturns probes that passed, unless it is decisive', () => {
    it.each([
      ['net.address-family-unsupported', true, 'pass', 'warning'],
      ['net.option-unsupported', true, 'pass', 'warning'],
      ['syscall.unsupported', true, 'pass', 'warning'],
      ['process.fork-unsupported', true, 'pass', 'warning'],
      ['fs.procfs-missing', true, 'pass', 'warning'],
      ['kernel.error', true, 'pass', 'warning'],
      ['crash.page-fault', true, 'fail', 'error'],
      ['crash.trap', true, 'fail', 'error'],
      ['memory.out-of-memory', true, 'fail', 'error'],
      ['loader.missing-library', true, 'fail', 'error'],
      ['app.exit-status', true, 'fail', 'error'],
      ['net.address-family-unsupported', false, 'fail', 'error']
    ] as const)('%s with probes passed=%s: %s, severity %s', (id, passed, verdict, severity) => {
      const v = computeVerdict({
        probes: [probe(passed, 'probe[1]', 'no reply')],
        findings: [finding(id, 'error')],
        allow: []
      })
      expect(v.verdict).toBe(verdict)
      expect(v.findings[0].severity).toBe(severity)
      if (severity === 'warning')
        expect(v.findings[0].hint).toMatch(
          /The app kept working \(every probe passed\), so this is a warning\.$/
        )
    })

    it('with no probe at all, nothing was shown to work: the finding stays an error', () => {
      expect(
        computeVerdict({ probes: [], findings: [finding('net.option-unsupported', 'error')], allow: [] })
          .verdict
      ).toBe('fail')
    })
  })

  describe('an inconclusive probe (an exit status the kernel does not report)', () => {
    const unknown: ProbeResult = {
      ...probe(false, 'probe[2]', 'exit status unknown: no exit was reported'),
      kind: 'exit',
      target: 'exit:0',
      inconclusive: true
    }
    it.each([
      ['alone: error, never fail', [probe(true), unknown], [], 'error'],
      [
        'with a warning: still error',
        [probe(true), unknown],
        [finding('net.option-unsupported', 'warning')],
        'error'
      ],
      [
        'with an error finding (a crash): fail',
        [probe(true), unknown],
        [finding('crash.trap', 'error')],
        'fail'
      ],
      ['after a real failure: fail', [probe(false, 'probe[1]', 'no reply'), unknown], [], 'fail'],
      [
        'with the error finding allowed: error',
        [unknown],
        [finding('process.fork-unsupported', 'error')],
        'error'
      ]
    ] as const)('%s', (_name, probes, findings, verdict) => {
      const v = computeVerdict({
        probes: [...probes],
        findings: [...findings],
        allow: ['process.fork-unsupported']
      })
      expect(v.verdict).toBe(verdict)
      if (verdict === 'error') {
        expect(v.summary).toBe('probe[2] exit:0 is inconclusive: exit status unknown: no exit was reported')
      }
    })
  })

  it('fails on the first failing probe and names it with its evidence', () => {
    const v = computeVerdict({
      probes: [probe(true), probe(false, 'probe[2]', 'no reply'), probe(false, 'probe[3]', 'not run')],
      findings: [],
      allow: []
    })
    expect(v.verdict).toBe('fail')
    expect(v.firstFailure?.input).toBe('probe[2]')
    expect(v.summary).toBe('probe[2] redis:6379 failed: no reply')
  })

  it('fails on an error finding even when every probe passed (a crash after the app answered)', () => {
    const v = computeVerdict({
      probes: [probe(true)],
      findings: [finding('crash.page-fault', 'error')],
      allow: []
    })
    expect(v.verdict).toBe('fail')
    expect(v.firstFailure).toBeUndefined()
    expect(v.summary).toBe('1 error finding(s): crash.page-fault')
  })

  it('does not fail on warnings', () => {
    expect(
      computeVerdict({ probes: [probe(true)], findings: [finding('x.y', 'warning')], allow: [] }).verdict
    ).toBe('pass')
  })

  it('turns allowed error and warning findings into notes marked allowed', () => {
    const v = computeVerdict({
      probes: [probe(true)],
      findings: [
        finding('process.fork-unsupported', 'error'),
        finding('process.fork-unsupported', 'warning')
      ],
      allow: ['process.fork-unsupported']
    })
    expect(v.verdict).toBe('pass')
    expect(v.findings.map(f => [f.severity, f.allowed])).toEqual([
      ['note', true],
      ['note', true]
    ])
    expect(v.summary).toBe('1 probe(s) passed, no error findings; 2 allowed finding(s) kept as notes')
  })

  it('allows only the listed ids', () => {
    const v = computeVerdict({
      probes: [probe(true)],
      findings: [finding('process.fork-unsupported', 'error'), finding('loader.missing-library', 'error')],
      allow: ['process.fork-unsupported']
    })
    expect(v.verdict).toBe('fail')
    expect(v.summary).toBe('1 error finding(s): loader.missing-library')
    expect(v.findings[1]).toEqual(finding('loader.missing-library', 'error'))
  })

  it('does not touch the findings it was given', () => {
    const given = [finding('process.fork-unsupported', 'error')]
    computeVerdict({ probes: [], findings: given, allow: ['process.fork-unsupported'] })
    expect(given[0].severity).toBe('error')
    expect(given[0].allowed).toBeUndefined()
  })

  it('is error when the check could not be carried out, whatever else happened', () => {
    const v = computeVerdict({
      probes: [probe(false)],
      findings: [finding('crash.page-fault', 'error')],
      allow: [],
      infraError: new InfrastructureError(
        'qemu-system-x86_64 is not installed',
        'apt-get install qemu-system-x86'
      )
    })
    expect(v.verdict).toBe('error')
    expect(v.summary).toBe('the check could not be carried out: qemu-system-x86_64 is not installed')
  })
})
