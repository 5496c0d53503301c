// The verdict of a check. `error`: the check could not be carried out (QEMU missing, Docker down, a
// download failed), or a probe could not judge (an exit status Unikraft does not report). `fail`: a probe failed, or diagnosis found an error that is not allowed, even when
// every probe passed (a crash or a missing library after the app answered is still broken).
// `pass`: all probes passed and no error finding remains. The allow-list turns the listed ids' error and
// warning findings into notes marked `allowed`, e.g. `process.fork-unsupported` for redis's BGSAVE.
import { describeError } from '../errors.js'
import type { Finding } from '../finding.js'
import type { ProbeResult } from './probe-types.js'

export type { Verdict } from '../report/result.js'
import type { Verdict } from '../report/result.js'

export interface VerdictInput {
  probes: readonly ProbeResult[]
  findings: readonly Finding[]
  /** Finding ids whose errors are accepted known limitations. */
  allow: readonly string[]
  /** What made the check impossible, when something did. */
  infraError?: unknown
}

export interface VerdictResult {
  verdict: Verdict
  /** The first probe that failed (later ones were not run). */
  firstFailure?: ProbeResult
  /** All findings, the allowed ones turned into notes. */
  findings: Finding[]
  /** One line for people: what decided the verdict. */
  summary: string
  /** Verdict `error` only: why the run could not be judged, without the summary's framing. */
  errorText?: string
}

export function applyAllowList(findings: readonly Finding[], allow: readonly string[]): Finding[] {
  const allowed = new Set(allow)
  return findings.map(f =>
    allowed.has(f.id) && f.severity !== 'note' ? { ...f, severity: 'note' as const, allowed: true } : { ...f }
  )
}

/**
 * What a log line reports that the app may survive: a missing system call, socket option, address
 * family or /proc file, a refused fork, an unknown kernel error line. When every probe passed, the
 * app evidently coped, so these are warnings. Crashes, out-of-memory, loader and boot failures, exit
 * statuses and probe failures stay decisive whatever the probes said.
 */
const DEGRADATIONS = new Set([
  'syscall.unsupported',
  'process.fork-unsupported',
  'process.rlimit-unsupported',
  'net.address-family-unsupported',
  'net.option-unsupported',
  'fs.procfs-missing',
  'fs.sysfs-missing',
  'loader.symbol-not-found',
  'memory.heap-limit',
  'kernel.error'
])

/** Error findings of DEGRADATIONS become warnings once every probe (at least one) has passed. */
export function weighByProbes(findings: readonly Finding[], probes: readonly ProbeResult[]): Finding[] {
  const served = probes.length > 0 && probes.every(p => p.passed)
  return findings.map(f =>
    served && f.severity === 'error' && DEGRADATIONS.has(f.id)
      ? {
          ...f,
          severity: 'warning' as const,
          hint: `${f.hint} The app kept working (every probe passed), so this is a warning.`
        }
      : f
  )
}

export function computeVerdict(input: VerdictInput): VerdictResult {
  const findings = weighByProbes(applyAllowList(input.findings, input.allow), input.probes)
  const firstFailure = input.probes.find(p => !p.passed)
  // A probe that could not judge is no failure of the app; an error finding still decides.
  const inconclusive = firstFailure?.inconclusive ? firstFailure : undefined
  const errors = findings.filter(f => f.severity === 'error')
  const withFailure = firstFailure ? { firstFailure } : {}
  if (input.infraError !== undefined && input.infraError !== null) {
    const why = describeError(input.infraError).split('\n')[0]
    return {
      verdict: 'error',
      ...withFailure,
      findings,
      summary: `the check could not be carried out: ${why}`,
      errorText: why
    }
  }
  const reasons: string[] = []
  if (inconclusive && errors.length === 0) {
    const note = inconclusive.evidence.note ? `: ${inconclusive.evidence.note}` : ''
    const summary = `${inconclusive.input} ${inconclusive.target} is inconclusive${note}`
    return { verdict: 'error', firstFailure: inconclusive, findings, summary, errorText: summary }
  }
  if (firstFailure && !inconclusive) {
    const note = firstFailure.evidence.note ? `: ${firstFailure.evidence.note}` : ''
    reasons.push(`${firstFailure.input} ${firstFailure.target} failed${note}`)
  }
  if (errors.length > 0) {
    const ids = [...new Set(errors.map(f => f.id))]
    reasons.push(`${errors.length} error finding(s): ${ids.join(', ')}`)
  }
  if (reasons.length > 0) return { verdict: 'fail', ...withFailure, findings, summary: reasons.join('; ') }
  const passed = input.probes.length
  const notes = findings.filter(f => f.allowed).length
  const allowedText = notes > 0 ? `; ${notes} allowed finding(s) kept as notes` : ''
  return { verdict: 'pass', findings, summary: `${passed} probe(s) passed, no error findings${allowedText}` }
}
