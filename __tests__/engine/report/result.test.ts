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
import * as resultSchema from '../../../src/engine/report/result-schema.js'
import { schemaProblems, VALIDATED_SCHEMA } from '../../../src/engine/report/result-validate.js'
import * as fixtures from './results.js'
import {
  failingMissingLib,
  failingRngHello,
  infrastructureError,
  missingLibFinding,
  passingRedis,
  tracedSyscallGap
} from './results.js'

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

/** Every result the shared fixtures build (each exported builder called without arguments). */
const fixtureResults = Object.entries(fixtures).flatMap(([name, build]) => {
  if (typeof build !== 'function' || build.length > 0) return []
  const value = (build as () => unknown)()
  return typeof value === 'object' && value !== null && 'schemaVersion' in value
    ? [[name, value as CheckResult] as const]
    : []
})

describe('result schema', () => {
  it('has fixtures to check (the list below is not empty by accident)', () => {
    expect(fixtureResults.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'passingRedis',
        'failingRngHello',
        'failingMissingLib',
        'infrastructureError',
        'tracedSyscallGap'
      ])
    )
  })

  it.each(fixtureResults)('accepts the fixture %s, as written to and read from JSON', (_name, result) => {
    const outcome = validateCheckResult(clone(result))
    expect(outcome).toEqual({ ok: true, result })
  })

  it('is a draft 2020-12 schema whose schemaVersion is the one the code writes', () => {
    expect(checkResultJsonSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(checkResultJsonSchema.properties.schemaVersion.const).toBe(RESULT_SCHEMA_VERSION)
    expect(RESULT_SCHEMA_VERSION).toBe(2)
  })

  it('requires every top-level field except the optional matrixCell', () => {
    const props = Object.keys(checkResultJsonSchema.properties).filter(k => k !== 'matrixCell')
    expect([...checkResultJsonSchema.required].sort()).toEqual(props.sort())
  })

  it('accepts a syscalls section where a side ran untraced and nothing diverged', () => {
    const r = clone(tracedSyscallGap())
    r.syscalls = {
      ...r.syscalls!,
      traced: { unikraft: true, linux: false },
      notes: ['no Linux trace: strace is not installed'],
      sides: { unikraft: r.syscalls!.sides.unikraft, linux: null },
      divergence: null
    }
    expect(validateCheckResult(r).ok).toBe(true)
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
      r => (r.tool = { name: 'other' as never, version: '1' }),
      '/tool/name: must be "unikraft-compat", got "other"'
    ],
    [
      'an error of an unknown kind',
      r => (r.error = { kind: 'oops' as never, message: 'x' }),
      '/error/kind: must be one of'
    ],
    ['a finding on line 0', r => (r.findings[0].line = 0), '/findings/0/line: must be at least 1, got 0'],
    [
      'a finding on a fractional line',
      r => (r.findings[0].line = 1.5),
      '/findings/0/line: must be integer or null, got 1.5'
    ],
    [
      'an unknown accelerator',
      r => (r.accel = 'hvf' as never),
      '/accel: must be one of "kvm", "tcg", null, got "hvf"'
    ],
    ['an empty Unikraft version', r => (r.unikraft!.version = ''), '/unikraft/version: must not be empty'],
    [
      'a result without the syscalls section',
      r => delete (r as Partial<CheckResult>).syscalls,
      `(root): missing required field 'syscalls'`
    ],
    ['syscalls as text', r => (r.syscalls = 'yes' as never), '/syscalls: must be object or null, got "yes"'],
    [
      'syscalls without saying which sides were traced',
      r => delete (r.syscalls!.traced as Partial<{ linux: boolean }>).linux,
      `/syscalls/traced: missing required field 'linux'`
    ],
    [
      'a note that is not text',
      r => (r.syscalls!.notes = [42 as never]),
      '/syscalls/notes/0: must be string, got 42'
    ],
    [
      'a side summary listing a call made zero times',
      r => (r.syscalls!.sides.linux!.calls[0].count = 0),
      '/syscalls/sides/linux/calls/0/count: must be at least 1, got 0'
    ],
    [
      'a side summary with a fractional call count',
      r => (r.syscalls!.sides.unikraft!.count = 2.5),
      '/syscalls/sides/unikraft/count: must be integer, got 2.5'
    ],
    [
      'a side summary without errnos',
      r => delete (r.syscalls!.sides.unikraft!.calls[1] as Partial<{ errnos: string[] }>).errnos,
      `/syscalls/sides/unikraft/calls/1: missing required field 'errnos'`
    ],
    [
      'a side that is neither a summary nor null',
      r => (r.syscalls!.sides.unikraft = [] as never),
      '/syscalls/sides/unikraft: must be object or null, got an array'
    ],
    [
      'a divergence of an unknown kind',
      r => (r.syscalls!.divergence!.kind = 'weird' as never),
      '/syscalls/divergence/kind: must be one of "different-result", "not-reached", "unsupported", got "weird"'
    ],
    [
      'a divergence at a negative index',
      r => (r.syscalls!.divergence!.linuxIndex = -1),
      '/syscalls/divergence/linuxIndex: must be at least 0, got -1'
    ],
    [
      'a divergence whose Unikraft result is a number',
      r => (r.syscalls!.divergence!.unikraft = -38 as never),
      '/syscalls/divergence/unikraft: must be string or null, got -38'
    ],
    [
      'an unsupported call without a name',
      r => (r.syscalls!.unsupported[0].syscall = ''),
      '/syscalls/unsupported/0/syscall: must not be empty'
    ],
    [
      'an unsupported call with tolerated as text',
      r => (r.syscalls!.unsupported[1].tolerated = 'no' as never),
      '/syscalls/unsupported/1/tolerated: must be boolean, got "no"'
    ]
  ])('rejects %s, naming the path', (_name, mutate, expected) => {
    // A passing run with a full syscalls section: every part the table mutates is there.
    const r = { ...clone(passingRedis()), syscalls: clone(tracedSyscallGap().syscalls) } as Record<
      string,
      unknown
    > &
      CheckResult
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
      { ...passingRedis(), schemaVersion: RESULT_SCHEMA_VERSION + 1 },
      `schemaVersion ${RESULT_SCHEMA_VERSION + 1} comes from a newer unikraft-compat; this one reads version ${RESULT_SCHEMA_VERSION}: update it`
    ],
    [
      'a result of schema version 1 (before syscalls)',
      { ...passingRedis(), schemaVersion: 1 },
      `schemaVersion 1 is older than the version ${RESULT_SCHEMA_VERSION} this tool reads`
    ],
    ['an unversioned result of ours', { tool: { name: 'unikraft-compat' } }, 'without schemaVersion']
  ])('rejects %s as foreign in one plain sentence', (_name, value, expected) => {
    const outcome = validateCheckResult(value)
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) expect(outcome.problems).toEqual([expect.stringContaining(expected)])
  })

  it('lists every problem of a badly broken file, up to 20, each once', () => {
    const r = clone(passingRedis()) as Record<string, unknown>
    delete r.app
    r.verdict = 1
    r.probes = {}
    const outcome = validateCheckResult(r)
    expect(outcome).toEqual({
      ok: false,
      problems: [
        `(root): missing required field 'app'`,
        '/verdict: must be one of "pass", "fail", "error", got 1',
        '/probes: must be array, got an object'
      ]
    })
    const many = { ...clone(passingRedis()), artifacts: Array.from({ length: 50 }, () => 7) }
    const capped = validateCheckResult(many)
    expect(capped.ok ? [] : capped.problems).toHaveLength(20)
  })
})

