// Step 4 of a check: the verdict, from what the run saw. Pure: the same record always gives the same
// judgement. `fail` only for what the app did; a mistake in the inputs (exit 2), a machine that could
// not run the check (exit 3) or a probe that could not judge is `error` (docs/probes.md, "Verdict").
import { ConfigurationError, errorKind, InfrastructureError, toError } from '../errors.js'
import type { Finding } from '../finding.js'
import { computeVerdict } from '../probe/index.js'
import type { CheckResult, Verdict } from '../report/result.js'
import type { GuestRun } from './guest-run.js'

export interface Judged {
  verdict: Verdict
  findings: Finding[]
  error: CheckResult['error']
}

export interface JudgeInput {
  /** The run on the guest; null when it never booted (preflight stopped it, or an earlier step failed). */
  main: Pick<GuestRun, 'verdict' | 'findings' | 'summary' | 'error'> | null
  /** What stopped the check, when something did. */
  failure: unknown
  preflightFindings: readonly Finding[]
  /** Findings of the steps before the boot (a fallback note, empty arguments). */
  stepFindings: readonly Finding[]
  /**
   * Findings of the traced reruns. They explain the verdict and never change it: the untraced run
   * decided (a divergence is an error only when that run failed).
   */
  traceFindings?: readonly Finding[]
  allow: readonly string[]
}

export function judge(r: JudgeInput): Judged {
  const j = judgeRun(r)
  return r.traceFindings?.length ? { ...j, findings: [...j.findings, ...r.traceFindings] } : j
}

function judgeRun(r: JudgeInput): Judged {
  const failure = r.failure ?? r.main?.error
  let verdict: Verdict
  let findings: Finding[]
  if (r.main) {
    verdict = r.main.verdict
    findings = [...r.stepFindings, ...r.main.findings]
  } else {
    // Without a boot the findings alone decide.
    const pre = computeVerdict({
      probes: [],
      findings: [...r.stepFindings, ...r.preflightFindings],
      allow: r.allow
    })
    verdict = pre.verdict
    findings = pre.findings
  }
  if (failure !== undefined) {
    const e = toError(failure)
    const kind = errorKind(e)
    const hint = e instanceof InfrastructureError && e.hint ? { hint: e.hint } : {}
    const configFinding: Finding[] =
      kind === 'configuration'
        ? [
            {
              id: 'config.invalid',
              severity: 'error',
              line: null,
              evidence: e.message,
              detail: (e as ConfigurationError).input ?? null,
              hint: 'Fix the input or config key named in the message.',
              source: 'setup'
            }
          ]
        : []
    return {
      verdict: 'error',
      findings: [...findings, ...configFinding],
      error: { kind, message: e.message, ...hint }
    }
  }
  // The run happened but a probe could not judge (an exit status this kernel does not report).
  if (verdict === 'error' && r.main)
    return { verdict, findings, error: { kind: 'inconclusive', message: r.main.summary } }
  return { verdict, findings, error: null }
}
