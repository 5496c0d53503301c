// The fast path of diagnosis: one pass over the raw console bytes with an Aho-Corasick automaton of
// the rules' keywords (case-insensitive), so only lines that can matter are decoded and given to
// the rules. Linear by construction (one table step per byte, no backtracking); escape sequences
// are skipped without disturbing the automaton, so a colour code cannot hide a keyword; memory is
// bounded by the longest kept line (MAX_CARRY_BYTES).

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

const ESC_NONE = 0
const ESC_START = 1
const ESC_CSI = 2
const ESC_OSC = 3
const ESC_INTERMEDIATE = 4

/** Table values at or above this mean "a keyword ends here": the next state is `value - ACCEPT`. */
export const ACCEPT = 0x4000
/** Table value for a control byte (newline, ESC, CR, NUL...), from every state. */
export const CONTROL = 0x8000
const MAX_STATES = ACCEPT

/**
 * Aho-Corasick DFA over bytes, one Uint16 per (state, byte): the next state, plus ACCEPT when a
 * keyword ends there, or CONTROL for control bytes. The scanner's hot loop is one load and one
 * comparison per byte.
 */
export class KeywordAutomaton {
  readonly table: Uint16Array
  readonly states: number

  constructor(keywords: readonly string[]) {
    const children: Map<number, number>[] = [new Map()]
    const terminal: boolean[] = [false]
    for (const keyword of keywords) {
      const bytes = Buffer.from(keyword.toLowerCase(), 'utf8')
      if (bytes.length === 0) throw new Error('empty keyword')
      let state = 0
      for (const b of bytes) {
        if (b < 0x20 || b === 0x7f) throw new Error(`keyword with a control byte: ${JSON.stringify(keyword)}`)
        let child = children[state].get(b)
        if (child === undefined) {
          child = children.length
          children.push(new Map())
          terminal.push(false)
          children[state].set(b, child)
        }
        state = child
      }
      terminal[state] = true
    }
    const count = children.length
    if (count > MAX_STATES) throw new Error(`too many keyword states: ${count}`)
    const next = new Int32Array(count * 256)
    const fail = new Int32Array(count)
    const accept = new Uint8Array(count)
    // Breadth-first: a state's failure link is complete before its children need it.
    const queue: number[] = []
    for (let b = 0; b < 256; b++) {
      const child = children[0].get(b)
      if (child !== undefined) {
        next[b] = child
        queue.push(child)
      }
    }
    accept[0] = 0
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]
      accept[state] = terminal[state] || accept[fail[state]] === 1 ? 1 : 0
      for (let b = 0; b < 256; b++) {
        const child = children[state].get(b)
        if (child !== undefined) {
          fail[child] = next[fail[state] * 256 + b]
          next[state * 256 + b] = child
          queue.push(child)
        } else {
          next[state * 256 + b] = next[fail[state] * 256 + b]
        }
      }
    }
    const table = new Uint16Array(count * 256)
    for (let state = 0; state < count; state++) {
      for (let b = 0; b < 256; b++) {
        // Case-insensitive: an upper-case ASCII letter moves like its lower-case twin.
        const target = next[state * 256 + (b >= 0x41 && b <= 0x5a ? b + 0x20 : b)]
        table[state * 256 + b] =
          b < 0x20 || b === 0x7f ? CONTROL : accept[target] === 1 ? target + ACCEPT : target
      }
    }
    this.table = table
    this.states = count
  }
}

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
  push(chunk: Uint8Array): void {
    const table = this.automaton.table
    let state = this.state
    let candidate = this.candidate
    let lineStart = 0
    const len = chunk.length
    let i = this.esc === ESC_NONE ? 0 : this.skipEscape(chunk, 0)
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
    if (lineStart < len) this.keep(chunk.subarray(lineStart))
  }

  /** Consumes escape-sequence bytes from `at`; returns the index of the first byte after it. */
  private skipEscape(chunk: Uint8Array, at: number): number {
    let esc = this.esc
    let i = at
    for (; i < chunk.length && esc !== ESC_NONE; i++) {
      const b = chunk[i]
      if (b === 0x0a) break // an escape sequence never spans lines: the newline is the caller's
      if (b === 0x1b) {
        esc = ESC_START
        continue
      }
      if (esc === ESC_START) {
        if (b === 0x5b) esc = ESC_CSI
        else if (b === 0x5d) esc = ESC_OSC
        else if (b >= 0x20 && b < 0x30) esc = ESC_INTERMEDIATE
        else esc = ESC_NONE
      } else if (esc === ESC_CSI) {
        if (b >= 0x40 && b <= 0x7e) esc = ESC_NONE
      } else if (esc === ESC_OSC) {
        if (b === 0x07) esc = ESC_NONE
      } else if (b >= 0x30 && b <= 0x7e) {
        esc = ESC_NONE // ESC_INTERMEDIATE's final byte
      }
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

  private deliver(chunk: Uint8Array, start: number, end: number, matched: boolean): void {
    let text: string
    if (this.carryBytes > 0) {
      this.carry.push(Buffer.from(chunk.subarray(start, end)))
      this.carryBytes += end - start
      text = this.takeCarry()
      this.dropCarry()
    } else {
      text = Buffer.from(chunk.buffer, chunk.byteOffset + start, end - start).toString('utf8')
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
