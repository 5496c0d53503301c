// Crashes: the line that names the reason (an unhandled trap, a page fault, an assertion, a panic,
// or, since 0.20, the CRIT message an explicit crash prints just before its screen), then the dump
// (registers, stack, `Crashing`, the `Unikraft Crash - <codename> (<version>)` screen). One crash is
// one finding: the first named reason; the dump only supplies RIP and the version. A crash no line
// names is crash.other, and so is KraftKit's `machine fatally exited` (the guest panicked) when the
// console shows nothing else.
import { parseVersionParts } from './banner.js'
import type { FindingId } from './catalog.js'
import type { Finding } from '../finding.js'
import {
  bannerData,
  clip,
  lowerOf,
  seenOf,
  type FindingSink,
  type Seen,
  type Segment
} from './rule-support.js'

const CRASH_SCREEN = /^Unikraft crash - ([A-Za-z][\w-]{0,31}) \(([^\s()]{1,100})\)/i
const UKVMEM_FAULT =
  /Cannot handle (\w{1,16}) page fault at (0x[0-9a-fA-F]{1,16})(?: \(ec: (0x[0-9a-fA-F]{1,8})\))?(?:: ([^\n]{1,80}))?/
/** An explicit crash prints its reason on the CRIT line just before the screen, or the one before. */
const REASON_LINES = 2

export class CrashRules {
  private headline: string | null = null
  private evidence: (Seen & { rip: string | null }) | null = null
  private inCrash = false
  private screen: Record<string, string | null> | null = null
  private reason: (Seen & { msg: string }) | null = null
  private kraftFatal: Seen | null = null

  /** `retract(key)`: takes back a kernel.error that turned out to be a crash's reason. */
  constructor(
    private readonly sink: FindingSink,
    private readonly retract: (key: string) => void
  ) {}

  rule(seg: Segment): boolean {
    const { msg, text } = seg
    const lower = lowerOf(seg)
    const trap = !lower.includes('trap')
      ? null
      : (/Unhandled Trap (\d{1,3}) \(([^()]{1,40})\)/i.exec(msg) ??
        /\btrap ([a-z][a-z ]{1,30}) ip:/.exec(text))
    if (trap) {
      const name = trap.length === 3 ? trap[2] : trap[1]
      const data = trap.length === 3 ? { trap: Number(trap[1]) } : undefined
      return this.named('crash.trap', seg, name.trim(), data)
    }
    const pf = this.pageFault(seg)
    if (pf !== undefined) {
      const first = this.headline === null
      this.named('crash.page-fault', seg, pf.detail, pf.data)
      // The fault handler itself ran out of memory mapping the page (`: -12`, `Out of memory (12)`).
      if (first && pf.enomem)
        this.sink.add('memory.out-of-memory', seenOf(seg), 'mapping a page on a fault (ENOMEM)', {
          once: true
        })
      return true
    }
    const assertion = msg.includes('Assertion') ? assertionOf(msg) : null
    if (assertion !== null) return this.named('crash.assertion', seg, assertion)
    const panic = text.includes('Kernel panic')
      ? /Kernel panic - not syncing: ?([^\n]{0,200})/.exec(text)
      : null
    if (panic) {
      // The Linux baseline's /init ending takes the kernel down with it: its status line tells.
      if (!panic[1].includes('Attempted to kill init'))
        this.named('crash.other', seg, panic[1].trim() || null)
      return true
    }
    if (lower.includes('unikraft crash') && /^Unikraft crash\b/i.test(msg)) {
      this.screenSeen(seg, CRASH_SCREEN.exec(msg))
      return true
    }
    const rip = lower.includes('rip:')
      ? /^ ?(?:RIP|rip): ?(?:[0-9a-fA-F]{4}:)?([0-9a-fA-F]{6,16})\b/.exec(msg)
      : null
    if (rip) {
      this.dumpSeen(seg, `0x${rip[1].replace(/^0+(?=.)/, '')}`)
      return true
    }
    if (seg.level === 'CRIT' && msg.startsWith('Crashing')) {
      this.dumpSeen(seg, null)
      return true
    }
    if (lower.includes('machine fatally exited')) {
      this.kraftFatal ??= seenOf(seg)
      return true
    }
    // Everything else a crash dump prints (registers, stack, memory) belongs to the crash.
    return this.inCrash && seg.level === 'CRIT'
  }

