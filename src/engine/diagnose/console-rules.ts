// The console rules: each clean segment of the log goes through an ordered list of rules; the first
// that recognises it claims it. State carries what needs context (the banner's version comes seven
// lines after `Powered by`; a crash is "other" only if no headline named it; syscall names are
// gathered over the whole run). Rules match messages, never source line numbers or file names.
import {
  BANNER_ART_LINES,
  isBannerStart,
  parseBannerVersionLine,
  parseInfoVersion,
  parseMinimalBanner,
  type BannerInfo
} from './banner.js'
import { FINDINGS, hintFor, type FindingId } from './catalog.js'
import { isFirmwareLine, normalizeLine } from './console-normalizer.js'
import { describeErrno } from './errno.js'
import type { Finding, Severity } from '../finding.js'
import { parseKernelLine, type KernelLevel } from './kernel-line.js'
import type { LineSink } from './keyword-scanner.js'
import { classifyQemuMessage } from './qemu-messages.js'
import {
  TOLERATED_SYSCALLS,
  debugUnavailableSyscall,
  isEnosysResult,
  isForkRefusal,
  mentionsEnosys,
  mentionsForkRefused,
  parseStraceLine,
  syscallNamesIn,
  type StraceCall
} from './syscall-evidence.js'

interface Segment {
  line: number
  text: string
  level: KernelLevel | null
  lib: string | null
  msg: string
  /** `text` in lower case, computed on first use (rules guard their regexes with cheap tests). */
  lower?: string
}

const lowerOf = (seg: Segment): string => (seg.lower ??= seg.text.toLowerCase())

interface Seen {
  line: number
  evidence: string
}

/** What the console showed, for the run-level rules. */
export interface ConsoleSummary {
  findings: Finding[]
  /** The guest printed something after the firmware. */
  outputSeen: boolean
  /** QEMU said the kernel file is not bootable (shown as boot.no-output's detail). */
  kernelProblem: string | null
  /** The version, when the banner or the Info line showed it. */
  version: BannerInfo | null
}

/** Longest evidence kept (a whole line usually fits). */
const MAX_EVIDENCE = 500
/** Unrecognised ERR/CRIT lines reported at most. */
const MAX_UNKNOWN_ERRORS = 10

const clip = (text: string, max = MAX_EVIDENCE): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text

type Rule = (seg: Segment) => boolean

export class ConsoleRules implements LineSink {
  private readonly found = new Map<string, Finding>()
  private outputSeen = false
  private bannerPending = 0
  private banner: BannerInfo | null = null
  private info: (Seen & { version: BannerInfo }) | null = null
  private initFailed = false
  private oomSeen = false
  private kernelProblem: string | null = null
  private crashHeadline = false
  private crashEvidence: (Seen & { rip: string | null }) | null = null
  private inCrash = false
  private readonly syscalls = new Map<string, Seen>()
  private readonly tolerated = new Map<string, Seen>()
  private appEnosys: Seen | null = null
  private readonly loaderRejected = new Set<string>()
  private exitStatus: (Seen & { status: number }) | null = null
  private unknownErrors = 0

  private readonly rules: Rule[] = [
    s => this.bannerRule(s),
    s => this.crashRule(s),
    s => this.bootRule(s),
    s => this.loaderRule(s),
    s => this.libraryRule(s),
    s => this.processRule(s),
    s => this.memoryRule(s),
    s => this.hostRule(s),
    s => this.exitRule(s),
    s => this.appRule(s)
  ]

  /**
   * One raw console line (escape sequences and CR still in, no `\n`). `matched`: it holds one of
   * CONSOLE_KEYWORDS; lines without one only serve as context (first output, banner art).
   */
  line(lineNo: number, raw: string, matched = true): void {
    if (!matched && this.outputSeen && this.bannerPending > 0 && !raw.includes('\x1b')) {
      // A line of the banner's art, or its version line: the common case needs no normalizing.
      this.segment(lineNo, raw.endsWith('\r') ? raw.slice(0, -1) : raw, false)
      return
    }
    for (const text of normalizeLine(raw)) this.segment(lineNo, text, matched)
  }

  /** Context the rules need beyond keyword lines: the first output, the banner's art. */
  wantsAllLines(): boolean {
    return !this.outputSeen || this.bannerPending > 0
  }

