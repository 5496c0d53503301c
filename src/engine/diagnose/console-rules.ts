// The console rules: each clean segment of the log goes through an ordered list of rules, one family
// per file (rules-*.ts); the first that recognises it claims it. The families keep what needs context
// (the banner's version comes seven lines after `Powered by`; a crash is "other" only if no line
// named it; syscall names are gathered over the whole run). An ERR or CRIT line no rule claims is a
// kernel.error warning. Rules match messages, never source line numbers or file names.
import type { BannerInfo } from './banner.js'
import { isFirmwareLine, normalizeLine } from './console-normalizer.js'
import type { Finding } from '../finding.js'
import { parseKernelLine } from './kernel-line.js'
import type { LineSink } from './keyword-scanner.js'
import { classifyQemuMessage } from './qemu-messages.js'
import { clip, FindingSink, seenOf, type Rule, type Segment } from './rule-support.js'
import { AppRules } from './rules-app.js'
import { BannerRules } from './rules-banner.js'
import { BootRules } from './rules-boot.js'
import { CrashRules } from './rules-crash.js'
import { LoaderRules } from './rules-loader.js'
import { MemoryRules } from './rules-memory.js'
import { ProcessRules } from './rules-process.js'
import { parseStraceLine } from './syscall-evidence.js'

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

/** Unrecognised ERR/CRIT lines reported at most. */
const MAX_UNKNOWN_ERRORS = 10

export class ConsoleRules implements LineSink {
  private readonly sink = new FindingSink()
  private outputSeen = false
  private kernelProblem: string | null = null
  private unknownErrors = 0
  private readonly banner = new BannerRules(this.sink)
  private readonly boot = new BootRules(this.sink, () => this.banner.info)
  private readonly crash = new CrashRules(this.sink, key => this.retractKernelError(key))
  private readonly loader = new LoaderRules(this.sink)
  private readonly process = new ProcessRules(this.sink)
  private readonly memory = new MemoryRules(this.sink)
  private readonly app = new AppRules(this.sink)

  private readonly rules: Rule[] = [
    s => this.banner.rule(s),
    s => this.crash.rule(s),
    s => this.boot.rule(s),
    s => this.loader.rule(s),
    s => this.process.rule(s),
    s => this.memory.rule(s),
    s => this.hostRule(s),
    s => this.app.exitRule(s),
    s => this.app.appRule(s)
  ]

  /**
   * One raw console line (escape sequences and CR still in, no `\n`). `matched`: it holds one of
   * CONSOLE_KEYWORDS; lines without one only serve as context (first output, banner art).
   */
  line(lineNo: number, raw: string, matched = true): void {
    if (!matched && this.outputSeen && this.banner.pending > 0 && !raw.includes('\x1b')) {
      // A line of the banner's art, or its version line: the common case needs no normalizing.
      this.segment(lineNo, raw.endsWith('\r') ? raw.slice(0, -1) : raw, false)
      return
    }
    for (const text of normalizeLine(raw)) this.segment(lineNo, text, matched)
  }

  /** Context the rules need beyond keyword lines: the first output, the banner's art. */
  wantsAllLines(): boolean {
    return !this.outputSeen || this.banner.pending > 0
  }

  finish(): ConsoleSummary {
    this.sink.begin(null)
    this.banner.finish(this.boot.initFailed)
    this.crash.finish()
    this.process.finish()
    this.memory.finish()
    this.app.finish()
    return {
      findings: this.sink.all(),
      outputSeen: this.outputSeen,
      kernelProblem: this.kernelProblem,
      version: this.banner.version
    }
  }

  private segment(line: number, text: string, matched: boolean): void {
    this.sink.begin(null)
    if (!this.outputSeen && !isFirmwareLine(text) && classifyQemuMessage(text) === null)
      this.outputSeen = true
    if (this.banner.pending > 0 && this.banner.versionLine(line, text)) return
    if (!matched) return
    const k = parseKernelLine(text)
    const seg: Segment = { line, text, level: k.level, lib: k.lib, msg: k.msg }
    this.sink.begin(seg.level)
    if (k.level === null) {
      const call = parseStraceLine(text)
      // `exit_group(3) = ?` has the shape of a traced call, but it is the program's exit status.
      if (call && call.name !== 'exit_group') {
        this.process.straceCall(seg, call)
        return
      }
    }
    for (const rule of this.rules) if (rule(seg)) return
    if (seg.level === 'ERR' || seg.level === 'CRIT') this.unknownKernelError(seg)
  }

  /** QEMU's own messages, when they reach the console. */
  private hostRule(seg: Segment): boolean {
    const q = classifyQemuMessage(seg.text)
    if (!q) return false
    if (q.kind === 'kernel-invalid') this.kernelProblem ??= q.detail
    else if (q.kind !== 'ignore') this.sink.add(q.kind, seenOf(seg), q.detail, { once: true })
    return true
  }

  private unknownKernelError(seg: Segment): void {
    if (this.unknownErrors >= MAX_UNKNOWN_ERRORS) return
    const detail = clip(`${seg.lib ? `[${seg.lib}] ` : ''}${seg.msg.trim()}`, 160)
    const before = this.sink.size
    this.sink.add('kernel.error', seenOf(seg), detail)
    if (this.sink.size > before) this.unknownErrors++
  }

  private retractKernelError(key: string): void {
    if (this.sink.remove(key)) this.unknownErrors--
  }
}
