// The result of one check (`result.json`, `--json`): the one versioned record every report,
// output and the compatibility matrix are rendered from. Its schema, and the types below derived
// from it, are defined once in result-schema.ts; docs/result-schema.md documents each field. This
// module adds the helpers that build and word a result, and re-exports the schema and validator.
import type { Finding } from '../finding.js'
import type { VmResult } from '../vm/vm-types.js'
import type { CheckResult, ResultTimeline, VmSummary } from './result-schema.js'

export {
  checkResultJsonSchema,
  RESULT_SCHEMA_VERSION,
  type BaselineSummary,
  type CheckResult,
  type ProbeEvidence,
  type ProbeResult,
  type ResultErrorKind,
  type ResultTimeline,
  type SyscallDivergence,
  type SyscallsSection,
  type SyscallSideSummary,
  type Verdict,
  type VmSummary
} from './result-schema.js'
export { validateCheckResult, type ValidationOutcome } from './result-validate.js'
export { TOOL_NAME } from '../version.js'

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