  finish(): ConsoleSummary {
    this.finishBanner()
    this.finishCrash()
    this.finishSyscalls()
    this.finishExit()
    return {
      findings: [...this.found.values()],
      outputSeen: this.outputSeen,
      kernelProblem: this.kernelProblem,
      version: this.banner ?? this.info?.version ?? null
    }
  }

  private segment(line: number, text: string, matched: boolean): void {
    if (!this.outputSeen && !isFirmwareLine(text) && classifyQemuMessage(text) === null)
      this.outputSeen = true
    if (this.bannerPending > 0) {
      const version = parseBannerVersionLine(text)
      if (version) {
        this.bannerPending = 0
        this.setBanner(version, line, text)
        return
      }
      this.bannerPending--
    }
    if (!matched) return
    const k = parseKernelLine(text)
    const seg: Segment = { line, text, level: k.level, lib: k.lib, msg: k.msg }
    if (k.level === null) {
      const call = parseStraceLine(text)
      // `exit_group(3) = ?` has the shape of a traced call, but it is the program's exit status.
      if (call && call.name !== 'exit_group') {
        this.straceCall(seg, call)
        return
      }
    }
    for (const rule of this.rules) if (rule(seg)) return
    if (seg.level === 'ERR' || seg.level === 'CRIT') this.unknownKernelError(seg)
  }

  private add(
    id: FindingId,
    seen: Seen | null,
    detail: string | null,
    extra: { severity?: Severity; data?: Finding['data']; once?: boolean } = {}
  ): void {
    const key = extra.once ? id : `${id}\u0000${detail ?? ''}`
    if (this.found.has(key)) return
    const finding: Finding = {
      id,
      severity: extra.severity ?? FINDINGS[id].severity,
      line: seen?.line ?? null,
      evidence: clip(seen?.evidence ?? ''),
      detail: detail === null ? null : clip(detail, 200),
      hint: hintFor(id, detail),
      source: 'console'
    }
    if (extra.data) finding.data = extra.data
    this.found.set(key, finding)
  }

  private seen(seg: Segment): Seen {
    return { line: seg.line, evidence: seg.text }
  }

  // --- banner -------------------------------------------------------------------------------------

  private bannerRule(seg: Segment): boolean {
    if (seg.text.includes('Powered by') || seg.text.includes('Welcome to')) {
      if (isBannerStart(seg.text)) {
        this.bannerPending = BANNER_ART_LINES
        return true
      }
      const minimal = parseMinimalBanner(seg.text)
      if (minimal) {
        this.setBanner(minimal, seg.line, seg.text)
        return true
      }
    }
    if (!seg.msg.includes('Unikraft')) return false
    if (seg.msg.startsWith('Unikraft Crash')) {
      this.crashSeen(seg, null)
      return true
    }
    const info = parseInfoVersion(seg.msg)
    if (info) {
      this.info ??= { ...this.seen(seg), version: info }
      return true
    }
    return false
  }

  private setBanner(version: BannerInfo, line: number, text: string): void {
    if (this.banner) return
    this.banner = version
    this.add('boot.banner', { line, evidence: text.trim() }, `${version.codename} ${version.full}`, {
      once: true,
      data: bannerData(version)
    })
  }

  private finishBanner(): void {
    // Without the banner, the Info line still proves the boot when no init function failed.
    if (this.banner || !this.info || this.initFailed) return
    const v = this.info.version
    this.add('boot.banner', this.info, `${v.codename} ${v.full}`, { once: true, data: bannerData(v) })
  }

  // --- crashes ------------------------------------------------------------------------------------

