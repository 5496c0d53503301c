// result.json's one definition. Each schema below is built with TypeBox, whose schemas ARE JSON
// Schema (draft 2020-12) objects: `checkResultJsonSchema` is the published schema, the CheckResult
// type is derived from it (`Static`), and result-validate.ts checks files against this very object.
// docs/result-schema.md documents each field. This module imports no other module of the report, so
// result.ts and result-validate.ts can both build on it without an import cycle.
//
// TypeBox's builders are imported one by one (not its `Type` namespace) so the bundle keeps only these.
import {
  Array as ListOf,
  Boolean as Bool,
  Integer,
  Literal,
  Null,
  Number as Num,
  Object as Obj,
  Optional,
  Record as RecordOf,
  String as Str,
  Union,
  type Static,
  type TInteger,
  type TLiteral,
  type TNull,
  type TNumber,
  type TSchema,
  type TString,
  type TUnion
} from '@sinclair/typebox'
import type { Finding, FindingSource, Severity } from '../finding.js'
import type { Accel, GuestKind, VmEndReason } from '../vm/vm-types.js'

/**
 * Bumped on a breaking change only (a field removed, renamed, retyped, or its meaning changed), and
 * when a new field is required. Adding an optional field is not breaking: readers ignore fields
 * they do not know. 2: `syscalls`.
 */
export const RESULT_SCHEMA_VERSION = 2

// ---------------------------------------------------------------------------------------------
// Building blocks

function nullable<T extends TSchema>(schema: T): TUnion<[T, TNull]> {
  return Union([schema, Null()])
}

/** One of a few strings (`anyOf` of `const`s: JSON Schema's enum, and a union of literals in TypeScript). */
function oneOf<const V extends readonly string[]>(values: V): TUnion<TLiteral<V[number]>[]> {
  return Union(values.map(v => Literal(v))) as TUnion<TLiteral<V[number]>[]>
}

const text = (): TString => Str()
const name = (): TString => Str({ minLength: 1 })
const ms = (): TNumber => Num({ minimum: 0 })
const nullableMs = (): TUnion<[TNumber, TNull]> => nullable(ms())
const count = (minimum = 0): TInteger => Integer({ minimum })

const VERDICTS = ['pass', 'fail', 'error'] as const
const verdict = oneOf(VERDICTS)
const version = Obj({ version: name() })

// ---------------------------------------------------------------------------------------------
// A finding (the domain type is Finding in finding.ts; the check at the end keeps them equal)

const SEVERITIES = ['error', 'warning', 'note'] as const
const FINDING_SOURCES = ['console', 'qemu', 'preflight', 'probe', 'baseline', 'setup', 'trace'] as const

export const findingSchema = Obj({
  /** Stable id, e.g. `loader.missing-library`. */
  id: Str({ pattern: '^[a-z][a-z0-9_.-]*$' }),
  severity: oneOf(SEVERITIES),
  line: nullable(Integer({ minimum: 1 })),
  evidence: text(),
  detail: nullable(text()),
  hint: text(),
  source: oneOf(FINDING_SOURCES),
  data: Optional(RecordOf(Str(), Union([Str(), Num(), Bool(), Null(), ListOf(Str())]))),
  allowed: Optional(Bool())
})

// ---------------------------------------------------------------------------------------------
// Probes, timeline, VM, baseline

export const probeEvidenceSchema = Obj({
  /** What the probe sent (request line, RESP command, argv), as text. */
  sent: Optional(text()),
  /** What came back (first bytes, status line, exit status, matched console line). */
  received: Optional(text()),
  /** ms since launch when the decisive answer (or its absence) was seen. */
  atMs: Optional(ms()),
  /** Anything else worth showing: why it failed, "guest never accepted the connection". */
  note: Optional(text())
})

export const probeResultSchema = Obj({
  /** `redis`, `http`, `tcp`, `console`, `exit` or `command` (the probe helper owns the list). */
  kind: name(),
  /** The probe as written: `redis:6379`, `http:80/health`, `console:Hello`. */
  target: text(),
  passed: Bool(),
  /** Present and true when the probe could not judge (docs/probes.md): the verdict is then `error`. */
  inconclusive: Optional(Bool()),
  attempts: count(),
  durationMs: ms(),
  evidence: probeEvidenceSchema
})

