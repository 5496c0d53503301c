// What `unikraft-compat diagnose LOG [--json]` prints, and its exit status.
import type { Finding } from '../finding.js'

/** `{ "findings": [ { "id", "severity", "line", "evidence", "detail", "hint" } ] }`, indented. */
export function formatFindingsJson(findings: readonly Finding[]): string {
  const shown = findings.map(f => ({
    id: f.id,
    severity: f.severity,
    line: f.line,
    evidence: f.evidence,
    detail: f.detail,
    hint: f.hint
  }))
  return JSON.stringify({ findings: shown }, null, 2)
}

/**
 * One block per finding for a terminal:
 *   error   loader.missing-library (libssl.so.3) at line 15
 *           hello: error while loading shared libraries: libssl.so.3: cannot open shared object file...
 *           hint: Copy libssl.so.3 and its own dependencies ...
 */
export function formatFindingsText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings\n'
  const blocks = findings.map(f => {
    const where = f.line === null ? '' : ` at line ${f.line}`
    const head = `${f.severity.padEnd(7)} ${f.id}${f.detail ? ` (${f.detail})` : ''}${where}`
    const lines = [head]
    if (f.evidence) lines.push(`        ${f.evidence.trim()}`)
    lines.push(`        hint: ${f.hint}`)
    return lines.join('\n')
  })
  return `${blocks.join('\n')}\n`
}

/** 0 when no error finding remains (allowed ones are notes), else 1. */
export function exitCodeFor(findings: readonly Finding[]): 0 | 1 {
  return findings.some(f => f.severity === 'error' && !f.allowed) ? 1 : 0
}
