import { describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  checkResultJsonSchema,
  type CheckResult,
  formatMs,
  mainFinding,
  portsToJson,
  RESULT_SCHEMA_VERSION,
  summarize,
  timelineFromVm,
  validateCheckResult
} from '../../../src/engine/report/result.js'
import { loadResultFile, writeResultFile } from '../../../src/engine/report/result-file.js'
import { validateAgainst } from '../../../src/engine/report/result-validate.js'
import {
  failingMissingLib,
  failingRngHello,
  infrastructureError,
  missingLibFinding,
  passingRedis
} from './results.js'

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

describe('result schema', () => {
  it.each([
    ['a passing redis run', passingRedis()],
    ['a failing run with a baseline', failingRngHello()],
    ['a preflight failure that never booted', failingMissingLib()],
    ['an infrastructure error', infrastructureError()]
  ])('accepts %s', (_name, result) => {
    const outcome = validateCheckResult(clone(result))
    expect(outcome).toEqual({ ok: true, result })
  })

  it('is a draft 2020-12 schema whose schemaVersion is the one the code writes', () => {
    expect(checkResultJsonSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(checkResultJsonSchema.properties.schemaVersion.const).toBe(RESULT_SCHEMA_VERSION)
  })

  it('requires every top-level field except the optional matrixCell', () => {
    const props = Object.keys(checkResultJsonSchema.properties).filter(k => k !== 'matrixCell')
    expect([...checkResultJsonSchema.required].sort()).toEqual(props.sort())
  })

  it('ignores fields it does not know (adding a field is not a breaking change)', () => {
    const r = { ...clone(passingRedis()), futureField: { anything: [1, 2] } }
    expect(validateCheckResult(r).ok).toBe(true)
  })

  it.each<[string, (r: Record<string, unknown> & CheckResult) => void, string]>([
    [
      'a wrong verdict',
      r => (r.verdict = 'maybe' as never),
      `/verdict: must be one of "pass", "fail", "error", got "maybe"`
    ],
    [
      'a missing field',
      r => delete (r as Partial<CheckResult>).timeline,
      `(root): missing required field 'timeline'`
    ],
    [
      'a probe with passed as text',
      r => (r.probes[0].passed = 'yes' as never),
      '/probes/0/passed: must be boolean, got "yes"'
    ],
    [
      'a negative duration',
      r => (r.probes[0].durationMs = -5),
      '/probes/0/durationMs: must be at least 0, got -5'
    ],
    [
      'a fractional attempt count',
      r => (r.probes[0].attempts = 1.5),
      '/probes/0/attempts: must be integer, got 1.5'
    ],
    [
      'a port out of range',
      r => (r.ports = { '6379': 70000 }),
      '/ports/6379: must be at most 65535, got 70000'
    ],
    ['a port key that is not a port', r => (r.ports = { redis: 6379 }), '/ports/redis (name): must match'],
    [
      'an unknown finding severity',
      r => (r.findings[0].severity = 'fatal' as never),
      '/findings/0/severity: must be one of'
    ],
    [
      'a finding without a hint',
      r => delete (r.findings[0] as Partial<(typeof r.findings)[0]>).hint,
      `/findings/0: missing required field 'hint'`
    ],
    [
      'a finding with object data',
      r => (r.findings[0].data = { x: { y: 1 } as never }),
      '/findings/0/data/x: must be'
    ],
    [
      'a non-null, non-object qemu',
      r => (r.qemu = '7.2' as never),
      '/qemu: must be object or null, got "7.2"'
    ],
    [
      'a vm with an unknown reason',
      r => (r.vm = { ...r.vm!, reason: 'exploded' as never }),
      '/vm/reason: must be one of'
    ],
    [
      'a baseline on another guest',
      r => (r.baseline = { ...failingRngHello().baseline!, guest: 'unikraft' as never }),
      '/baseline/guest: must be "linux"'
    ],
    ['startedAt that is not ISO 8601', r => (r.startedAt = 'yesterday'), '/startedAt: must match'],
    [
      'another tool',
      r => (r.tool = { name: 'other', version: '1' }),
      '/tool/name: must be "unikraft-compat", got "other"'
    ],
    [
      'an error of an unknown kind',
      r => (r.error = { kind: 'oops' as never, message: 'x' }),
      '/error/kind: must be one of'
    ]
  ])('rejects %s, naming the path', (_name, mutate, expected) => {
    const r = clone(passingRedis()) as Record<string, unknown> & CheckResult
    mutate(r)
    const outcome = validateCheckResult(r)
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) expect(outcome.problems.join('\n')).toContain(expected)
  })

  it.each([
    [
      'a package.json',
      { name: 'x', version: '1.0.0', dependencies: {} },
      'not a unikraft-compat result: no schemaVersion'
    ],
    ['an array', [1, 2], 'not a unikraft-compat result: the file holds an array'],
    [
      'a newer schema version',
      { ...passingRedis(), schemaVersion: 2 },
      'schemaVersion 2 comes from a newer unikraft-compat'
    ],
    ['an unversioned result of ours', { tool: { name: 'unikraft-compat' } }, 'without schemaVersion']
  ])('rejects %s as foreign in one plain sentence', (_name, value, expected) => {
    const outcome = validateCheckResult(value)
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) expect(outcome.problems).toEqual([expect.stringContaining(expected)])
  })

  it('refuses to interpret a schema keyword it does not implement (the schema cannot outgrow the validator)', () => {
    expect(() => validateAgainst({ type: 'string', format: 'date-time' }, 'x')).toThrow(
      "schema keyword 'format' not supported"
    )
  })
})

