// The fast path of diagnosis: one pass over the raw console bytes with an Aho-Corasick automaton of
// the rules' keywords (case-insensitive), so only lines that can matter are decoded and given to
// the rules. Linear by construction (one table step per byte, no backtracking); escape sequences
// are skipped without disturbing the automaton, so a colour code cannot hide a keyword; memory is
// bounded by the longest kept line (MAX_CARRY_BYTES).

import { ACCEPT, CONTROL, type KeywordAutomaton } from './keyword-automaton.js'
import { ESC_NONE, ESC_START, LANES_MIN_BYTES, escapeStep, scanLanes } from './keyword-lanes.js'

/** Receives the lines worth looking at. */
export interface LineSink {
  /**
   * `text` is the raw line decoded as UTF-8 (escape sequences and CR still in), without `\n`;
   * `matched` tells whether it holds a keyword (else it was delivered only because of deliverAll).
   */
  line(lineNo: number, text: string, matched: boolean): void
}

/** A raw line longer than this is handed over in pieces (same line number) to bound memory. */
export const MAX_CARRY_BYTES = 1024 * 1024
/** Pieces of a long line overlap by this much, so a keyword cut at a piece boundary is still whole. */
const PIECE_OVERLAP = 512
/** Longest text handed to the sink at once. */
export const MAX_PIECE_CHARS = 64 * 1024

/**
 * Splits a byte stream into lines, runs the automaton, and hands the sink every line with a
 * keyword, plus every line while `deliverAll` is true (the sink sets it when it needs context,
 * e.g. the lines after `Powered by`).
 */
export class KeywordLineScanner {
  /** Deliver every line, keyword or not. */
  deliverAll = true
  private state = 0
  private esc = ESC_NONE
  private candidate = false
  private lineNo = 1
  private carry: Buffer[] = []
  private carryBytes = 0

  constructor(
    private readonly automaton: KeywordAutomaton,
    private readonly sink: LineSink
  ) {}

  /** Feeds the next chunk of raw console bytes. */
  push(bytes: Uint8Array): void {
    // A Buffer view (no copy) decodes lines without a Buffer object per line.
    const chunk = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const len = chunk.length
    let at = 0
    // Lines wanted whole (context) or in an escape sequence go one at a time through the one-lane
    // scan; the lanes take the rest of the chunk as soon as they can.
    while (at < len && (this.deliverAll || this.esc !== ESC_NONE)) {
      const nl = chunk.indexOf(0x0a, at)
      const to = nl < 0 ? len : nl + 1
      this.pushSequential(chunk, at, to)
      at = to
    }
    if (at < len && !this.pushLanes(chunk, at)) this.pushSequential(chunk, at, len)
  }

  /** Scans `chunk[from, to)`; `to` is the chunk's end or just after a newline. */
  private pushSequential(chunk: Buffer, from: number, to: number): void {
    const table = this.automaton.table
    let state = this.state
    let candidate = this.candidate
    let lineStart = from
    const len = to
    let i = this.esc === ESC_NONE ? from : this.skipEscape(chunk, from)
    for (; i < len; i++) {
      const v = table[(state << 8) | chunk[i]]
      if (v < ACCEPT) {
        state = v
        continue
      }
      if (v < CONTROL) {
        state = v - ACCEPT
        candidate = true
        continue
      }
      const b = chunk[i]
      if (b === 0x0a) {
        if (candidate || this.deliverAll) this.deliver(chunk, lineStart, i, candidate)
        else if (this.carryBytes > 0) this.dropCarry()
        this.lineNo++
        lineStart = i + 1
        state = 0
        candidate = false
      } else if (b === 0x1b) {
        // Skip the whole sequence without feeding the automaton: colour codes hide no keyword.
        this.esc = ESC_START
        i = this.skipEscape(chunk, i + 1) - 1
      } else if (b === 0x0d) {
        state = 0 // a lone CR ends what is on screen: no keyword spans it
      }
      // NUL and the other control bytes are transparent.
    }
    this.state = state
    this.candidate = candidate
    if (lineStart < len) this.keep(chunk.subarray(lineStart, len))
  }

