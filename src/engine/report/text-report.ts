// The CLI's compact end report: verdict, the system-call divergence from Linux when the run was
// traced, probes, findings with evidence and hints, timeline, and where the artifacts are.
// ANSI colour only when asked (the CLI decides: a terminal, and no NO_COLOR).
// Text from the guest is stripped of control sequences either way: a log must not drive the terminal.
import type { Finding } from '../finding.js'
import { findingTitle } from './finding-titles.js'
import { type CheckResult, describeGuest, formatMs, type Verdict } from './result.js'
import {
  divergenceEvidence,
  divergenceFinding,
  divergenceSentence,
  leftOutLine,
  oneLine,
  SYSCALL_NAME_MAX,
  type SyscallRow,
  syscallRows,
  traceFacts,
  traceNotes
} from './syscall-report.js'
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
/** Rows of the system-call table; the rest are counted below it (result.json has them all). */
export const SYSCALL_TEXT_ROWS = 20

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

  // The divergence is shown with the traces, first; the findings list leaves it out.
  const divergence = divergenceFinding(r)
  if (r.syscalls) out.push('', ...syscallLines(r, divergence, paint, clean))

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

  const findings = r.findings.filter(f => f !== divergence)
  const shown = findings.filter(f => f.severity !== 'note' || f.allowed)
  const notes = findings.filter(f => f.severity === 'note' && !f.allowed)
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

type Paint = (style: Style, text: string) => string

function syscallLines(
  r: CheckResult,
  finding: Finding | null,
  paint: Paint,
  clean: (text: string, max?: number) => string
): string[] {
  const s = r.syscalls!
  const out = [paint('bold', 'System calls (Unikraft compared with Linux)')]
  const sentence = divergenceSentence(s)
    .map(p => ('code' in p ? p.code : p.text))
    .join('')
  if (s.divergence) {
    if (finding)
      out.push(`  ${findingMark(finding, paint)} ${clean(findingTitle(finding), 200)}${lineRef(finding)}`)
    else out.push(`  ${paint('red', '✖')} first divergence`)
    out.push(`      ${paint('dim', 'divergence:')} ${clean(sentence, 600)}`)
    const e = divergenceEvidence(s.divergence, finding)
    out.push(`      ${paint('dim', 'linux:')}      ${clean(e.linux, 600)}`)
    out.push(`      ${paint('dim', 'unikraft:')}   ${clean(e.unikraft, 600)}`)
    if (finding) out.push(`      ${paint('cyan', 'hint:')}       ${clean(finding.hint, 600)}`)
  } else {
    out.push(`  ${clean(sentence, 600)}`)
  }
  const rows = syscallRows(s)
  if (rows.length > 0) {
    const shown = rows.slice(0, SYSCALL_TEXT_ROWS)
    out.push('', ...syscallTable(shown, paint))
    if (rows.length > shown.length) out.push(`  ${paint('dim', leftOutLine(rows.slice(shown.length)))}`)
  }
  out.push(`  ${paint('dim', `traced: ${clean(traceFacts(s), 400)}`)}`)
  for (const n of traceNotes(s)) out.push(`  ${paint('dim', `note: ${clean(n, 600)}`)}`)
  return out
}

/** The system-call table with aligned columns: names left, counts right, status last. */
function syscallTable(rows: readonly SyscallRow[], paint: Paint): string[] {
  const count = (n: number | null): string => (n === null ? 'not traced' : n === 0 ? '—' : String(n))
  const cells = rows.map(row => [
    oneLine(row.syscall, SYSCALL_NAME_MAX),
    count(row.linux),
    count(row.unikraft),
    oneLine(row.status, 200)
  ])
  const header = ['System call', 'Linux', 'Unikraft', 'Status on Unikraft']
  const width = (i: number): number => Math.max(...[header, ...cells].map(c => [...c[i]].length))
  const pad = (text: string, w: number, right: boolean): string => {
    const fill = ' '.repeat(Math.max(0, w - [...text].length))
    return right ? fill + text : text + fill
  }
  const line = (c: string[]): string =>
    `${pad(c[0], width(0), false)}  ${pad(c[1], width(1), true)}  ${pad(c[2], width(2), true)}  ${c[3]}`
  const colour = (row: SyscallRow, text: string): string =>
    row.rank <= 1 ? paint('red', text) : row.rank === 2 ? paint('yellow', text) : text
  return [
    `  ${paint('dim', line(header))}`,
    ...cells.map((c, i) => {
      const text = line(c)
      const status = c[3]
      return `  ${text.slice(0, text.length - status.length)}${colour(rows[i], status)}`
    })
  ]
}

function findingMark(f: Finding, paint: Paint): string {
  if (f.allowed) return paint('dim', '☑')
  return f.severity === 'error' ? paint('red', '✖') : paint('yellow', '⚠')
}

function lineRef(f: Finding): string {
  if (f.line === null) return ''
  const where = f.source === 'console' ? 'console log' : f.source === 'trace' ? 'Unikraft trace' : f.source
  return ` (${where} line ${f.line})`
}
