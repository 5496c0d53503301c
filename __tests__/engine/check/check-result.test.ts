import { describe, expect, it } from '@jest/globals'
import { buildResult, type RunRecord } from '../../../src/engine/check/check-result.js'
import type { GuestRun } from '../../../src/engine/check/guest-run.js'
import type { Finding } from '../../../src/engine/finding.js'
import { validateCheckResult } from '../../../src/engine/report/result.js'
import type { VmResult } from '../../../src/engine/vm/vm-types.js'

const options = { appId: 'examples/redis', appDir: '/ws/examples/redis', unikraftVersion: '0.16.3' }
const banner: Finding = {
  id: 'boot.banner',
  severity: 'note',
  line: 3,
  evidence: 'Powered by Unikraft Telesto (0.16.3~b6d4f1e)',
  detail: '0.16.3',
  hint: '',
  source: 'console',
  data: { version: '0.16.3', codename: 'Telesto', commit: 'b6d4f1e' }
}
const vm: VmResult = {
  reason: 'killed',
  qemuExit: null,
  qemuSignal: null,
  killedFromOutside: false,
  guestExit: null,
  debugExit: null,
  accel: 'tcg',
  accelReason: 'no /dev/kvm; using TCG',
  qemuVersion: '7.2.15',
  qmpEvents: [],
  timeline: { spawnMs: 1.4, firstOutputMs: 120.2, bannerMs: 130.7, readyMs: 900.5, exitMs: 1000.2 },
  ports: { 6379: 40001 },
  consoleLog: '/out/console.log',
  qemuStderrLog: '/out/qemu-stderr.log',
  consoleTruncated: false,
  argv: ['qemu-system-x86_64'],
  networkProblem: null
}
const guestRun = (
  guest: 'unikraft' | 'linux',
  verdict: GuestRun['verdict'],
  findings: Finding[] = []
): GuestRun => ({
  guest,
  vm,
  probes: [
    {
      kind: 'redis',
      input: 'probe[1]',
      target: 'redis:6379',
      passed: verdict === 'pass',
      attempts: 3,
      durationMs: 812.6,
      readyAtMs: verdict === 'pass' ? 900 : null,
      evidence: { sent: 'PING', received: '+PONG', atMs: 900 }
    }
  ],
  findings,
  verdict,
  summary: verdict,
  errorText: verdict === 'error' ? 'no network' : null,
  launchAtMs: 20.4,
  error: undefined
})
const record = (over: Partial<RunRecord>): RunRecord => ({
  startedAt: '2026-12-06T05:00:00.000Z',
  durationMs: 2000.6,
  setupMs: 10.2,
  buildMs: 300.7,
  guest: 'unikraft',
  qemuVersion: '7.2.15',
  kraftkitVersion: null,
  rootfs: null,
  main: null,
  baseline: null,
  syscalls: null,
  ...over
})

describe('buildResult: result.json from the run record, pure', () => {
  it('a passing Unikraft run: banner version, rounded times, ports, probes, valid against the schema', () => {
    const r = buildResult(options, record({ main: guestRun('unikraft', 'pass', [banner]) }), {
      verdict: 'pass',
      findings: [banner],
      error: null
    })
    expect(r.unikraft).toEqual({ version: '0.16.3', codename: 'Telesto', commit: 'b6d4f1e' })
    expect(r.timeline.setupMs).toBe(10)
    expect(r.timeline.launchMs).toBe(20)
    expect(r.durationMs).toBe(2001)
    expect(r.probes[0]).toMatchObject({ target: 'redis:6379', passed: true, durationMs: 813 })
    expect(r.accel).toBe('tcg')
    expect(r.qemu).toEqual({ version: '7.2.15' })
    expect(r.baseline).toBeNull()
    expect(r.summary).toMatch(/pass/i)
    expect(() => validateCheckResult(JSON.parse(JSON.stringify(r)))).not.toThrow()
  })

  it('a Linux guest never reports a Unikraft banner or a banner time', () => {
    const r = buildResult(options, record({ guest: 'linux', main: guestRun('linux', 'pass', [banner]) }), {
      verdict: 'pass',
      findings: [banner],
      error: null
    })
    expect(r.unikraft).toBeNull()
    expect(r.timeline.bannerMs).toBeNull()
  })

  it.each<[string, GuestRun['verdict'], GuestRun['verdict'], string]>([
    ['Unikraft fails where Linux passes: a gap', 'fail', 'pass', 'unikraft-gap'],
    ['both fail: the app is broken', 'fail', 'fail', 'app-broken'],
    ['the baseline could not run: inconclusive, never a gap', 'fail', 'error', 'inconclusive']
  ])('%s', (_name, uk, linux, kind) => {
    const r = buildResult(
      options,
      record({ main: guestRun('unikraft', uk), baseline: guestRun('linux', linux) }),
      { verdict: uk, findings: [], error: null }
    )
    expect(r.baseline?.differential.kind).toBe(kind)
    if (kind === 'inconclusive') expect(r.baseline?.differential.summary).toContain('(no network)')
  })

  it('a check that failed before booting still gives a valid document with its error', () => {
    const r = buildResult(options, record({ setupMs: null, buildMs: null }), {
      verdict: 'error',
      findings: [],
      error: { kind: 'infrastructure', message: 'QEMU is not usable', hint: 'install it' }
    })
    expect(r.vm).toBeNull()
    expect(r.probes).toEqual([])
    expect(r.error?.hint).toBe('install it')
    expect(() => validateCheckResult(JSON.parse(JSON.stringify(r)))).not.toThrow()
  })
})