  /**
   * The same scan on four stretches of whole lines at once: four independent chains of table
   * lookups keep the CPU busy where one chain waits on memory (about twice as fast). Lines are then
   * handed over in order, so the sink sees exactly what the sequential scan would give it. Returns
   * false when the chunk does not lend itself (small, too few newlines, every line wanted).
   */
  private pushLanes(chunk: Buffer, from: number): boolean {
    const len = chunk.length
    if (this.deliverAll || this.esc !== ESC_NONE || len - from < LANES_MIN_BYTES) return false
    const last = chunk.lastIndexOf(0x0a) + 1
    const quarter = (last - from) >> 2
    const b1 = chunk.indexOf(0x0a, from + quarter) + 1
    const b2 = chunk.indexOf(0x0a, from + 2 * quarter) + 1
    const b3 = chunk.indexOf(0x0a, from + 3 * quarter) + 1
    if (!(from < b1 && b1 < b2 && b2 < b3 && b3 < last)) return false
    const { laneTable, states } = this.automaton
    const state0 = this.candidate ? this.state + states : this.state
    const lanes = scanLanes(laneTable, states, chunk, [from, b1, b2, b3, last], state0)
    // Hand the lines over in order; `deliverAll` may turn on after any of them (context wanted).
    const firstNewline = chunk.indexOf(0x0a, from)
    const hits = lanes.hits
    if (hits.length === 0 || hits[0] !== firstNewline) this.dropCarry()
    const firstLine = this.lineNo
    for (let h = 0; h < hits.length; h += 2) {
      let pos = hits[h]
      let line = firstLine + hits[h + 1]
      this.lineNo = line
      this.deliver(chunk, pos === firstNewline ? from : chunk.lastIndexOf(0x0a, pos - 1) + 1, pos, true)
      while (this.deliverAll) {
        const next = chunk.indexOf(0x0a, pos + 1)
        if (next < 0 || next >= last || (h + 2 < hits.length && hits[h + 2] === next)) break
        this.lineNo = ++line
        this.deliver(chunk, pos + 1, next, false)
        pos = next
      }
    }
    this.lineNo = firstLine + lanes.newlines
    this.state = 0
    this.candidate = false
    // The partial line after the last newline goes through the sequential scan (and is kept).
    this.pushSequential(chunk, last, len)
    return true
  }

  /** Consumes escape-sequence bytes from `at`; returns the index of the first byte after it. */
  private skipEscape(chunk: Buffer, at: number): number {
    let esc = this.esc
    let i = at
    for (; i < chunk.length && esc !== ESC_NONE; i++) {
      if (chunk[i] === 0x0a) break // an escape sequence never spans lines: the newline is the caller's
      esc = escapeStep(esc, chunk[i])
    }
    if (i < chunk.length && chunk[i] === 0x0a) esc = ESC_NONE
    this.esc = esc
    return i
  }

  /** The input ended: a last line without `\n` still counts. */
  end(): void {
    if (this.carryBytes > 0 && (this.candidate || this.deliverAll))
      this.deliverText(this.takeCarry(), this.candidate)
    this.dropCarry()
    this.candidate = false
  }

  private keep(part: Uint8Array): void {
    this.carry.push(Buffer.from(part))
    this.carryBytes += part.length
    if (this.carryBytes <= MAX_CARRY_BYTES) return
    // A runaway line: hand over what we have (if it matters) and keep only the overlap.
    const all = Buffer.concat(this.carry, this.carryBytes)
    if (this.candidate || this.deliverAll) this.deliverText(all.toString('utf8'), this.candidate)
    const tail = Buffer.from(all.subarray(all.length - PIECE_OVERLAP))
    this.carry = [tail]
    this.carryBytes = tail.length
    this.candidate = false
  }

  private dropCarry(): void {
    if (this.carryBytes === 0) return
    this.carry = []
    this.carryBytes = 0
  }

  private takeCarry(): string {
    return Buffer.concat(this.carry, this.carryBytes).toString('utf8')
  }

  private deliver(chunk: Buffer, start: number, end: number, matched: boolean): void {
    let text: string
    if (this.carryBytes > 0) {
      this.carry.push(Buffer.from(chunk.subarray(start, end)))
      this.carryBytes += end - start
      text = this.takeCarry()
      this.dropCarry()
    } else {
      text = chunk.toString('utf8', start, end)
    }
    this.deliverText(text, matched)
  }

  private deliverText(text: string, matched: boolean): void {
    if (text.length <= MAX_PIECE_CHARS) {
      this.sink.line(this.lineNo, text, matched)
      return
    }
    for (let at = 0; at < text.length; at += MAX_PIECE_CHARS - PIECE_OVERLAP) {
      this.sink.line(this.lineNo, text.slice(at, at + MAX_PIECE_CHARS), matched)
      if (at + MAX_PIECE_CHARS >= text.length) break
    }
  }
}
