// System calls the kernel lacks (strace and debug builds' lines, the app's own ENOSYS messages),
// fork, and resource limits. glibc's start-up probes are gathered apart: they are harmless.
import { lowerOf, seenOf, type FindingSink, type Seen, type Segment } from './rule-support.js'
import {
  TOLERATED_SYSCALLS,
  debugUnavailableSyscall,
  isEnosysResult,
  isForkRefusal,
  mentionsEnosys,
  mentionsForkRefused,
  syscallNamesIn,
  type StraceCall
} from './syscall-evidence.js'

export class ProcessRules {
  private readonly syscalls = new Map<string, Seen>()
  private readonly tolerated = new Map<string, Seen>()
  private appEnosys: Seen | null = null

  constructor(private readonly sink: FindingSink) {}

  straceCall(seg: Segment, call: StraceCall): void {
    if (isForkRefusal(call)) this.sink.add('process.fork-unsupported', seenOf(seg), null, { once: true })
    else if (isEnosysResult(call.result)) this.noteSyscall(call.name, seg)
  }

  private noteSyscall(name: string, seg: Segment): void {
    const into = TOLERATED_SYSCALLS.has(name) ? this.tolerated : this.syscalls
    if (!into.has(name)) into.set(name, seenOf(seg))
  }

  rule(seg: Segment): boolean {
    const { msg, text } = seg
    const lower = lowerOf(seg)
    if (
      msg.includes('without CLONE_VM') ||
      (seg.level !== 'Info' && lower.includes('fork') && mentionsForkRefused(text))
    ) {
      this.sink.add('process.fork-unsupported', seenOf(seg), null, { once: true })
      return true
    }
    const debug = lower.includes('is not available') ? debugUnavailableSyscall(msg) : null
    if (debug) {
      this.noteSyscall(debug, seg)
      return true
    }
    if (
      (lower.includes('not implemented') || lower.includes('enosys') || lower.includes('errno')) &&
      mentionsEnosys(text)
    ) {
      const names = syscallNamesIn(text)
      for (const name of names) this.noteSyscall(name, seg)
      // The app itself reported the failure (not only the kernel's trace): that makes it an error.
      const reported = names.length === 0 || names.some(n => !TOLERATED_SYSCALLS.has(n))
      if (seg.level === null && reported) this.appEnosys ??= seenOf(seg)
      // A kernel line naming no call is left to the catch-all for unrecognised ERR/CRIT lines.
      return seg.level === null || names.length > 0
    }
    if (!msg.includes('resource')) return false
    const ignored = /Ignore updating resource (\d{1,3})/.exec(msg)
    if (ignored) {
      this.sink.add('process.rlimit-ignored', seenOf(seg), `resource ${ignored[1]}`)
      return true
    }
    const unsupported = /Unsupported resource (\d{1,3})/.exec(msg)
    if (unsupported) {
      this.sink.add('process.rlimit-unsupported', seenOf(seg), `resource ${unsupported[1]}`)
      return true
    }
    return false
  }

  finish(): void {
    if (this.tolerated.size > 0) {
      const names = [...this.tolerated.keys()]
      this.sink.add('syscall.tolerated', this.tolerated.values().next().value ?? null, names.join(', '), {
        once: true,
        data: { syscalls: names }
      })
    }
    if (this.syscalls.size === 0 && !this.appEnosys) return
    const names = [...this.syscalls.keys()]
    const first = this.syscalls.values().next().value ?? this.appEnosys
    this.sink.add('syscall.unsupported', first ?? null, names.length > 0 ? names.join(', ') : null, {
      once: true,
      severity: this.appEnosys ? 'error' : 'warning',
      data: { syscalls: names, reportedByApp: this.appEnosys !== null }
    })
  }
}