  private crashRule(seg: Segment): boolean {
    const { msg, text } = seg
    const lower = lowerOf(seg)
    const trap = !lower.includes('trap')
      ? null
      : (/Unhandled Trap (\d{1,3}) \(([^()]{1,40})\)/i.exec(msg) ??
        /\btrap ([a-z][a-z ]{1,30}) ip:/.exec(text))
    if (trap) {
      const name = trap.length === 3 ? trap[2] : trap[1]
      const data = trap.length === 3 ? { trap: Number(trap[1]) } : undefined
      this.crashHeadline = true
      this.inCrash = true
      this.add('crash.trap', this.seen(seg), name.trim(), data ? { data } : {})
      return true
    }
    const pf = this.pageFault(seg)
    if (pf !== undefined) {
      this.crashHeadline = true
      this.inCrash = true
      this.add('crash.page-fault', this.seen(seg), pf)
      return true
    }
    const assertion = msg.includes('Assertion') ? assertionOf(msg) : null
    if (assertion !== null) {
      this.crashHeadline = true
      this.inCrash = true
      this.add('crash.assertion', this.seen(seg), assertion)
      return true
    }
    const panic = text.includes('Kernel panic')
      ? /Kernel panic - not syncing: ?([^\n]{0,200})/.exec(text)
      : null
    if (panic) {
      // The Linux baseline's /init ending takes the kernel down with it: its status line tells.
      if (!panic[1].includes('Attempted to kill init')) {
        this.crashHeadline = true
        this.inCrash = true
        this.add('crash.other', this.seen(seg), panic[1].trim() || null, { once: true })
      }
      return true
    }
    const rip = lower.includes('rip:')
      ? /^ ?(?:RIP|rip): ?(?:[0-9a-fA-F]{4}:)?([0-9a-fA-F]{6,16})\b/.exec(msg)
      : null
    if (rip) {
      this.crashSeen(seg, `0x${rip[1].replace(/^0+(?=.)/, '')}`)
      return true
    }
    if (seg.level === 'CRIT' && msg.startsWith('Crashing')) {
      this.crashSeen(seg, null)
      return true
    }
    // Everything else a crash dump prints (registers, stack, memory) belongs to the crash.
    return this.inCrash && seg.level === 'CRIT'
  }

  private pageFault(seg: Segment): string | null | undefined {
    const lower = lowerOf(seg)
    if (!lower.includes('page fault') && !lower.includes('segfault')) return undefined
    const handle = /Cannot handle (\w{1,16}) page fault at (0x[0-9a-fA-F]{1,16})/.exec(seg.msg)
    if (handle) return `${handle[1]} at ${handle[2]}`
    const linux =
      /unable to handle page fault for address: ?([0-9a-fA-Fx]{1,18})|\bsegfault at ([0-9a-fA-F]{1,16})\b/.exec(
        seg.text
      )
    if (linux) return `at ${linux[1] ?? `0x${linux[2]}`}`
    if ((seg.level === 'CRIT' || seg.level === 'ERR') && /page fault/i.test(seg.msg)) {
      const at = /(?:\bat|vaddr=?)\s*(0x[0-9a-fA-F]{1,16})/.exec(seg.msg)
      return at ? `at ${at[1]}` : null
    }
    return undefined
  }

  private crashSeen(seg: Segment, rip: string | null): void {
    this.inCrash = true
    if (!this.crashEvidence) this.crashEvidence = { ...this.seen(seg), rip }
    else if (rip && !this.crashEvidence.rip) this.crashEvidence.rip = rip
  }

  private finishCrash(): void {
    if (!this.crashEvidence || this.crashHeadline) return
    const rip = this.crashEvidence.rip
    this.add('crash.other', this.crashEvidence, rip ? `RIP ${rip}` : null, {
      once: true,
      data: rip ? { rip } : undefined
    })
  }

  // --- boot: init table, RNG, initrd --------------------------------------------------------------

  private bootRule(seg: Segment): boolean {
    const { msg } = seg
    // `Init function at 0x... returned error -95` (0.16, 0.17); `Early init function ...` and
    // similar wordings of other releases.
    const init =
      seg.level !== null && /init/i.test(msg)
        ? (/\binit function at (0x[0-9a-fA-F]{1,16}) returned error (-?\d{1,5})/i.exec(msg) ??
          /\binit[^\n]{0,60}? returned (?:error )?()(-\d{1,5})\b/i.exec(msg))
        : null
    if (init) {
      this.initFailed = true
      const data: Finding['data'] = { error: Number(init[2]) }
      if (init[1]) data.function = init[1]
      if (this.info) Object.assign(data, bannerData(this.info.version))
      this.add('boot.init-failed', this.seen(seg), describeErrno(init[2]), { once: true, data })
      if (init[2] === '-12')
        this.add('memory.out-of-memory', this.seen(seg), 'an init function ran out (ENOMEM)', { once: true })
      return true
    }
    if (this.isRngFailure(seg)) {
      const code = /\((-\d{1,5})\)/.exec(msg)?.[1] ?? null
      this.add('boot.rng-unavailable', this.seen(seg), code ? describeErrno(code) : null, { once: true })
      return true
    }
    if (msg.includes('Failed to load content')) {
      // libukcpio could not write a file into the RAM filesystem: memory ran out while unpacking.
      this.oomSeen = true
      const file = /^(\/[^\s:]{1,256}): Failed to load content/.exec(msg)?.[1]
      this.add('memory.out-of-memory', this.seen(seg), 'unpacking the initrd', {
        once: true,
        data: file ? { file } : undefined
      })
      return true
    }
    if (this.isInitrdFailure(seg)) {
      // After an out-of-memory while unpacking, the extraction failure is its consequence.
      if (!this.oomSeen) this.add('boot.initrd-failed', this.seen(seg), null, { once: true })
      return true
    }
    if (msg.includes('weak main() called')) {
      this.add('entry.weak-main', this.seen(seg), null, { once: true })
      return true
    }
    return false
  }

