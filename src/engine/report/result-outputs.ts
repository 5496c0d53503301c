// The step outputs that come straight from a result (the action adds file paths and artifact ids).
// Strings only, as GitHub outputs are; an unknown time or version is the empty string.
import type { CheckResult } from './result.js'

export interface ResultOutputs {
  verdict: string
  /** JSON array of the findings, as in result.json. */
  findings: string
  'unikraft-version': string
  'boot-ms': string
  'ready-ms': string
}

export function resultOutputs(r: CheckResult): ResultOutputs {
  const ms = (v: number | null): string => (v === null ? '' : String(Math.round(v)))
  return {
    verdict: r.verdict,
    findings: JSON.stringify(r.findings),
    'unikraft-version': r.unikraft?.version ?? '',
    'boot-ms': ms(r.timeline.bootMs),
    'ready-ms': ms(r.timeline.readyMs)
  }
}
