// Findings from everything else the run knows: QEMU's stderr and exit status, the QMP events, how
// the VM ended, preflight's findings and the probes. Then one list: duplicates merged (the console's
// evidence wins), errors first, in log order.
import { FINDINGS, hintFor, type FindingId } from './catalog.js'
import type { ConsoleSummary } from './console-rules.js'
import type { Finding, Severity } from '../finding.js'
import { classifyQemuMessage } from './qemu-messages.js'

export interface ProbeOutcome {
  passed: boolean
  /** `tcp`, `http`, `redis`, `console`, `exit`, ... */
  kind: string
  /** What was probed, e.g. `6379` or `80/`. */
  target: string
  evidence?: string
  /** It could not judge (an exit status the kernel does not report): no failure of the app. */
  inconclusive?: boolean
}

/** Everything about the run except the console bytes. */
export interface RunContext {
  qemuStderr?: string
  /** QEMU's exit status; null when it was killed by a signal. */
  qemuExit?: number | null
  qmpEvents?: { event: string }[]
  preflight?: Finding[]
  probes?: ProbeOutcome[]
  guest?: 'unikraft' | 'linux'
  /** How the VM ended (vm-types VmEndReason: exited, crashed, stopped, boot-timeout, ...). */
  vmEnd?: string
}

/** isa-debug-exit: Unikraft writes 42 on a crash, QEMU exits (42 << 1) | 1. */
const DEBUG_EXIT_CRASH = 85
const DEBUG_EXIT_HALT = 83

function finding(
  id: FindingId,
  evidence: string,
  detail: string | null,
  source: Finding['source'],
  extra: { severity?: Severity; line?: number | null; data?: Finding['data'] } = {}
): Finding {
  const f: Finding = {
    id,
    severity: extra.severity ?? FINDINGS[id].severity,
    line: extra.line ?? null,
    evidence,
    detail,
    hint: hintFor(id, detail),
    source
  }
  if (extra.data) f.data = extra.data
  return f
}

export function runFindings(summary: ConsoleSummary, ctx: RunContext): Finding[] {
  const out: Finding[] = []
  const has = (prefix: string): boolean => [...summary.findings, ...out].some(f => f.id.startsWith(prefix))
  let kernelProblem = summary.kernelProblem
  const qemuFailed =
    typeof ctx.qemuExit === 'number' && ![0, DEBUG_EXIT_HALT, DEBUG_EXIT_CRASH].includes(ctx.qemuExit)
  let qemuError: { text: string; detail: string; n: number } | null = null

  const stderr = (ctx.qemuStderr ?? '').split('\n')
  for (let i = 0; i < stderr.length; i++) {
    const text = stderr[i].replace(/\r$/, '').trim()
    const q = text ? classifyQemuMessage(text) : null
    if (!q || q.kind === 'ignore') continue
    const data = { stream: 'qemu-stderr', stderrLine: i + 1 }
    if (q.kind === 'kernel-invalid') kernelProblem ??= q.detail
    else if (q.kind === 'vmm.qemu-error') qemuError ??= { text, detail: q.detail, n: i + 1 }
    else if (!has(q.kind)) out.push(finding(q.kind, text, q.detail, 'qemu', { data }))
  }

  if (ctx.vmEnd === 'stopped' && !has('vmm.kvm-unusable')) {
    out.push(
      finding(
        'vmm.kvm-unusable',
        'QMP STOP: QEMU paused the guest',
        'the guest was paused (QMP STOP)',
        'qemu'
      )
    )
  }
  const failedToStart = qemuFailed || ctx.vmEnd === 'qemu-error'
  if (failedToStart && !has('vmm.') && !kernelProblem) {
    const e = qemuError
    const detail = e?.detail ?? `QEMU exited with status ${ctx.qemuExit ?? '?'}`
    out.push(
      finding('vmm.qemu-error', e?.text ?? detail, detail, 'qemu', {
        data: e ? { stream: 'qemu-stderr', stderrLine: e.n } : undefined
      })
    )
  }

  if (!has('crash.')) {
    const panicked = (ctx.qmpEvents ?? []).some(e => e.event === 'GUEST_PANICKED')
    if (panicked) out.push(finding('crash.other', 'QMP GUEST_PANICKED', 'the guest reported a panic', 'qemu'))
    else if (ctx.qemuExit === DEBUG_EXIT_CRASH)
      out.push(
        finding(
          'crash.other',
          `QEMU exited with status ${DEBUG_EXIT_CRASH} (isa-debug-exit: the guest crashed)`,
          'crash signalled by the guest, no crash report in the console',
          'qemu'
        )
      )
  }

  if (!summary.outputSeen && !has('vmm.')) {
    const why = ctx.vmEnd === 'boot-timeout' ? ' within the boot timeout' : ''
    const evidence =
      kernelProblem ??
      `no console output from the ${ctx.guest === 'linux' ? 'Linux' : 'Unikraft'} kernel${why}`
    out.push(finding('boot.no-output', evidence, kernelProblem, kernelProblem ? 'qemu' : 'console'))
  }

  for (const p of ctx.probes ?? []) {
    if (p.passed || p.inconclusive) continue
    // The probe as the user writes it (`http:80/`), whether the target came with its kind or not.
    const detail = p.target.startsWith(`${p.kind}:`) ? p.target : `${p.kind}:${p.target}`
    out.push(finding('probe.failed', p.evidence ?? `${detail} did not pass`, detail, 'probe'))
  }
  return out
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 }

/** One list: console first (its evidence wins over preflight's for the same id and detail), sorted. */
export function mergeFindings(...lists: Finding[][]): Finding[] {
  const seen = new Set<string>()
  const merged: Finding[] = []
  for (const list of lists) {
    for (const f of list) {
      const key = `${f.id}\u0000${f.detail ?? ''}`
      if (seen.has(key)) continue
      seen.add(key)
      merged.push(f)
    }
  }
  return merged
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] ||
        (a.f.line ?? Infinity) - (b.f.line ?? Infinity) ||
        a.i - b.i
    )
    .map(x => x.f)
}
