// The job summary (GitHub-flavoured markdown, at most 1 MiB per step): verdict, the system-call
// divergence from Linux when the run was traced, probes, findings with evidence and hints, versions,
// the timeline as a mermaid gantt, the baseline, and the console's tail.
// Everything that came from the app or the log is escaped or fenced: it is untrusted text.
import type { Finding } from '../finding.js'
import { findingTitle } from './finding-titles.js'
import { type CheckResult, describeGuest, formatMs, type Verdict } from './result.js'
import {
  divergenceEvidence,
  divergenceFinding,
  divergenceSentence,
  leftOutLine,
  oneLine,
  type Piece,
  SYSCALL_NAME_MAX,
  type SyscallRow,
  syscallRows,
  traceFacts,
  traceNotes
} from './syscall-report.js'
import { renderGantt, timelineFacts } from './timeline-phases.js'
import {
  codeFence,
  escapeMarkdownInline as md,
  escapeMarkdownWithCode as mdCode,
  stripAnsi,
  truncateText
} from './text-escape.js'

export const JOB_SUMMARY_LIMIT = 1024 * 1024
const EVIDENCE_MAX = 4000
const CONSOLE_LINE_MAX = 1000
/** Rows of the system-call table; the rest are counted below it (result.json has them all). */
export const SYSCALL_TABLE_ROWS = 30

export interface JobSummaryOptions {
  /** The raw console log (ANSI and CR are stripped here). */
  consoleLog?: string
  /** Findings that did not fit into annotations (planAnnotations' overflow). */
  overflow?: readonly Finding[]
  /** How many console lines to show (default 50). */
  consoleLines?: number
  /** Byte budget (default 1 MiB, GitHub's limit per step). */
  maxBytes?: number
}

const VERDICT_MARK: Record<Verdict, string> = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error' }

export function renderJobSummary(r: CheckResult, opts: JobSummaryOptions = {}): string {
  // The divergence is shown with the traces, first; the findings list leaves it out.
  const divergence = divergenceFinding(r)
  const parts = [
    headline(r),
    syscallsSection(r, divergence),
    errorSection(r),
    probesSection(r),
    findingsSection(r, divergence),
    baselineSection(r),
    overflowSection(opts.overflow ?? []),
    versionsSection(r),
    timelineSection(r),
    consoleSection(opts.consoleLog, opts.consoleLines ?? 50),
    artifactsSection(r)
  ].filter((p): p is string => p !== null)
  return limitMarkdown(`${parts.join('\n\n')}\n`, opts.maxBytes ?? JOB_SUMMARY_LIMIT)
}

function headline(r: CheckResult): string {
  return `## ${VERDICT_MARK[r.verdict]}: ${md(r.app.name)} on ${md(describeGuest(r))}\n\n${md(r.summary)}`
}

function errorSection(r: CheckResult): string | null {
  if (!r.error) return null
  const hint = r.error.hint ? `\n\n**Hint:** ${mdCode(r.error.hint)}` : ''
  return `### The check could not be carried out (${r.error.kind} error)\n\n${codeFence(clip(r.error.message), 'text')}${hint}`
}

function probesSection(r: CheckResult): string | null {
  if (r.probes.length === 0) return null
  const rows = r.probes.map(p => {
    const e = p.evidence
    const evidence = [
      e.sent !== undefined ? `sent ${e.sent}` : null,
      e.received !== undefined ? `got ${e.received}` : null,
      e.note ?? null
    ]
      .filter((x): x is string => x !== null)
      .join(' · ')
    const at = e.atMs !== undefined ? formatMs(e.atMs) : ''
    return `| <code>${md(p.target)}</code> | ${p.passed ? '✅ passed' : p.inconclusive ? '❔ inconclusive' : '❌ failed'} | ${p.attempts} | ${formatMs(p.durationMs)} | ${at} | ${md(truncateText(evidence, 200))} |`
  })
  return [
    '### Probes',
    '',
    '| Probe | Result | Attempts | Duration | Seen at | Evidence |',
    '|---|---|--:|--:|--:|---|',
    ...rows
  ].join('\n')
}