  private isRngFailure(seg: Segment): boolean {
    if (seg.msg.includes('Could not initialize the HWRNG')) return true
    // Other wordings, only from Unikraft's ERR/CRIT lines (a Linux guest's dmesg talks about RDRAND
    // too, and newer releases only warn when RDSEED is missing): `The CPU does not implement
    // RDRAND`, `Could not initialize: No entropy source available`.
    if (seg.level !== 'ERR' && seg.level !== 'CRIT') return false
    const lower = lowerOf(seg)
    if (lower.includes('no entropy source') || lower.includes('collect entropy')) return true
    if (!lower.includes('rng') && !lower.includes('rdseed') && !lower.includes('rdrand')) return false
    return (
      /\b(?:HWRNG|hardware RNG|RDSEED|RDRAND)\b/i.test(seg.msg) &&
      /\b(?:could not|cannot|failed|not supported|not available|unavailable|does not implement)\b/i.test(
        seg.msg
      )
    )
  }

  private isInitrdFailure(seg: Segment): boolean {
    const lower = lowerOf(seg)
    if (!lower.includes('initrd') && !lower.includes('cpio') && !lower.includes('ramfs')) return false
    const msg = seg.msg
    if (/Could not find an initrd|Bad magic number in CPIO header|Failed to extract cpio archive/i.test(msg))
      return true
    // Other wordings, only from Unikraft itself (its lines name the library, e.g. [libukcpio]).
    return (
      seg.level !== null &&
      /\b(?:initrd|cpio|ramfs)\b/i.test(msg) &&
      /\b(?:failed|could not|cannot|missing|not found|no image)\b/i.test(msg)
    )
  }

  // --- the ELF loader -----------------------------------------------------------------------------