/** Every keyword (and annotation) the schema may use: standard JSON Schema 2020-12, nothing TypeBox-only. */
const JSON_SCHEMA_KEYWORDS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'items',
  'anyOf',
  'minimum',
  'maximum',
  'minLength',
  'pattern'
])

function keywordsOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (typeof schema !== 'object' || schema === null) return out
  const s = schema as Record<string, unknown>
  for (const key of Object.keys(s)) out.add(key)
  const children = [
    ...Object.values((s.properties ?? {}) as object),
    ...Object.values((s.patternProperties ?? {}) as object),
    ...((s.anyOf ?? []) as unknown[]),
    s.items,
    s.additionalProperties
  ]
  for (const child of children) keywordsOf(child, out)
  return out
}

describe('one definition of result.json', () => {
  it('validates with the very schema object it publishes (no copy to drift apart)', () => {
    expect(VALIDATED_SCHEMA).toBe(checkResultJsonSchema)
    expect(checkResultJsonSchema).toBe(resultSchema.checkResultJsonSchema)
  })

  it('publishes plain JSON Schema: only standard keywords, and the same after a JSON round trip', () => {
    expect([...keywordsOf(checkResultJsonSchema)].filter(k => !JSON_SCHEMA_KEYWORDS.has(k))).toEqual([])
    const published = JSON.parse(JSON.stringify(checkResultJsonSchema)) as unknown
    expect([...keywordsOf(published)].sort()).toEqual([...keywordsOf(checkResultJsonSchema)].sort())
    expect(JSON.stringify(published)).toBe(JSON.stringify(checkResultJsonSchema))
  })

  it('checks each section with the same schema that is part of the whole (syscalls, findings)', () => {
    const props = checkResultJsonSchema.properties
    expect(props.syscalls.anyOf[0]).toBe(resultSchema.syscallsSchema)
    expect(props.findings.items).toBe(resultSchema.findingSchema)
    expect(schemaProblems(resultSchema.syscallsSchema, tracedSyscallGap().syscalls)).toEqual([])
    expect(schemaProblems(resultSchema.findingSchema, { ...missingLibFinding(), severity: 'fatal' })).toEqual(
      ['/severity: must be one of "error", "warning", "note", got "fatal"']
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
      await writeFile(join(dir, 'result.json'), '{"schemaVersion": 2, "verd')
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
