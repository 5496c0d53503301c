// Findings from two aligned traces: the system call where Unikraft differs from Linux that matters, every
// call Unikraft answered ENOSYS, and a /proc or /sys path Unikraft does not have. Each names what to
// change where that is known (an app setting, a Unikraft library or Kconfig option).
import { hintFor } from '../diagnose/catalog.js'
import type { Finding, Severity } from '../finding.js'
import type { Verdict } from '../report/result.js'
import { pathArgument, type Alignment, type Divergence } from './align.js'
import type { TracedCall } from './syscall-trace.js'
import { divergenceOf } from './trace-summary.js'

export interface TraceFindingInput {
  alignment: Alignment
  /**
   * The untraced Unikraft run's verdict. `fail`: the divergence is the likely cause (error). `pass`:
   * the app coped, the divergence is information (note). `error` (a probe could not judge): warning.
   */
  appVerdict: Verdict
  /** Where each side's trace lines are, for evidence: `console.log` of the trace run, `strace.log`. */
  files: { unikraft: string; linux: string }
  /** Ids already reported from the console: the trace's `syscall.unsupported` is not repeated then. */
  reported?: ReadonlySet<string>
}

/** What to change for a divergence in a known call; null when nothing specific is known. */
function knownFix(d: Divergence): string | null {
  const args = d.args
  switch (d.syscall) {
    case 'sendfile':
    case 'sendfile64':
      return 'This Unikraft build has no sendfile: turn it off in the app (nginx: `sendfile off;`), or use a Unikraft release whose vfscore/posix-socket provides it.'
    case 'setsockopt':
      return hintFor('net.option-unsupported', /\bTCP_CORK\b/.test(args) ? 'TCP_CORK' : null)
    case 'eventfd2':
    case 'eventfd':
      return "Enable Unikraft's eventfd (`CONFIG_LIBPOSIX_EVENT`), or configure the app not to use it."
    case 'epoll_create1':
    case 'epoll_ctl':
    case 'epoll_pwait':
    case 'epoll_wait':
      return "Enable Unikraft's epoll (`CONFIG_LIBPOSIX_EVENT`) in the kernel, or switch the app to poll/select."
    case 'socketpair':
    case 'socket':
      return /^(AF_UNIX|AF_LOCAL)\b/.test(args) ? hintFor('net.address-family-unsupported', 'AF_UNIX') : null
    case 'clone':
    case 'fork':
    case 'vfork':
      return hintFor('process.fork-unsupported', null)
    default:
      return null
  }
}

function evidenceOf(d: Divergence, files: TraceFindingInput['files']): string {
  const at = (c: TracedCall | null, file: string) =>
    c ? `${file} line ${c.line}: ${c.text}` : 'never reached'
  return `Linux (${at(d.evidence.linux, files.linux)}); Unikraft (${at(d.evidence.unikraft, files.unikraft)})`
}

/** result.json's divergence (trace-summary.ts) without its kind: the finding's `data`. */
function divergenceData(a: Alignment): Finding['data'] {
  const { kind: _kind, ...data } = divergenceOf(a)!
  return data
}

export function traceFindings(t: TraceFindingInput): Finding[] {
  const out: Finding[] = []
  const d = t.alignment.divergence
  if (d) {
    const severity: Severity =
      t.appVerdict === 'fail' ? 'error' : t.appVerdict === 'pass' ? 'note' : 'warning'
    const uk = d.unikraft ?? 'never reached (the app had stopped)'
    const fix = knownFix(d)
    out.push({
      id: 'syscall.divergence',
      severity,
      line: d.evidence.unikraft?.line ?? null,
      evidence: evidenceOf(d, t.files),
      detail: d.syscall,
      hint:
        `Where Unikraft differs from Linux: ${d.syscall} returned ${d.linux} on Linux and ${uk} on Unikraft. ` +
        (fix ??
          "Compare the two traces from here (strace.log and the trace run's console.log) to see what the app did next."),
      source: 'trace',
      data: divergenceData(t.alignment)
    })
    const path = pathArgument(d.args)
    const missing = d.unikraft !== null && /^ENOENT\b/.test(d.unikraft) && !/^ENOENT\b/.test(d.linux)
    if (path && missing && (path.startsWith('/proc/') || path === '/proc' || path.startsWith('/sys/'))) {
      const proc = path.startsWith('/proc')
      out.push({
        id: proc ? 'fs.procfs-missing' : 'fs.sysfs-missing',
        severity,
        line: d.evidence.unikraft?.line ?? null,
        evidence: evidenceOf(d, t.files),
        detail: path,
        hint: proc
          ? `Unikraft has no ${path}: configure the app not to need it, or ship a static copy of the file in the root filesystem.`
          : `Unikraft has no sysfs (${path}): configure the app not to need it, or ship a static copy of the file in the root filesystem.`,
        source: 'trace',
        data: { path, syscall: d.syscall }
      })
    }
  }
  const unsupported = t.alignment.unsupported.filter(u => !u.tolerated)
  if (unsupported.length > 0 && !t.reported?.has('syscall.unsupported')) {
    const list = unsupported.map(u => `${u.syscall} (${u.count}×)`).join(', ')
    out.push({
      id: 'syscall.unsupported',
      // What the app survived is a note-worthy warning; what it failed on, the divergence names.
      severity:
        t.appVerdict === 'fail' && unsupported.some(u => u.syscall === d?.syscall) ? 'error' : 'warning',
      line: null,
      evidence: `ENOSYS in the Unikraft trace: ${list}`,
      detail: unsupported.map(u => u.syscall).join(', '),
      hint: 'Unikraft does not implement these system calls: turn off the app features that need them (many apps fall back), use a Unikraft build whose libraries provide them, or allow-list `syscall.unsupported` if the app copes.',
      source: 'trace',
      data: { syscalls: unsupported.map(u => u.syscall), counts: unsupported.map(u => String(u.count)) }
    })
  }
  return out
}
