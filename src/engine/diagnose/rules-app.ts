// What the application itself says: its exit status (Unikraft's `main returned`, an exit_group the
// kernel reports, the Linux baseline's status line) and failures of known kinds it reports (an address
// family or socket option the network stack lacks, a /proc file).
import { seenOf, type FindingSink, type Seen, type Segment } from './rule-support.js'

export class AppRules {
  private exitStatus: (Seen & { status: number }) | null = null

  constructor(private readonly sink: FindingSink) {}

  exitRule(seg: Segment): boolean {
    const { msg, text } = seg
    if (!msg.includes('returned') && !text.includes('UNIKRAFT_COMPAT_EXIT=') && !text.includes('exit_group('))
      return false
    // Unikraft's `main returned <n>`, the ELF loader's exit_group with a negative status, the
    // Linux baseline's status line, and `exit_group(<n>) = ?` from a kernel that reports exits.
    const m =
      /exit_group\((-?\d{1,10})\)\s*=\s*\?\s*$/.exec(text) ??
      /\bmain returned (-?\d{1,10})\b/.exec(msg) ??
      /\bApplication returned error code (-?\d{1,10})\b/.exec(msg) ??
      /\bUNIKRAFT_COMPAT_EXIT=(-?\d{1,10})\b/.exec(text)
    if (!m) return false
    // The last status printed is the program's (an ELF loader may print one per program).
    this.exitStatus = { ...seenOf(seg), status: Number(m[1]) }
    return true
  }

  finish(): void {
    if (!this.exitStatus) return
    const { status } = this.exitStatus
    this.sink.add('app.exit-status', this.exitStatus, String(status), {
      once: true,
      severity: status === 0 ? 'note' : 'error',
      data: { status }
    })
  }

  /** Failures of known kinds the app reports itself: network features, /proc. */
  appRule(seg: Segment): boolean {
    const { text } = seg
    if (!text.includes('Address family') && !text.includes('Protocol not') && !text.includes('/proc/'))
      return false
    if (text.includes('Address family not supported by protocol')) {
      this.sink.add(
        'net.address-family-unsupported',
        seenOf(seg),
        /\[::\]|AF_INET6|IPv6/.test(text) ? 'IPv6' : /socketpair|AF_UNIX|unix/i.test(text) ? 'AF_UNIX' : null
      )
      return true
    }
    if (text.includes('Protocol not available')) {
      const option = /setsockopt\(([A-Z0-9_]{1,40})\)/.exec(text)?.[1] ?? null
      this.sink.add('net.option-unsupported', seenOf(seg), option)
      return true
    }
    const proc = /(\/proc\/[^\s"':,)]{0,200})/.exec(text)
    if (proc && seg.level === null && /No such file|cannot open|failed to open|could not open/i.test(text)) {
      this.sink.add('fs.procfs-missing', seenOf(seg), proc[1])
      return true
    }
    return false
  }
}