  /** A line naming the crash: the first one is the finding, later ones belong to the same crash. */
  private named(id: FindingId, seg: Segment, detail: string | null, data?: Finding['data']): boolean {
    this.inCrash = true
    if (this.headline === null) {
      const once = id === 'crash.other'
      this.headline = this.sink.add(id, seenOf(seg), detail, data ? { data, once } : { once })
    }
    return true
  }

  private pageFault(
    seg: Segment
  ): { detail: string | null; data?: Finding['data']; enomem?: boolean } | undefined {
    const lower = lowerOf(seg)
    if (!lower.includes('page fault') && !lower.includes('segfault')) return undefined
    const handle = UKVMEM_FAULT.exec(seg.msg)
    if (handle) {
      const data: Finding['data'] = { access: handle[1], address: handle[2] }
      if (handle[3]) data.errorCode = handle[3]
      const why = handle[4]?.replace(/\.$/, '').trim()
      if (why) data.reason = why
      const enomem = why !== undefined && /^-12$|\(12\)|out of memory/i.test(why)
      return { detail: `${handle[1]} at ${handle[2]}`, data, enomem }
    }
    const linux =
      /unable to handle page fault for address: ?([0-9a-fA-Fx]{1,18})|\bsegfault at ([0-9a-fA-F]{1,16})\b/.exec(
        seg.text
      )
    if (linux) return { detail: `at ${linux[1] ?? `0x${linux[2]}`}` }
    if ((seg.level === 'CRIT' || seg.level === 'ERR') && /page fault/i.test(seg.msg)) {
      const at = /(?:\bat|vaddr=?)\s*(0x[0-9a-fA-F]{1,16})/.exec(seg.msg)
      return { detail: at ? `at ${at[1]}` : null }
    }
    return undefined
  }

  /** The crash screen (0.20: `Unikraft Crash - ...`; seen in 0.15 and 0.16 as `Unikraft crash - ...`). */
  private screenSeen(seg: Segment, screen: RegExpExecArray | null): void {
    const v = screen ? parseVersionParts(screen[1], screen[2]) : null
    if (v) this.screen ??= bannerData(v)
    const last = this.sink.lastCrit
    if (this.headline === null && !this.reason && last && last.line >= seg.line - REASON_LINES) {
      const f = this.sink.get(last.key)
      if (f?.id === 'kernel.error') {
        // An explicit crash's reason, which no rule knows: it names the crash.
        this.retract(last.key)
        this.reason = { line: f.line ?? seg.line, evidence: f.evidence, msg: f.detail ?? f.evidence }
      } else if (f?.severity === 'error') {
        // A line some rule explained (an out-of-memory, a failed mount) is the crash's reason.
        this.headline = last.key
      }
    }
    this.dumpSeen(seg, null)
  }

  private dumpSeen(seg: Segment, rip: string | null): void {
    this.inCrash = true
    if (!this.evidence) this.evidence = { ...seenOf(seg), rip }
    else if (rip && !this.evidence.rip) this.evidence.rip = rip
  }

  finish(): void {
    const rip = this.evidence?.rip ?? null
    if (this.headline === null && (this.evidence || this.reason)) {
      const data: Finding['data'] = { ...this.screen }
      if (rip) data.rip = rip
      const detail = this.reason ? clip(this.reason.msg.trim(), 160) : rip ? `RIP ${rip}` : null
      const seen = this.reason ?? this.evidence
      this.headline = this.sink.add('crash.other', seen, detail, {
        once: true,
        data: Object.keys(data).length > 0 ? data : undefined
      })
    } else if (this.headline !== null) {
      // The named finding also carries what the dump showed.
      const f = this.sink.get(this.headline)
      if (f?.id.startsWith('crash.') && (this.screen || rip))
        f.data = { ...this.screen, ...(rip ? { rip } : {}), ...f.data }
    }
    if (this.headline === null && this.kraftFatal)
      this.sink.add('crash.other', this.kraftFatal, 'KraftKit: machine fatally exited', { once: true })
  }
}

/** `Assertion failure: argc == 42` (Unikraft) or glibc's ``Assertion `x > 0' failed.`` */
function assertionOf(msg: string): string | null {
  const uk = msg.indexOf('Assertion failure: ')
  if (uk >= 0) return msg.slice(uk + 'Assertion failure: '.length).trim() || null
  const glibc = msg.indexOf('Assertion `')
  if (glibc >= 0) {
    const end = msg.indexOf("' failed", glibc)
    if (end > glibc) return msg.slice(glibc + 'Assertion `'.length, end)
  }
  return null
}
