// The CLI's compact end report: verdict, probes, findings with evidence and hints, timeline, and where
// the artifacts are. ANSI colour only when asked (the CLI decides: a terminal, and no NO_COLOR).
// Text from the guest is stripped of control sequences either way: a log must not drive the terminal.
import type { Finding } from '../finding.js'
import { findingTitle } from './finding-titles.js'
import { type CheckResult, describeGuest, formatMs, type Verdict } from './result.js'
import { timelineFacts } from './timeline-phases.js'
import { stripAnsi, truncateText } from './text-escape.js'

export interface TextReportOptions {
  colour: boolean
  /** Where the artifacts were written (shown with the file names). */
  outDir?: string
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan'
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39]
}
const EVIDENCE_MAX = 300

export function renderTextReport(r: CheckResult, opts: TextReportOptions): string {
  const paint = (style: Style, text: string): string =>
    opts.colour ? `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m` : text
  const clean = (text: string, max = EVIDENCE_MAX): string =>
    truncateText(
      stripAnsi(text)
        .replace(/\s*\n\s*/g, ' ⏎ ')
        .trim(),
      max
    )
  const verdictColour: Record<Verdict, Style> = { pass: 'green', fail: 'red', error: 'yellow' }
  const out: string[] = []

  const accel = r.accel ? ` under ${r.accel.toUpperCase()}` : ''
  out.push(
    `${paint('bold', paint(verdictColour[r.verdict], r.verdict.toUpperCase()))}  ${clean(r.app.name, 80)} on ${clean(describeGuest(r), 80)}${accel}`
  )
  out.push(`  ${clean(r.summary, 400)}`)

  if (r.error) {
    out.push('', paint('bold', `Error (${r.error.kind})`), `  ${clean(r.error.message, 1000)}`)
    if (r.error.hint) out.push(`  ${paint('cyan', 'hint:')} ${clean(r.error.hint, 1000)}`)
  }

  if (r.probes.length > 0) {
    out.push('', paint('bold', 'Probes'))
    const width = Math.min(40, Math.max(...r.probes.map(p => stripAnsi(p.target).length)))
    for (const p of r.probes) {
      const mark = p.passed ? paint('green', '✔') : p.inconclusive ? paint('yellow', '?') : paint('red', '✖')
      const target = clean(p.target, 40).padEnd(width)
      const tries = `${p.attempts} attempt${p.attempts === 1 ? '' : 's'}, ${formatMs(p.durationMs)}`
      const e = p.evidence
      const seen = [
        e.sent !== undefined ? `sent ${clean(e.sent, 80)}` : '',
        e.received !== undefined ? `got ${clean(e.received, 120)}` : '',
        e.note !== undefined ? clean(e.note, 200) : ''
      ].filter(Boolean)
      out.push(
        `  ${mark} ${target}  ${p.passed ? 'passed' : p.inconclusive ? 'inconclusive' : 'failed'} (${tries})`
      )
      if (seen.length > 0) out.push(`      ${paint('dim', seen.join(' · '))}`)
    }
  }

  const shown = r.findings.filter(f => f.severity !== 'note' || f.allowed)
  const notes = r.findings.filter(f => f.severity === 'note' && !f.allowed)
  if (shown.length > 0 || notes.length > 0) out.push('', paint('bold', 'Findings'))
  for (const f of shown) {
    out.push(`  ${findingMark(f, paint)} ${clean(findingTitle(f), 200)}${lineRef(f)}`)
    out.push(`      ${paint('dim', 'evidence:')} ${clean(f.evidence)}`)
    out.push(`      ${paint('cyan', 'hint:')}     ${clean(f.hint, 600)}`)
  }
  if (notes.length > 0)
    out.push(`  ${paint('dim', `notes: ${notes.map(f => clean(findingTitle(f), 120)).join('; ')}`)}`)

  if (r.baseline) {
    const b = r.baseline
    out.push(
      '',
      `${paint('bold', 'Linux baseline')}: ${paint(verdictColour[b.verdict], b.verdict)}. ${clean(b.differential.summary, 400)}`
    )
  }

  const facts = timelineFacts(r.timeline)
  out.push('', paint('bold', 'Timeline'))
  out.push(
    `  ${[...facts.map(f => `${f.label} ${f.value}`), `whole check ${formatMs(r.durationMs)}`].join(' · ')}`
  )

  if (opts.outDir !== undefined || r.artifacts.length > 0) {
    const where = opts.outDir !== undefined ? ` in ${clean(opts.outDir, 400)}` : ''
    const files = r.artifacts.length > 0 ? `: ${r.artifacts.map(a => clean(a, 120)).join(', ')}` : ''
    out.push('', `${paint('bold', 'Artifacts')}${where}${files}`)
  }
  return `${out.join('\n')}\n`
}

function findingMark(f: Finding, paint: (s: Style, t: string) => string): string {
  if (f.allowed) return paint('dim', '☑')
  return f.severity === 'error' ? paint('red', '✖') : paint('yellow', '⚠')
}

function lineRef(f: Finding): string {
  return f.line !== null ? ` (${f.source === 'console' ? 'console log' : f.source} line ${f.line})` : ''
}