  private loaderRule(seg: Segment): boolean {
    const { msg } = seg
    const exec = msg.indexOf(': Failed to execute ')
    if (exec >= 0) {
      const prog = lastToken(msg.slice(0, exec))
      const rest = msg.slice(exec + ': Failed to execute '.length)
      const path = /^[^\s:]{1,4096}/.exec(rest)?.[0] ?? ''
      const reason = rest.slice(path.length).replace(/^:\s*/, '')
      const enoent = /No such file or directory/.test(reason)
      if (prog === '<interp>') {
        if (enoent) this.add('loader.missing-interpreter', this.seen(seg), path)
        else this.add('loader.bad-executable', this.seen(seg), `${path}: ${reason}`)
      } else if (enoent) {
        this.add('loader.missing-executable', this.seen(seg), path)
      } else {
        this.add('loader.bad-executable', this.seen(seg), `${path}: ${reason}`)
      }
      this.loaderRejected.add(prog)
      return true
    }
    const interp = /Failed to load program interpreter ([^\s:]{1,4096}):? ?([^\n]{0,200})/.exec(msg)
    if (interp) {
      if (
        /No such file or directory/.test(interp[2]) ||
        this.found.has(`loader.missing-interpreter\u0000${interp[1]}`)
      )
        this.add('loader.missing-interpreter', this.seen(seg), interp[1])
      else this.add('loader.bad-executable', this.seen(seg), `${interp[1]}: ${interp[2]}`)
      return true
    }
    // The Linux baseline's /init (busybox env) when the program cannot start.
    const cant = msg.includes("can't execute")
      ? /can't execute '([^'\n]{1,4096})': ([^\n]{1,200})/.exec(msg)
      : null
    if (cant) {
      if (/No such file or directory/.test(cant[2]))
        this.add('loader.missing-executable', this.seen(seg), cant[1])
      else this.add('loader.bad-executable', this.seen(seg), `${cant[1]}: ${cant[2]}`)
      return true
    }
    if (msg.includes('Program name missing')) {
      this.add('loader.missing-executable', this.seen(seg), 'no program on the command line')
      return true
    }
    const notInPath = /^ukc-init: (\S{1,256}): not found in PATH/.exec(msg)
    if (notInPath) {
      this.add('loader.missing-executable', this.seen(seg), notInPath[1])
      return true
    }
    const at = msg.indexOf(': ELF executable is not position-independent')
    if (at >= 0) {
      const prog = lastToken(msg.slice(0, at))
      this.loaderRejected.add(prog)
      this.add('loader.not-pie', this.seen(seg), prog || null)
      return true
    }
    if (seg.level === null) return false
    const bad =
      /: (Image format not recognized or not supported|ELF machine type mismatch|ELF OS ABI unsupported|Requests program interpreter: Unsupported|ELF executable requests multiple program interpreters)/.exec(
        msg
      )
    if (bad) {
      const prog = lastToken(msg.slice(0, bad.index))
      this.loaderRejected.add(prog)
      this.add('loader.bad-executable', this.seen(seg), `${prog}: ${bad[1]}`)
      return true
    }
    const parsing = msg.indexOf(': Parsing of ELF image failed')
    if (parsing >= 0) {
      const prog = lastToken(msg.slice(0, parsing))
      // The line before already said why (not PIE, wrong machine, ...).
      if (!this.loaderRejected.has(prog)) {
        const why = msg.slice(parsing + ': Parsing of ELF image failed'.length).replace(/^:\s*/, '')
        this.add('loader.bad-executable', this.seen(seg), `${prog}: ${why}`)
      }
      return true
    }
    return false
  }

  private libraryRule(seg: Segment): boolean {
    const { text } = seg
    const at = text.indexOf(': cannot open shared object file')
    if (at >= 0) {
      const lib = lastToken(text.slice(0, at), /[\s"'(]/)
      this.add('loader.missing-library', this.seen(seg), lib || null)
      return true
    }
    const lower = lowerOf(seg)
    if (
      (lower.includes('thread-local storage') || lower.includes('tls block')) &&
      /cannot|failed|unable/.test(lower)
    ) {
      this.add('loader.tls-setup-failed', this.seen(seg), null, { once: true })
      return true
    }
    return false
  }

  // --- system calls, fork, resource limits ---------------------------------------------------------

  private straceCall(seg: Segment, call: StraceCall): void {
    if (isForkRefusal(call)) this.add('process.fork-unsupported', this.seen(seg), null, { once: true })
    else if (isEnosysResult(call.result)) this.noteSyscall(call.name, seg)
  }

  private noteSyscall(name: string, seg: Segment): void {
    const into = TOLERATED_SYSCALLS.has(name) ? this.tolerated : this.syscalls
    if (!into.has(name)) into.set(name, this.seen(seg))
  }

  private processRule(seg: Segment): boolean {
    const { msg, text } = seg
    const lower = lowerOf(seg)
    if (
      msg.includes('without CLONE_VM') ||
      (seg.level !== 'Info' && lower.includes('fork') && mentionsForkRefused(text))
    ) {
      this.add('process.fork-unsupported', this.seen(seg), null, { once: true })
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
      if (seg.level === null && reported) this.appEnosys ??= this.seen(seg)
      // A kernel line naming no call is left to the catch-all for unrecognised ERR/CRIT lines.
      return seg.level === null || names.length > 0
    }
    if (!msg.includes('resource')) return false
    const ignored = /Ignore updating resource (\d{1,3})/.exec(msg)
    if (ignored) {
      this.add('process.rlimit-ignored', this.seen(seg), `resource ${ignored[1]}`)
      return true
    }
    const unsupported = /Unsupported resource (\d{1,3})/.exec(msg)
    if (unsupported) {
      this.add('process.rlimit-unsupported', this.seen(seg), `resource ${unsupported[1]}`)
      return true
    }
    return false
  }

  private finishSyscalls(): void {
    if (this.tolerated.size > 0) {
      const names = [...this.tolerated.keys()]
      this.add('syscall.tolerated', this.tolerated.values().next().value ?? null, names.join(', '), {
        once: true,
        data: { syscalls: names }
      })
    }
    if (this.syscalls.size === 0 && !this.appEnosys) return
    const names = [...this.syscalls.keys()]
    const first = this.syscalls.values().next().value ?? this.appEnosys
    this.add('syscall.unsupported', first ?? null, names.length > 0 ? names.join(', ') : null, {
      once: true,
      severity: this.appEnosys ? 'error' : 'warning',
      data: { syscalls: names, reportedByApp: this.appEnosys !== null }
    })
  }

  // --- memory -------------------------------------------------------------------------------------

  private memoryRule(seg: Segment): boolean {
    const { text } = seg
    const lower = lowerOf(seg)
    if (!lower.includes('memory') && !lower.includes('enomem')) return false
    const heap = /Could not allocate memory for heap(?: \((\d{1,12} ?[KMG]i?B)\))?/.exec(text)
    if (heap) {
      this.add('memory.out-of-memory', this.seen(seg), heap[1] ? `heap (${heap[1]})` : 'heap', { once: true })
      return true
    }
    if (
      /out of memory|Cannot allocate memory|Could not allocate memory|Not enough memory|\bENOMEM\b/i.test(
        text
      )
    ) {
      this.add('memory.out-of-memory', this.seen(seg), null, { once: true })
      return true
    }
    return false
  }

  // --- QEMU's own messages -------------------------------------------------------------------------

  private hostRule(seg: Segment): boolean {
    const q = classifyQemuMessage(seg.text)
    if (!q) return false
    if (q.kind === 'kernel-invalid') this.kernelProblem ??= q.detail
    else if (q.kind !== 'ignore') this.add(q.kind, this.seen(seg), q.detail, { once: true })
    return true
  }

  // --- exit status --------------------------------------------------------------------------------

  private exitRule(seg: Segment): boolean {
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
    this.exitStatus = { ...this.seen(seg), status: Number(m[1]) }
    return true
  }

  private finishExit(): void {
    if (!this.exitStatus) return
    const { status } = this.exitStatus
    this.add('app.exit-status', this.exitStatus, String(status), {
      once: true,
      severity: status === 0 ? 'note' : 'error',
      data: { status }
    })
  }

  // --- app-level failures of known kinds ----------------------------------------------------------

  private appRule(seg: Segment): boolean {
    const { text } = seg
    if (!text.includes('Address family') && !text.includes('Protocol not') && !text.includes('/proc/'))
      return false
    if (text.includes('Address family not supported by protocol')) {
      this.add(
        'net.address-family-unsupported',
        this.seen(seg),
        /\[::\]|AF_INET6|IPv6/.test(text) ? 'IPv6' : /socketpair|AF_UNIX|unix/i.test(text) ? 'AF_UNIX' : null
      )
      return true
    }
    if (text.includes('Protocol not available')) {
      const option = /setsockopt\(([A-Z0-9_]{1,40})\)/.exec(text)?.[1] ?? null
      this.add('net.option-unsupported', this.seen(seg), option)
      return true
    }
    const proc = /(\/proc\/[^\s"':,)]{0,200})/.exec(text)
    if (proc && seg.level === null && /No such file|cannot open|failed to open|could not open/i.test(text)) {
      this.add('fs.procfs-missing', this.seen(seg), proc[1])
      return true
    }
    return false
  }

  private unknownKernelError(seg: Segment): void {
    if (this.unknownErrors >= MAX_UNKNOWN_ERRORS) return
    const detail = clip(`${seg.lib ? `[${seg.lib}] ` : ''}${seg.msg.trim()}`, 160)
    const before = this.found.size
    this.add('kernel.error', this.seen(seg), detail)
    if (this.found.size > before) this.unknownErrors++
  }
}

function bannerData(v: BannerInfo): Record<string, string | null> {
  return { version: v.version, codename: v.codename, commit: v.commit }
}

/** The last whitespace-separated word of `text` (the program name before `: Failed to ...`). */
function lastToken(text: string, separators = /\s/): string {
  let i = text.length
  while (i > 0 && !separators.test(text[i - 1])) i--
  return text.slice(i)
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
