// The result of one check (`result.json`, `--json`): the one versioned record every report,
// output and the compatibility matrix are rendered from. docs/result-schema.md documents each field.
import type { Finding } from '../finding.js'
import type { Accel, GuestKind, VmEndReason, VmResult } from '../vm/vm-types.js'

/**
 * Bumped on a breaking change only (a field removed, renamed, retyped, or its meaning changed).
 * Adding a field is not breaking: readers ignore fields they do not know.
 */
export const RESULT_SCHEMA_VERSION = 1

export { TOOL_NAME } from '../version.js'

export type Verdict = 'pass' | 'fail' | 'error'

export interface ProbeEvidence {
  /** What the probe sent (request line, RESP command, argv), as text. */
  sent?: string
  /** What came back (first bytes, status line, exit status, matched console line). */
  received?: string
  /** ms since launch when the decisive answer (or its absence) was seen. */
  atMs?: number
  /** Anything else worth showing: why it failed, "guest never accepted the connection". */
  note?: string
}

export interface ProbeResult {
  /** `redis`, `http`, `tcp`, `console`, `exit` or `command` (the probe helper owns the list). */
  kind: string
  /** The probe as written: `redis:6379`, `http:80/health`, `console:Hello`. */
  target: string
  passed: boolean
  /** Present and true when the probe could not judge (docs/probes.md): the verdict is then `error`. */
  inconclusive?: boolean
  attempts: number
  durationMs: number
  evidence: ProbeEvidence
}

export interface ResultTimeline {
  /** Duration of setup (QEMU, KraftKit, kernel), ms. */
  setupMs: number | null
  /** Duration of the root filesystem build and preflight, ms. */
  buildMs: number | null
  /** When QEMU was spawned, ms since the check started. */
  launchMs: number | null
  /** First console output, ms since launch. */
  bootMs: number | null
  /** Unikraft banner, ms since launch. */
  bannerMs: number | null
  /** All probes passed, ms since launch. */
  readyMs: number | null
  /** QEMU exited, ms since launch. */
  exitMs: number | null
}

export interface VmSummary {
  reason: VmEndReason
  qemuExit: number | null
  guestExit: number | null
  debugExit: 'halt' | 'crash' | null
}

export interface BaselineSummary {
  guest: 'linux'
  verdict: Verdict
  findings: Finding[]
  /** The two runs compared: kind `unikraft-gap`, `app-broken`, `both-pass`, `baseline-only-failure` or `inconclusive` (docs/findings.md). */
  differential: { kind: string; summary: string }
}

export type ResultErrorKind = 'configuration' | 'infrastructure' | 'inconclusive' | 'interrupted' | 'bug'

export interface CheckResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION
  verdict: Verdict
  /** One sentence a person can read in a notification. */
  summary: string
  app: { name: string; dir: string }
  /** The requested matrix coordinates (`unikraft-version` as asked, e.g. `latest`), when known. */
  matrixCell?: { app: string; version: string }
  guest: GuestKind
  accel: Accel | null
  accelReason: string | null
  /** From the banner; codename and commit are null when only the version is known. */
  unikraft: { version: string; codename: string | null; commit: string | null } | null
  qemu: { version: string } | null
  kraftkit: { version: string } | null
  probes: ProbeResult[]
  findings: Finding[]
  timeline: ResultTimeline
  /** Guest port (as a string key, JSON has no number keys) -> host port. */
  ports: Record<string, number>
  vm: VmSummary | null
  baseline: BaselineSummary | null
  rootfs: { kind: string; entries: number; bytes: number } | null
  /** File names, relative to the result's own directory. */
  artifacts: string[]
  error: { kind: ResultErrorKind; message: string; hint?: string } | null
  /** ISO 8601 wall-clock time the check started. */
  startedAt: string
  durationMs: number
  tool: { name: string; version: string }
}

export function emptyTimeline(): ResultTimeline {
  return {
    setupMs: null,
    buildMs: null,
    launchMs: null,
    bootMs: null,
    bannerMs: null,
    readyMs: null,
    exitMs: null
  }
}

