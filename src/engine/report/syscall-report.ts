// The `syscalls` section of a result, worded for the reports (the job summary and the CLI's text
// report render it each in their own way): the first divergence as a sentence, its two trace lines,
// and one row per system call the app made with its status on Unikraft, problems first.
// Pure data to text; every string here is untrusted and escaped by the renderer that shows it.
import type { Finding } from '../finding.js'
import type { CheckResult, SyscallDivergence, SyscallsSection } from './result.js'
import { stripAnsi, truncateText } from './text-escape.js'

/** Longest system call name shown (a name is a word, but the file is untrusted). */
export const SYSCALL_NAME_MAX = 40
/** Longest argument list shown in the divergence sentence. */
const ARGS_MAX = 300
/** Longest trace line shown as evidence. */
const EVIDENCE_LINE_MAX = 1000
/** Longest note shown, and how many notes at most. */
const NOTE_MAX = 500
const NOTES_MAX = 20

/**
 * How much a row matters, lowest first: the divergence, an unsupported call, an error Linux did not
 * return, a call Unikraft never reached; then what is no incompatibility.
 */
export type SyscallRowRank =
  | 0 // the divergence's call
  | 1 // ENOSYS, not a glibc probe it tolerates
  | 2 // an errno Linux did not return for this call
  | 3 // Linux made it, Unikraft had stopped before (a consequence, not a cause)
  | 4 // an errno Linux returned too (or Linux was not traced), a tolerated ENOSYS
  | 5 // Linux made it, Unikraft did not (and did not stop)
  | 6 // ok, or Unikraft not traced

export interface SyscallRow {
  syscall: string
  /** Calls on each side; null when that side was not traced. */
  linux: number | null
  unikraft: number | null
  /** `ok`, `ENOSYS ×2`, `ENOENT ×1, 3 ok`, `not reached`, `not called`, `not traced`. */
  status: string
  rank: SyscallRowRank
  /** Rank 0 to 2: a difference from Linux that can break the app. */
  problem: boolean
}

/** A sentence in pieces: code pieces are shown as code (`<code>` in markdown), text as text. */
export type Piece = { code: string } | { text: string }

/** One row per system call either side made: Unikraft's in order of the first call, then Linux's own. */
export function syscallRows(s: SyscallsSection): SyscallRow[] {
  const uk = s.sides.unikraft
  const lx = s.sides.linux
  const ukCalls = new Map((uk?.calls ?? []).map(c => [c.syscall, c]))
  const lxCalls = new Map((lx?.calls ?? []).map(c => [c.syscall, c]))
  const names = [...ukCalls.keys(), ...[...lxCalls.keys()].filter(n => !ukCalls.has(n))]
  const stopped = s.divergence?.kind === 'not-reached'
  const rows = names.map((syscall): SyscallRow => {
    const u = ukCalls.get(syscall)
    const l = lxCalls.get(syscall)
    const linux = lx ? (l?.count ?? 0) : null
    const unikraft = uk ? (u?.count ?? 0) : null
    const diverged = s.divergence?.syscall === syscall && uk !== null
    // Unikraft made this call before it stopped, but not the one where Linux went on.
    const thenStopped = diverged && stopped && u !== undefined ? ', then not reached' : ''
    const row = (status: string, rank: SyscallRowRank): SyscallRow => ({
      syscall,
      linux,
      unikraft,
      status: diverged ? `${status}${thenStopped} (first divergence)` : status,
      rank: diverged ? 0 : rank,
      problem: diverged || rank <= 2
    })
    if (!uk) return row('not traced', 6)
    if (!u) return stopped ? row('not reached', 3) : row('not called', 5)
    const unsupported = s.unsupported.find(x => x.syscall === syscall)
    const enosys = u.errnos.includes('ENOSYS')
      ? (unsupported?.count ?? (u.errnos.length === 1 ? u.failed : 1))
      : 0
    const others = u.errnos.filter(e => e !== 'ENOSYS')
    const parts: string[] = []
    if (enosys > 0) parts.push(`ENOSYS ×${enosys}${unsupported?.tolerated ? ' (tolerated)' : ''}`)
    if (others.length > 0) parts.push(`${others.join(', ')} ×${Math.max(1, u.failed - enosys)}`)
    if (parts.length === 0) return row('ok', 6)
    const ok = u.count - u.failed
    if (ok > 0) parts.push(`${ok} ok`)
    const status = parts.join(', ')
    if (enosys > 0 && !unsupported?.tolerated) return row(status, 1)
    const newErrno = lx !== null && others.some(e => !(l?.errnos ?? []).includes(e))
    return row(status, newErrno ? 2 : 4)
  })
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.rank - b.r.rank || a.i - b.i)
    .map(({ r }) => r)
}

/** The syscall.divergence finding the trace step wrote for this divergence, if any. */
export function divergenceFinding(r: Pick<CheckResult, 'findings' | 'syscalls'>): Finding | null {
  const d = r.syscalls?.divergence
  if (!d) return null
  return (
    r.findings.find(
      f => f.id === 'syscall.divergence' && (f.data?.syscall === undefined || f.data.syscall === d.syscall)
    ) ?? null
  )
}