export const timelineSchema = Obj({
  /** Duration of setup (QEMU, KraftKit, kernel), ms. */
  setupMs: nullableMs(),
  /** Duration of the root filesystem build and preflight, ms. */
  buildMs: nullableMs(),
  /** When QEMU was spawned, ms since the check started. */
  launchMs: nullableMs(),
  /** First console output, ms since launch. */
  bootMs: nullableMs(),
  /** Unikraft banner, ms since launch. */
  bannerMs: nullableMs(),
  /** All probes passed, ms since launch. */
  readyMs: nullableMs(),
  /** QEMU exited, ms since launch. */
  exitMs: nullableMs()
})

const VM_END_REASONS = [
  'exited',
  'crashed',
  'panicked',
  'stopped',
  'killed',
  'deadline',
  'boot-timeout',
  'qemu-error'
] as const

export const vmSummarySchema = Obj({
  reason: oneOf(VM_END_REASONS),
  qemuExit: nullable(Integer()),
  guestExit: nullable(Integer()),
  debugExit: Union([Literal('halt'), Literal('crash'), Null()])
})

export const baselineSummarySchema = Obj({
  guest: Literal('linux'),
  verdict,
  findings: ListOf(findingSchema),
  /** kind `unikraft-gap`, `app-broken`, `both-pass`, `baseline-only-failure` or `inconclusive` (docs/findings.md). */
  differential: Obj({ kind: name(), summary: text() })
})

const RESULT_ERROR_KINDS = ['configuration', 'infrastructure', 'inconclusive', 'interrupted', 'bug'] as const

// ---------------------------------------------------------------------------------------------
// System-call traces (issue 14): what each side called, and where Unikraft parted from Linux

export const syscallSideSummarySchema = Obj({
  /** Calls read from the trace (after truncation). */
  count: count(),
  /** True when the trace was cut (a call cap or a size cap): the counts are then a lower bound. */
  truncated: Bool(),
  /** Lines that looked like a call but could not be read. */
  unreadable: count(),
  /** One entry per system call name, in order of its first call. */
  calls: ListOf(
    Obj({
      syscall: name(),
      count: count(1),
      /** How many of those calls returned an error. */
      failed: count(),
      /** The distinct errno names it returned, in order of first appearance. */
      errnos: ListOf(name())
    })
  )
})

const DIVERGENCE_KINDS = ['different-result', 'not-reached', 'unsupported'] as const

export const syscallDivergenceSchema = Obj({
  /** `different-result`: both made the call, the outcomes differ; `unsupported`: the same, and Unikraft answered ENOSYS; `not-reached`: Linux made it, Unikraft had stopped before. */
  kind: oneOf(DIVERGENCE_KINDS),
  syscall: name(),
  /** The arguments as a tracer printed them (Unikraft's when it made the call). */
  args: text(),
  /** The call's result on each side (`3`, `0x0`, `ENOENT (-2)`); null when that side has no such call. */
  linux: nullable(text()),
  unikraft: nullable(text()),
  /** 0-based index of the call in each side's trace; null when that side has no such call. */
  linuxIndex: nullable(count()),
  unikraftIndex: nullable(count())
})

export const syscallsSchema = Obj({
  /** Which sides ran traced. */
  traced: Obj({ unikraft: Bool(), linux: Bool() }),
  /** What a reader should know about the traces: a side that ran untraced and why, a cut trace. */
  notes: ListOf(text()),
  /** Per side, null when that side was not traced. */
  sides: Obj({ unikraft: nullable(syscallSideSummarySchema), linux: nullable(syscallSideSummarySchema) }),
  /** The first call where Unikraft parted from Linux in a way that matters; null when none or not both traced. */
  divergence: nullable(syscallDivergenceSchema),
  /** Every call Unikraft answered ENOSYS, with how often; `tolerated`: glibc probes it and copes. */
  unsupported: ListOf(Obj({ syscall: name(), count: count(1), tolerated: Bool() }))
})