function syscallsSection(r: CheckResult, finding: Finding | null): string | null {
  const s = r.syscalls
  if (!s) return null
  const out = ['### System calls: Unikraft compared with Linux']
  if (s.divergence && finding) out.push('', findingHeading(finding))
  out.push('', `${s.divergence ? '**First divergence:** ' : ''}${pieces(divergenceSentence(s))}`)
  if (s.divergence) {
    const e = divergenceEvidence(s.divergence, finding)
    out.push('', codeFence(`Linux:    ${e.linux}\nUnikraft: ${e.unikraft}`, 'text'))
    if (finding) out.push('', `**Hint:** ${mdCode(finding.hint)}`)
  }
  const rows = syscallRows(s)
  if (rows.length > 0) {
    const shown = rows.slice(0, SYSCALL_TABLE_ROWS)
    out.push(
      '',
      '| System call | Calls on Linux | Calls on Unikraft | Status on Unikraft |',
      '|---|--:|--:|---|',
      ...shown.map(syscallRow)
    )
    if (rows.length > shown.length) out.push('', md(leftOutLine(rows.slice(shown.length))))
  }
  out.push('', `Traced: ${md(traceFacts(s))}.`)
  const notes = traceNotes(s)
  if (notes.length > 0) out.push('', '**Notes:**', '', ...notes.map(n => `- ${md(n)}`))
  return out.join('\n')
}

const ROW_MARK = ['❌ ', '❌ ', '⚠️ ', '', '', '', ''] as const

function syscallRow(row: SyscallRow): string {
  const count = (n: number | null): string => (n === null ? 'not traced' : n === 0 ? '—' : String(n))
  return `| <code>${md(oneLine(row.syscall, SYSCALL_NAME_MAX))}</code> | ${count(row.linux)} | ${count(row.unikraft)} | ${ROW_MARK[row.rank]}${md(oneLine(row.status, 200))} |`
}

/** A sentence with its code pieces as `<code>`, everything escaped. */
function pieces(p: readonly Piece[]): string {
  return p.map(x => ('code' in x ? `<code>${md(x.code)}</code>` : md(x.text))).join('')
}

function findingsSection(r: CheckResult, skip: Finding | null): string | null {
  const findings = r.findings.filter(f => f !== skip)
  if (findings.length === 0) return null
  const shown = findings.filter(f => f.severity !== 'note' || f.allowed)
  const notes = findings.filter(f => f.severity === 'note' && !f.allowed)
  const blocks = shown.map(findingBlock)
  if (notes.length > 0) {
    blocks.push(`**Notes:**\n\n${notes.map(f => `- ${md(findingTitle(f))}${lineRef(f)}`).join('\n')}`)
  }
  return `### Findings\n\n${blocks.join('\n\n')}`
}

function findingHeading(f: Finding): string {
  const mark = f.allowed
    ? '☑️ allowed'
    : f.severity === 'error'
      ? '❌ error'
      : f.severity === 'warning'
        ? '⚠️ warning'
        : 'ℹ️ note'
  return `#### ${mark}: ${md(findingTitle(f))}`
}

function findingBlock(f: Finding): string {
  return [
    findingHeading(f),
    '',
    `Source: ${md(f.source)}${lineRef(f)}`,
    '',
    codeFence(clip(f.evidence), 'text'),
    '',
    `**Hint:** ${mdCode(f.hint)}`
  ].join('\n')
}

function lineRef(f: Finding): string {
  return f.line !== null ? `, line ${f.line}` : ''
}

function baselineSection(r: CheckResult): string | null {
  if (!r.baseline) return null
  const b = r.baseline
  const errors = b.findings.filter(f => f.severity === 'error' && !f.allowed).map(f => md(f.id))
  const lines = [
    '### Linux baseline (same root filesystem and command)',
    '',
    `Verdict on Linux: **${VERDICT_MARK[b.verdict]}**. ${md(b.differential.summary)} (${md(b.differential.kind)})`
  ]
  if (errors.length > 0) lines.push('', `Findings on Linux: ${errors.join(', ')}`)
  return lines.join('\n')
}

function overflowSection(overflow: readonly Finding[]): string | null {
  if (overflow.length === 0) return null
  const items = overflow.map(f => `- ${md(findingTitle(f))}${lineRef(f)}`)
  return `### More findings than annotations\n\nGitHub shows at most 10 annotations per level; these ${overflow.length} are only here (details above):\n\n${items.join('\n')}`
}

