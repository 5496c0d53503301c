// Turns raw console bytes into clean text segments that keep the raw log's 1-based line numbers.
// A raw line can hold several segments: SeaBIOS's `Booting from ROM..` glued to Unikraft's first
// line, a lone CR (the terminal overwrote the line), a kernel message that interrupted another line
// mid-way (a nested fault printed inside a crash dump). Streaming and linear in the input size.
import { StringDecoder } from 'node:string_decoder'
import { stripControls } from './ansi.js'

export interface ConsoleSegment {
  /** 1-based line number in the raw log. */
  line: number
  /** The text: no escape sequences, no control bytes, no line ending. Never blank. */
  text: string
}

/** Longest raw line kept whole; longer lines are cut into pieces of this size (same line number). */
export const MAX_LINE_CHARS = 64 * 1024

// Where a Unikraft log message starts inside another line: a timestamp and level tag, or a level
// tag followed by the library name. Both are specific enough not to split ordinary text.
const MESSAGE_START =
  /\[ *\d{1,12}\.\d{1,9}\] (?:dbg|Info|Warn|ERR|CRIT):|(?:dbg|Info|Warn|ERR|CRIT): +\[[^\]\s]{1,64}\] /g

// Firmware and boot-loader lines that come before the kernel on a -nographic console.
const FIRMWARE =
  /^(?:SeaBIOS \(version|iPXE \(|iPXE initiali|Press Ctrl-B|Booting from |Boot failed|No bootable device|Machine UUID|Probing EDD|Booting ROM|Loading ROM|WARNING: Image format was not specified)/

/** True for SeaBIOS/iPXE text: output of the firmware, not of the guest kernel. */
export function isFirmwareLine(text: string): boolean {
  return FIRMWARE.test(text.trimStart())
}

/** Splits one raw line (without its `\n`) into clean, non-blank segments. */
export function normalizeLine(raw: string): string[] {
  const out: string[] = []
  const clean = stripControls(raw)
  const end = clean.endsWith('\r') ? clean.length - 1 : clean.length
  if (clean.lastIndexOf('\r', end - 1) < 0) {
    splitGlued(end === clean.length ? clean : clean.slice(0, end), out)
    return out
  }
  // A lone CR returns the cursor: what follows overwrote the line on a terminal. Keep both parts.
  for (const piece of clean.split('\r')) splitGlued(piece, out)
  return out
}

function splitGlued(piece: string, out: string[]): void {
  if (piece.trim() === '') return
  const boot = firmwareGlueEnd(piece)
  if (boot > 0 && boot < piece.length) {
    pushSplitMessages(piece.slice(0, boot), out)
    pushSplitMessages(piece.slice(boot), out)
    return
  }
  pushSplitMessages(piece, out)
}

// `Booting from ROM..Powered by`: the firmware does not end its line before the kernel starts.
function firmwareGlueEnd(piece: string): number {
  const at = piece.indexOf('Booting from ')
  if (at < 0) return -1
  const dots = piece.indexOf('..', at + 13)
  if (dots < 0 || dots - at > 60) return -1
  let end = dots
  while (end < piece.length && piece.charCodeAt(end) === 0x2e) end++
  return end
}

function pushSplitMessages(piece: string, out: string[]): void {
  const cuts: number[] = []
  if (hasLevelTagAfterStart(piece)) {
    MESSAGE_START.lastIndex = 0
    for (let m = MESSAGE_START.exec(piece); m; m = MESSAGE_START.exec(piece))
      if (m.index > 0) cuts.push(m.index)
  }
  // The banner's first line glued to earlier output (`...upPowered by`).
  const bannerAt = piece.indexOf('Powered by', 1)
  if (bannerAt > 0 && isBannerStartAt(piece, bannerAt)) {
    cuts.push(bannerAt)
    cuts.sort((a, b) => a - b)
  }
  if (cuts.length === 0) {
    pushSegment(piece, out)
    return
  }
  let start = 0
  for (const cut of cuts) {
    if (cut <= start) continue
    pushSegment(piece.slice(start, cut), out)
    start = cut
  }
  pushSegment(piece.slice(start), out)
}

// Cheap test before the split regex: most lines hold at most the level tag of their own prefix.
function hasLevelTagAfterStart(piece: string): boolean {
  const first = firstLevelTag(piece, 0)
  if (first < 0) return false
  const ownPrefix = first === 0 || (piece.charCodeAt(0) === 0x5b && first < 24)
  return !ownPrefix || firstLevelTag(piece, first + 3) > 0
}

/** Index of the first ukdebug level tag (`ERR:`, `CRIT:`, ...) at or after `from`, or -1. */
function firstLevelTag(piece: string, from: number): number {
  for (let colon = piece.indexOf(':', from + 3); colon >= 0; colon = piece.indexOf(':', colon + 1)) {
    if (colon >= 4) {
      const four = piece.slice(colon - 4, colon)
      if (four === 'CRIT' || four === 'Info' || four === 'Warn') return colon - 4
    }
    const three = piece.slice(colon - 3, colon)
    if (three === 'ERR' || three === 'dbg') return colon - 3
  }
  return -1
}

function isBannerStartAt(piece: string, at: number): boolean {
  const rest = piece.slice(at + 10)
  return rest.trim() === '' || rest.startsWith(' Unikraft ')
}

function pushSegment(text: string, out: string[]): void {
  const trimmed = text.trimEnd()
  if (trimmed.trimStart() !== '') out.push(trimmed)
}

/**
 * Streaming normalizer: feed chunks (Buffer or string) in order, get segments as lines complete.
 * Memory stays bounded: a line longer than MAX_LINE_CHARS is emitted in pieces.
 */
export class ConsoleNormalizer {
  private readonly decoder = new StringDecoder('utf8')
  private partial = ''
  private lineNo = 1

  push(chunk: Buffer | string): ConsoleSegment[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
    const out: ConsoleSegment[] = []
    let start = 0
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.emit(text.slice(start, nl), out)
      this.lineNo++
      start = nl + 1
    }
    this.partial = text.slice(start)
    while (this.partial.length > MAX_LINE_CHARS) {
      this.emit(this.partial.slice(0, MAX_LINE_CHARS), out)
      this.partial = this.partial.slice(MAX_LINE_CHARS)
    }
    return out
  }

  end(): ConsoleSegment[] {
    const out: ConsoleSegment[] = []
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    if (rest !== '') this.emit(rest, out)
    return out
  }

  private emit(raw: string, out: ConsoleSegment[]): void {
    for (const text of normalizeLine(raw)) out.push({ line: this.lineNo, text })
  }
}

/** All segments of a whole console log. */
export function normalizeConsole(console: Buffer | string): ConsoleSegment[] {
  const n = new ConsoleNormalizer()
  return [...n.push(console), ...n.end()]
}