// ---------------------------------------------------------------------------------------------
// The result

/** An ISO 8601 date and time with seconds and a zone: what `Date.prototype.toISOString` writes. */
const ISO_8601 =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

export const checkResultJsonSchema = Obj(
  {
    schemaVersion: Literal(RESULT_SCHEMA_VERSION),
    verdict,
    /** One sentence a person can read in a notification. */
    summary: text(),
    app: Obj({ name: name(), dir: text() }),
    /** The requested matrix coordinates (`unikraft-version` as asked, e.g. `latest`), when known. */
    matrixCell: Optional(Obj({ app: name(), version: name() })),
    guest: oneOf(['unikraft', 'linux'] as const),
    accel: Union([Literal('kvm'), Literal('tcg'), Null()]),
    accelReason: nullable(text()),
    /** From the banner; codename and commit are null when only the version is known. */
    unikraft: nullable(Obj({ version: name(), codename: nullable(text()), commit: nullable(text()) })),
    qemu: nullable(version),
    kraftkit: nullable(version),
    probes: ListOf(probeResultSchema),
    findings: ListOf(findingSchema),
    timeline: timelineSchema,
    /** Guest port (as a string key, JSON has no number keys) -> host port. */
    ports: RecordOf(Str({ pattern: '^[1-9][0-9]{0,4}$' }), Integer({ minimum: 1, maximum: 65535 }), {
      additionalProperties: false
    }),
    vm: nullable(vmSummarySchema),
    baseline: nullable(baselineSummarySchema),
    rootfs: nullable(Obj({ kind: text(), entries: count(), bytes: count() })),
    /** File names, relative to the result's own directory. */
    artifacts: ListOf(text()),
    error: nullable(Obj({ kind: oneOf(RESULT_ERROR_KINDS), message: text(), hint: Optional(text()) })),
    /** System-call traces; null when no trace was asked for. */
    syscalls: nullable(syscallsSchema),
    /** ISO 8601 wall-clock time the check started. */
    startedAt: Str({ pattern: ISO_8601 }),
    durationMs: ms(),
    tool: Obj({ name: Literal('unikraft-compat'), version: text() })
  },
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/unikraft-compat/unikraft-compat/blob/main/docs/result-schema.md',
    title: 'unikraft-compat result',
    description: 'The result of one unikraft-compat check (result.json). Readers ignore unknown fields.'
  }
)

// ---------------------------------------------------------------------------------------------
// The types, derived from the schemas above

// Interfaces (not aliases) so that editors and compiler messages say `CheckResult`, not its expansion.
/* eslint-disable @typescript-eslint/no-empty-object-type */
export interface CheckResult extends Static<typeof checkResultJsonSchema> {}
export interface ProbeEvidence extends Static<typeof probeEvidenceSchema> {}
export interface ProbeResult extends Static<typeof probeResultSchema> {}
export interface ResultTimeline extends Static<typeof timelineSchema> {}
export interface VmSummary extends Static<typeof vmSummarySchema> {}
export interface BaselineSummary extends Static<typeof baselineSummarySchema> {}
export interface SyscallsSection extends Static<typeof syscallsSchema> {}
export interface SyscallSideSummary extends Static<typeof syscallSideSummarySchema> {}
export interface SyscallDivergence extends Static<typeof syscallDivergenceSchema> {}
/* eslint-enable @typescript-eslint/no-empty-object-type */
export type Verdict = Static<typeof verdict>
export type ResultErrorKind = (typeof RESULT_ERROR_KINDS)[number]

// The domain types the schema mirrors (finding.ts, vm-types.ts): a drift on either side fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Assert<T extends true> = T
type _SchemaMirrorsDomainTypes = [
  Assert<Same<Static<typeof findingSchema>, Finding>>,
  Assert<Same<(typeof SEVERITIES)[number], Severity>>,
  Assert<Same<(typeof FINDING_SOURCES)[number], FindingSource>>,
  Assert<Same<VmSummary['reason'], VmEndReason>>,
  Assert<Same<CheckResult['guest'], GuestKind>>,
  Assert<Same<CheckResult['accel'], Accel | null>>
]