function versionsSection(r: CheckResult): string {
  const uk = r.unikraft
    ? `${r.unikraft.version}${r.unikraft.codename ? ` ${r.unikraft.codename}` : ''}${r.unikraft.commit ? ` (${r.unikraft.commit})` : ''}`
    : r.guest === 'linux'
      ? 'not used (Linux baseline guest)'
      : 'unknown (no banner)'
  const accel = r.accel ? `${r.accel.toUpperCase()}${r.accelReason ? `: ${r.accelReason}` : ''}` : 'unknown'
  const rows: [string, string][] = [
    ['Guest', r.guest],
    ['Unikraft (from the banner)', uk],
    ['QEMU', r.qemu?.version ?? 'unknown'],
    ['KraftKit', r.kraftkit?.version ?? 'not used'],
    ['Accelerator', accel]
  ]
  if (r.rootfs)
    rows.push([
      'Root filesystem',
      `${r.rootfs.kind}, ${r.rootfs.entries} ${r.rootfs.entries === 1 ? 'entry' : 'entries'}, ${formatBytes(r.rootfs.bytes)}`
    ])
  const ports = Object.entries(r.ports).map(([g, h]) => `${g} → ${h}`)
  if (ports.length > 0) rows.push(['Ports (guest → host)', ports.join(', ')])
  rows.push(['Tool', `${r.tool.name} ${r.tool.version}`])
  return ['### Versions', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${md(v)} |`)].join('\n')
}

function timelineSection(r: CheckResult): string | null {
  const gantt = renderGantt(r.timeline)
  const facts = timelineFacts(r.timeline)
  if (!gantt && facts.length === 0) return null
  const list = facts.map(f => `${f.label} ${f.value}`).join(' · ')
  return `### Timeline\n\n${gantt ? `${codeFence(gantt, 'mermaid')}\n\n` : ''}${md(list)}; whole check ${formatMs(r.durationMs)}.`
}

function consoleSection(log: string | undefined, count: number): string | null {
  if (log === undefined) return null
  const all = stripAnsi(log).split('\n')
  while (all.length > 0 && all[all.length - 1].trim() === '') all.pop()
  const tail = all.slice(-count).map(l => truncateText(l, CONSOLE_LINE_MAX))
  const first = all.length - tail.length + 1
  const title =
    tail.length === 0 ? 'Console: empty' : `Console, lines ${first} to ${all.length} of ${all.length}`
  const body = tail.length === 0 ? '(the guest printed nothing)' : tail.join('\n')
  return `<details><summary>${title}</summary>\n\n${codeFence(body, 'text')}\n\n</details>`
}

function artifactsSection(r: CheckResult): string | null {
  if (r.artifacts.length === 0) return null
  return `Artifacts: ${r.artifacts.map(a => `<code>${md(a)}</code>`).join(', ')}`
}

function clip(text: string): string {
  return truncateText(stripAnsi(text), EVIDENCE_MAX)
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

/**
 * Cuts markdown to `maxBytes` (UTF-8) at a line boundary, closing a code fence or <details> the cut
 * left open, and says so.
 */
export function limitMarkdown(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text
  const marker =
    '\n\n*… summary truncated: it would exceed the size GitHub accepts. The artifacts hold everything.*\n'
  const budget = maxBytes - Buffer.byteLength(marker, 'utf8') - 64
  let cut = Buffer.from(text, 'utf8').subarray(0, Math.max(0, budget)).toString('utf8')
  // A partly decoded last character shows as U+FFFD; drop the partial line either way.
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))
  let fence: string | null = null
  let details = 0
  for (const line of cut.split('\n')) {
    const m = /^(`{3,})/.exec(line)
    if (m) {
      if (fence === null) fence = m[1]
      else if (line.trim() === fence) fence = null
    } else if (fence === null) {
      details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length
    }
  }
  let closing = ''
  if (fence !== null) closing += `\n${fence}`
  if (details > 0) closing += '\n\n</details>'.repeat(details)
  return `${cut}${closing}${marker}`
}