/** `openat(AT_FDCWD, "/etc/x", O_RDONLY)`, the arguments clipped. */
export function callText(d: Pick<SyscallDivergence, 'syscall' | 'args'>): string {
  return `${oneLine(d.syscall, SYSCALL_NAME_MAX)}(${oneLine(d.args, ARGS_MAX)})`
}

/**
 * What the traces say, in one sentence: `openat(…)` returned 3 on Linux and ENOSYS (-38) on Unikraft
 * (Linux's call 2, Unikraft's call 3). Also when nothing diverged, or the two could not be compared.
 */
export function divergenceSentence(s: SyscallsSection): Piece[] {
  const d = s.divergence
  if (!d) {
    if (s.traced.unikraft && s.traced.linux)
      return [{ text: 'No divergence: as far as both traces go, Unikraft answered the calls as Linux did.' }]
    const missing =
      !s.traced.unikraft && !s.traced.linux
        ? 'neither side was traced'
        : !s.traced.unikraft
          ? 'the Unikraft side was not traced'
          : 'the Linux side was not traced'
    return [{ text: `No comparison with Linux: ${missing}.` }]
  }
  const linux = d.linux !== null ? oneLine(d.linux, 100) : null
  const index = (i: number | null): string => (i === null ? '' : String(i + 1))
  if (d.kind === 'not-reached' || d.unikraft === null) {
    const after = s.sides.unikraft ? ` (its trace ends after ${s.sides.unikraft.count} calls)` : ''
    return [
      { code: callText(d) },
      {
        text: `${linux !== null ? ` returned ${linux} on Linux` : ' was made on Linux'}${d.linuxIndex !== null ? ` (call ${index(d.linuxIndex)})` : ''}; Unikraft never reached it${after}.`
      }
    ]
  }
  const where =
    d.linuxIndex !== null && d.unikraftIndex !== null
      ? ` (call ${index(d.linuxIndex)} on Linux, call ${index(d.unikraftIndex)} on Unikraft)`
      : ''
  return [
    { code: callText(d) },
    {
      text: ` returned ${linux ?? 'nothing'} on Linux and ${oneLine(d.unikraft, 100)} on Unikraft${where}.`
    }
  ]
}

/**
 * The two trace lines of the divergence, from its finding's evidence (`Linux (strace.log line 9: …);
 * Unikraft (console.log line 20: …)`), else built from the divergence itself.
 */
export function divergenceEvidence(
  d: SyscallDivergence,
  finding: Finding | null
): { linux: string; unikraft: string } {
  const m = finding ? /^Linux \(([\s\S]*?)\); Unikraft \(([\s\S]*)\)$/.exec(finding.evidence.trim()) : null
  if (m) return { linux: oneLine(m[1], EVIDENCE_LINE_MAX), unikraft: oneLine(m[2], EVIDENCE_LINE_MAX) }
  const call = callText(d)
  const at = (i: number | null): string => (i === null ? '' : ` (call ${i + 1})`)
  return {
    linux: d.linux !== null ? `${call} = ${oneLine(d.linux, 100)}${at(d.linuxIndex)}` : 'never reached',
    unikraft:
      d.unikraft !== null ? `${call} = ${oneLine(d.unikraft, 100)}${at(d.unikraftIndex)}` : 'never reached'
  }
}

/** `Linux 4 calls (cut short: counts are a lower bound; 1 unreadable line) · Unikraft 5 calls`. */
export function traceFacts(s: SyscallsSection): string {
  const side = (name: string, v: SyscallsSection['sides']['linux']): string => {
    if (!v) return `${name} not traced`
    const extra = [
      v.truncated ? 'cut short: counts are a lower bound' : null,
      v.unreadable > 0 ? `${v.unreadable} unreadable line${v.unreadable === 1 ? '' : 's'}` : null
    ].filter((x): x is string => x !== null)
    return `${name} ${v.count} call${v.count === 1 ? '' : 's'}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`
  }
  return `${side('Linux', s.sides.linux)} · ${side('Unikraft', s.sides.unikraft)}`
}

/** The notes, each on one line and clipped, at most NOTES_MAX (the last says how many more). */
export function traceNotes(s: SyscallsSection): string[] {
  const notes = s.notes.slice(0, NOTES_MAX).map(n => oneLine(n, NOTE_MAX))
  if (s.notes.length > NOTES_MAX) notes.push(`… and ${s.notes.length - NOTES_MAX} more notes in result.json`)
  return notes
}

/** `… 12 more system calls (2 with a problem)`, for rows a table left out. */
export function leftOutLine(left: readonly SyscallRow[]): string {
  const problems = left.filter(r => r.problem).length
  return `… ${left.length} more system call${left.length === 1 ? '' : 's'} not shown (${problems === 0 ? 'none' : problems} with a problem); result.json lists every one.`
}

/** One line of untrusted text: control sequences gone, newlines as ⏎, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  return truncateText(
    stripAnsi(text)
      .replace(/\s*\n\s*/g, ' ⏎ ')
      .trim(),
    max
  )
}
