// The differential verdict: the same root filesystem and command on Unikraft and on the Linux
// baseline. Failing only on Unikraft is a Unikraft compatibility gap; failing on both means the app
// or its root filesystem is broken, whatever Unikraft does.
import type { Finding } from '../finding.js'

export interface SideOutcome {
  findings: Finding[]
  /** The side's verdict; when absent, it passed if no error finding remains (allowed ones are notes). */
  passed?: boolean
  /** The side could not be carried out (verdict `error`: no network, an infrastructure failure). */
  error?: string | null
}

export type DifferentialKind =
  'unikraft-gap' | 'app-broken' | 'both-pass' | 'baseline-only-failure' | 'inconclusive'

export interface DifferentialVerdict {
  kind: DifferentialKind
  /** One sentence for people. */
  summary: string
  unikraft: { passed: boolean; findings: Finding[] }
  linux: { passed: boolean; findings: Finding[] }
  /** `id (detail)` of the error findings both sides share (the same missing library, say). */
  common: string[]
}

const blocking = (findings: Finding[]): Finding[] =>
  findings.filter(f => f.severity === 'error' && !f.allowed)

function label(f: Finding): string {
  return f.detail ? `${f.id} (${f.detail})` : f.id
}

/** `crash.trap (invalid opcode), loader.missing-library (libssl.so.3)`, at most three. */
function headline(findings: Finding[]): string {
  const errors = blocking(findings)
  if (errors.length === 0) return 'no error finding'
  const shown = errors.slice(0, 3).map(label)
  return errors.length > 3 ? `${shown.join(', ')} and ${errors.length - 3} more` : shown.join(', ')
}

export function differential(unikraft: SideOutcome, linux: SideOutcome): DifferentialVerdict {
  const ukPassed = unikraft.passed ?? blocking(unikraft.findings).length === 0
  const linuxPassed = linux.passed ?? blocking(linux.findings).length === 0
  const linuxLabels = new Set(blocking(linux.findings).map(label))
  const common = [...new Set(blocking(unikraft.findings).map(label))].filter(l => linuxLabels.has(l))
  let kind: DifferentialKind
  let summary: string
  if (unikraft.error || linux.error) {
    // A side that could not run says nothing about the app: no gap, no broken app.
    kind = 'inconclusive'
    const sides = [
      unikraft.error ? `the Unikraft run could not be carried out (${unikraft.error})` : null,
      linux.error ? `the Linux baseline run could not be carried out (${linux.error})` : null
    ].filter(Boolean)
    summary = `No comparison: ${sides.join(' and ')}.`
  } else if (!ukPassed && linuxPassed) {
    kind = 'unikraft-gap'
    summary =
      'Unikraft compatibility gap: the same root filesystem and command pass on the Linux baseline ' +
      `and fail on Unikraft (${headline(unikraft.findings)}).`
  } else if (!ukPassed && !linuxPassed) {
    kind = 'app-broken'
    summary =
      'The app or its root filesystem is broken: it fails on the Linux baseline too ' +
      `(Linux: ${headline(linux.findings)}; Unikraft: ${headline(unikraft.findings)}).`
  } else if (ukPassed && linuxPassed) {
    kind = 'both-pass'
    summary = 'Both pass: the app behaves the same on Unikraft and on the Linux baseline.'
  } else {
    kind = 'baseline-only-failure'
    summary =
      `Unikraft passes but the Linux baseline fails (${headline(linux.findings)}): check the ` +
      'baseline setup (kernel, memory, command, environment).'
  }
  return {
    kind,
    summary,
    unikraft: { passed: ukPassed, findings: unikraft.findings },
    linux: { passed: linuxPassed, findings: linux.findings },
    common
  }
}