/** Fills the VM part of the timeline from the runner's own (all ms since launch). */
export function timelineFromVm(
  phases: { setupMs: number | null; buildMs: number | null; launchMs: number | null },
  vm: VmResult['timeline'] | null
): ResultTimeline {
  return {
    ...phases,
    bootMs: vm?.firstOutputMs ?? null,
    bannerMs: vm?.bannerMs ?? null,
    readyMs: vm?.readyMs ?? null,
    exitMs: vm?.exitMs ?? null
  }
}

export function vmSummaryFrom(vm: VmResult): VmSummary {
  return { reason: vm.reason, qemuExit: vm.qemuExit, guestExit: vm.guestExit, debugExit: vm.debugExit }
}

/** JSON object keys are strings: `{ 6379: 40123 }` -> `{ "6379": 40123 }`, sorted by guest port. */
export function portsToJson(ports: Record<number, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const guest of Object.keys(ports)
    .map(Number)
    .sort((a, b) => a - b)) {
    out[String(guest)] = ports[guest]
  }
  return out
}

/** An error finding that no allow-list accepted: these decide a `fail`. */
export function isBlockingFinding(f: Finding): boolean {
  return f.severity === 'error' && f.allowed !== true
}

/** The finding that best names why a run failed: the first blocking one. */
export function mainFinding(findings: readonly Finding[]): Finding | null {
  return findings.find(isBlockingFinding) ?? null
}

/** `Unikraft 0.17.0 (Calypso)`, `the Linux baseline`, or `Unikraft` when the banner never came. */
export function describeGuest(r: Pick<CheckResult, 'guest' | 'unikraft' | 'matrixCell'>): string {
  if (r.guest === 'linux') return 'the Linux baseline'
  if (r.unikraft)
    return `Unikraft ${r.unikraft.version}${r.unikraft.codename ? ` (${r.unikraft.codename})` : ''}`
  const asked = r.matrixCell?.version
  return asked ? `Unikraft ${asked}` : 'Unikraft'
}

/**
 * The one-sentence `summary`: what ran where, and the reason when it did not pass. The pipeline may
 * write its own; this keeps the wording the same across the action, the CLI and the matrix.
 */
export function summarize(r: Omit<CheckResult, 'summary'>): string {
  const where = describeGuest(r)
  const accel = r.accel ? ` under ${r.accel.toUpperCase()}` : ''
  if (r.verdict === 'error' && r.error?.kind === 'inconclusive') {
    return `${r.app.name} could not be judged on ${where}${accel}: ${firstSentence(r.error.message)}`
  }
  if (r.verdict === 'error') {
    const msg = r.error ? firstSentence(r.error.message) : 'for an unknown reason'
    return `The check of ${r.app.name} could not be carried out: ${msg}`
  }
  if (r.verdict === 'pass') {
    const n = r.probes.length
    const ready = r.timeline.readyMs !== null ? `, ready ${formatMs(r.timeline.readyMs)} after launch` : ''
    const probes = n === 0 ? 'no probes' : `${n}/${n} probe${n === 1 ? '' : 's'} passed`
    return `${r.app.name} passed on ${where}${accel}: ${probes}${ready}.`
  }
  const main = mainFinding(r.findings)
  const failed = r.probes.find(p => !p.passed)
  let why: string
  if (main) why = `${main.id}${main.detail ? ` (${main.detail})` : ''}`
  else if (failed) why = `probe ${failed.target} failed`
  else why = 'no probe passed'
  const gap = r.baseline ? `; ${r.baseline.differential.summary.replace(/\.$/, '')}` : ''
  return `${r.app.name} failed on ${where}${accel}: ${why}${gap}.`
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0].trim()
  return /[.!?]$/.test(line) ? line : `${line}.`
}

/** `812 ms`, `4.2 s`, `2 min 5 s`: short and exact enough for a report. */
export function formatMs(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const total = Math.round(ms / 1000)
  return `${Math.floor(total / 60)} min ${total % 60} s`
}

export { checkResultJsonSchema } from './result-schema.js'
export { validateCheckResult, type ValidationOutcome } from './result-validate.js'