describe('result file', () => {
  it('writes and reads back the same result, pretty-printed with a newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ukc-result-'))
    try {
      const file = join(dir, 'out', 'result.json')
      await writeResultFile(file, failingRngHello())
      const text = await readFile(file, 'utf8')
      expect(text.endsWith('}\n')).toBe(true)
      expect(text).toContain('\n  "verdict": "fail",\n')
      expect(await loadResultFile(file)).toEqual({ ok: true, result: failingRngHello() })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('reports a truncated file and a missing file as problems, not throws', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ukc-result-'))
    try {
      await writeFile(join(dir, 'result.json'), '{"schemaVersion": 1, "verd')
      const cut = await loadResultFile(join(dir, 'result.json'))
      expect(cut.ok).toBe(false)
      if (!cut.ok) expect(cut.problems[0]).toMatch(/^not JSON: /)
      const none = await loadResultFile(join(dir, 'nope.json'))
      expect(none.ok).toBe(false)
      if (!none.ok) expect(none.problems[0]).toMatch(/^cannot read: .*ENOENT/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('result helpers', () => {
  it('turns number-keyed ports into sorted string keys', () => {
    expect(JSON.stringify(portsToJson({ 8080: 40001, 80: 40000 }))).toBe('{"80":40000,"8080":40001}')
  })

  it('fills the guest milestones from the VM timeline', () => {
    const t = timelineFromVm(
      { setupMs: 10, buildMs: 20, launchMs: 30 },
      { spawnMs: 1, firstOutputMs: 100, bannerMs: 200, readyMs: null, exitMs: 900 }
    )
    expect(t).toEqual({
      setupMs: 10,
      buildMs: 20,
      launchMs: 30,
      bootMs: 100,
      bannerMs: 200,
      readyMs: null,
      exitMs: 900
    })
    expect(timelineFromVm({ setupMs: 1, buildMs: null, launchMs: null }, null).bootMs).toBeNull()
  })

  it('picks the first error that no allow-list accepted as the main finding', () => {
    const allowed = { ...missingLibFinding(), id: 'process.fork-unsupported', allowed: true }
    const warning = { ...missingLibFinding(), id: 'memory.out-of-memory', severity: 'warning' as const }
    expect(mainFinding([allowed, warning, missingLibFinding()])?.id).toBe('loader.missing-library')
    expect(mainFinding([allowed, warning])).toBeNull()
  })

  it.each([
    [
      passingRedis(),
      'redis passed on Unikraft 0.16.3 (Telesto) under TCG: 1/1 probe passed, ready 842 ms after launch.'
    ],
    [
      failingRngHello(),
      'hello-c failed on Unikraft 0.17.0 under TCG: boot.rng-unavailable; Unikraft compatibility gap: the Linux baseline passed with the same root filesystem and command.'
    ],
    [
      failingMissingLib(),
      'broken-missing-lib failed on Unikraft latest under TCG: loader.missing-library (libc.so.6).'
    ],
    [
      infrastructureError(),
      'The check of nginx could not be carried out: Docker is not running: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.'
    ],
    [
      { ...passingRedis(), guest: 'linux' as const, accel: null },
      'redis passed on the Linux baseline: 1/1 probe passed, ready 842 ms after launch.'
    ]
  ])('summarizes in one sentence: %#', (result, sentence) => {
    expect(summarize(result)).toBe(sentence)
  })

  it.each([
    [0, '0 ms'],
    [999.4, '999 ms'],
    [999.6, '1.0 s'],
    [1000, '1.0 s'],
    [42_350, '42.4 s'],
    [125_000, '2 min 5 s']
  ])('formats %p ms as %p', (ms, text) => {
    expect(formatMs(ms)).toBe(text)
  })
})
