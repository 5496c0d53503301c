// The trace scanner: reads lines of text (a string, or bytes read as Latin-1) into a CallStore,
// the hot loop behind parseTrace and parseTraceFile, kept in one module.
//
// Speed: the scanner walks the text with indexOf and charCodeAt, never slices a line that is not a
// call, and reads the common line (`[pid] name(args) = result`, nothing else on it) without a
// regular expression or an allocation; every other candidate line goes through `parseCallLine`
// (call-line.ts), the reference. trace-file.ts feeds the same scanner bytes read in chunks (a file
// of any size).
import { isUtf8 } from 'node:buffer'
import { errnoCode } from '../diagnose/errno.js'
import { CALL_LIKE, parseCallLine } from './call-line.js'
import {
  ARGS_MAX,
  CallStore,
  NAMES,
  NONE_INDEX,
  TEXT_MAX,
  VALUE_MAX,
  clipHead,
  clipText,
  flat,
  knownName,
  linuxErrorIndex,
  okValue,
  ukErrorIndex
} from './call-store.js'

/** JavaScript's `\s` (what `trim` removes). */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true
  if (c < 160) return false
  return (
    c === 160 ||
    c === 5760 ||
    (c >= 8192 && c <= 8202) ||
    c === 8232 ||
    c === 8233 ||
    c === 8239 ||
    c === 8287 ||
    c === 12288 ||
    c === 65279
  )
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57

const NOWHERE = Number.MAX_SAFE_INTEGER
/** NOWHERE for indexOf's -1. */
const at = (i: number): number => (i < 0 ? NOWHERE : i)
const HIGH = /[\x80-\xff]/g

/** Bytes the scanner reads as Latin-1 text (one character per byte, offsets are byte offsets). */
export interface ByteSource {
  bytes: Buffer
  /** False when some byte is ≥ 0x80: a line with one is decoded as UTF-8 and read on its own. */
  ascii: boolean
  /** False when the bytes are not valid UTF-8: each line is then checked (binaryLines). */
  utf8: boolean
}

/**
 * Reads the lines handed to it, in order, into a CallStore: from the string parseTrace was given
 * (the store keeps offsets into it), or from bytes read as Latin-1 (trace-file.ts: the store copies
 * the calls' bytes, so no chunk stays in memory).
 */
export class CallScanner {
  readonly store: CallStore
  unreadable = 0
  truncated = false
  /** Lines that were not valid UTF-8 (byte input only). */
  binaryLines = 0
  /** Lines begun so far (the line number of the line being read). */
  line = 0

  // Next index (at or after the current line) of ' = ', '(', '\r', ESC, a byte ≥ 0x80 in the
  // string being scanned: each search runs once over the text, not once per line.
  private nextEq = -1
  private nextParen = -1
  private nextCr = -1
  private nextEsc = -1
  private nextHigh = -1
  private nextResumed = -1

  // What fast() read from a line: positions in its string, the name, pid and outcome.
  private p = 0
  private paren = 0
  private close = 0
  private ra = 0
  private rb = 0
  private vb = 0
  private pid = -1
  private name = 0
  private outcome = 0

  /** `source`: the string parseTrace scans (calls are kept as offsets into it); null for bytes. */
  constructor(
    readonly maxCalls: number,
    source: string | null
  ) {
    this.store = new CallStore(source)
  }

  /**
   * Reads the lines of `s[from, to)`: each ends at a `\n`; with `final`, so does the text after the
   * last one (the last line of the input). Without `final` the text after the last `\n` is ignored
   * (the caller passes only whole lines). `src`: the bytes `s` was decoded from as Latin-1 (offset
   * 0 is `s[0]`). Returns false once maxCalls is reached (truncated).
   */
  scan(s: string, from: number, to: number, final: boolean, src: ByteSource | null): boolean {
    this.nextEq = this.nextParen = this.nextCr = this.nextEsc = this.nextHigh = this.nextResumed = -1
    let pos = from
    for (;;) {
      let nl = s.indexOf('\n', pos)
      if (nl < 0 || nl >= to) {
        if (!final) return true
        nl = to
      }
      this.line++
      const a = pos
      pos = nl + 1
      if (src && !src.utf8 && !isUtf8(src.bytes.subarray(a, nl))) this.binaryLines++
      // Cheap filter first: a call line has ` = ` and `(`.
      if (nl - a >= 6) {
        if (this.nextEq < a) this.nextEq = at(s.indexOf(' = ', a))
        if (this.nextEq + 3 <= nl) {
          if (this.nextParen < a) this.nextParen = at(s.indexOf('(', a))
          if (this.nextParen < nl) {
            if (!this.candidate(s, a, nl, src)) return false
          } else {
            // The second half of a call strace split (`<... read resumed>"x", 1) = 1`): no `(`.
            if (this.nextResumed < a) this.nextResumed = at(s.indexOf(' resumed>', a))
            if (this.nextResumed < nl) {
              const raw = src ? src.bytes.toString(src.ascii ? 'latin1' : 'utf8', a, nl) : s.slice(a, nl)
              if (!this.general(raw)) return false
            }
          }
        }
      }
      if (nl >= to) return true
    }
  }

  /** A line with ` = ` and `(`. False once maxCalls is reached. */
  private candidate(s: string, a: number, b: number, src: ByteSource | null): boolean {
    if (src && !src.ascii) {
      if (this.nextHigh < a) {
        HIGH.lastIndex = a
        this.nextHigh = HIGH.exec(s)?.index ?? NOWHERE
      }
      // Not ASCII: the line is its UTF-8 decoding, read on its own (kept whole if a call).
      if (this.nextHigh < b) {
        const line = src.bytes.toString('utf8', a, b)
        const saved = [this.nextEq, this.nextParen, this.nextCr, this.nextEsc]
        this.nextEq = this.nextCr = this.nextEsc = -1
        const r = this.fast(line, 0, line.length) ? this.keep(line, null, true) : this.general(line)
        ;[this.nextEq, this.nextParen, this.nextCr, this.nextEsc] = saved
        return r
      }
    }
    if (this.fast(s, a, b)) return this.keep(s, src ? src.bytes : null, false)
    return this.general(src ? src.bytes.toString('latin1', a, b) : s.slice(a, b))
  }

  /** A line the fast path does not read: the reference parser decides. */
  private general(raw: string): boolean {
    const call = parseCallLine(raw, this.line)
    if (!call) {
      if (CALL_LIKE.test(raw)) this.unreadable++
      return true
    }
    if (this.store.length >= this.maxCalls) {
      this.truncated = true
      return false
    }
    this.store.addObject(call)
    return true
  }

  /** Stores what fast() read from `s` (`bytes`: its bytes); `whole`: as an object. */
  private keep(s: string, bytes: Buffer | null, whole: boolean): boolean {
    const store = this.store
    if (store.length >= this.maxCalls) {
      this.truncated = true
      return false
    }
    const { p, paren, close, ra, rb, vb, outcome } = this
    let aa = paren + 1
    let ab = close
    while (aa < ab && isSpace(s.charCodeAt(aa))) aa++
    while (ab > aa && isSpace(s.charCodeAt(ab - 1))) ab--
    const long = rb - p > TEXT_MAX
    if (!whole && !long && outcome !== -2 && (bytes !== null || s === store.source)) {
      store.add(this.name, this.line, this.pid, outcome, bytes, p, rb - p, aa - p, ab - aa, ra - p, vb - ra)
      return true
    }
    // Kept whole: fresh strings (from the bytes, or flattened when cut from a long line).
    const full = bytes ? bytes.toString('latin1', p, rb) : s.slice(p, rb)
    const cut = (x: number, y: number, max: number): string => {
      const piece = clipHead(full.slice(x - p, y - p), max)
      return long ? flat(piece) : piece
    }
    const o =
      outcome >= 0
        ? store.sharedOutcome(outcome)
        : outcome === -1
          ? okValue(cut(ra, vb, VALUE_MAX))
          : { kind: 'error' as const, errno: flat(s.slice(ra + 3, vb)), code: errnoCode(s.slice(ra + 3, vb)) }
    store.addObject({
      name: NAMES[this.name],
      args: aa === ab ? '' : cut(aa, ab, ARGS_MAX),
      outcome: o,
      line: this.line,
      text: long ? clipText(full) : full,
      pid: this.pid < 0 ? null : this.pid
    })
    return true
  }

  /**
   * Reads the common line without regular expressions: `[pid N] ` or `N ` or nothing, a known
   * name, `(args)`, ` = `, a result, nothing else (no ANSI, no CR but trailing ones). False when
   * the line is anything else: parseCallLine then decides (the same answer, slower).
   */
  private fast(s: string, a: number, b: number): boolean {
    let end = b
    while (end > a && s.charCodeAt(end - 1) === 13) end--
    if (this.nextCr < a) this.nextCr = at(s.indexOf('\r', a))
    if (this.nextCr < end) return false
    if (this.nextEsc < a) this.nextEsc = at(s.indexOf('\x1b', a))
    if (this.nextEsc < b) return false
    // `[pid N] ` (strace -f, several processes) or `N ` (strace -f -o file).
    let p = a
    let pid = -1
    let c = s.charCodeAt(p)
    if (c === 91 /* [ */) {
      if (!s.startsWith('[pid', p)) return false
      let q = p + 4
      while (q < end && isSpace(s.charCodeAt(q))) q++
      if (q === p + 4) return false
      const d = q
      while (q < end && isDigit(s.charCodeAt(q))) q++
      if (q === d || q - d > 9 || s.charCodeAt(q) !== 93 /* ] */) return false
      if (q + 1 >= end || !isSpace(s.charCodeAt(q + 1))) return false
      pid = digits(s, d, q)
      p = q + 1
      while (p < end && isSpace(s.charCodeAt(p))) p++
    } else if (isDigit(c)) {
      let q = p
      while (q < end && isDigit(s.charCodeAt(q))) q++
      if (q - p > 9 || q >= end || !isSpace(s.charCodeAt(q))) return false
      pid = digits(s, p, q)
      p = q
      while (p < end && isSpace(s.charCodeAt(p))) p++
    }
    // The name, right at the start, and its `(`.
    let h = 0
    let q = p
    while (q < end) {
      c = s.charCodeAt(q)
      if ((c >= 97 && c <= 122) || isDigit(c) || c === 95) {
        h = (Math.imul(h, 31) + c) | 0
        q++
      } else break
    }
    if (q === p || q - p > 40 || c !== 40 /* ( */ || q >= end) return false
    const name = knownName(s, p, q - p, h)
    if (name < 0) return false
    const paren = q
    // The last ` = ` of the line (nextEq is its first).
    let eq = this.nextEq
    for (;;) {
      const n = s.indexOf(' = ', eq + 1)
      if (n < 0 || n + 3 > end) {
        this.nextEq = at(n)
        break
      }
      eq = n
    }
    if (eq <= paren || eq + 3 > end) return false
    let close = eq - 1
    while (close > paren && s.charCodeAt(close) !== 41 /* ) */) close--
    if (close === paren) return false
    // The result, trimmed.
    let ra = eq + 3
    let rb = end
    while (ra < rb && isSpace(s.charCodeAt(ra))) ra++
    while (rb > ra && isSpace(s.charCodeAt(rb - 1))) rb--
    if (ra === rb) return false
    let outcome: number
    let vb = rb
    c = s.charCodeAt(ra)
    const uk = ukErrorCode(s, ra, rb)
    if (rb - ra === 1 && c === 63 /* ? */) outcome = NONE_INDEX
    else if (uk >= 0) {
      outcome = ukErrorIndex(uk)
      if (outcome < 0) return false
    } else if (c === 45 /* - */) {
      // `-1 ENOENT (No such file or directory)`; any other negative result: the reference decides.
      if (rb - ra < 5 || s.charCodeAt(ra + 1) !== 49 || s.charCodeAt(ra + 2) !== 32) return false
      if (s.charCodeAt(ra + 3) !== 69 /* E */) return false
      let k = ra + 4
      while (k < rb && (isDigit((c = s.charCodeAt(k))) || (c >= 65 && c <= 90))) k++
      if (k === ra + 4 || k - ra > 40) return false
      if (k < rb && ((c >= 97 && c <= 122) || c === 95)) return false
      outcome = linuxErrorIndex(s.slice(ra + 3, k))
      if (outcome < 0) {
        outcome = -2 // a new errno name past the table's bound: the call is kept whole
        vb = k
      }
    } else {
      // A value, up to any ` (comment)`: `0 (Timeout)`.
      outcome = -1
      for (let k = ra + 1; k < rb; k++) {
        if (s.charCodeAt(k) === 40 /* ( */ && isSpace(s.charCodeAt(k - 1))) {
          vb = k - 1
          while (vb > ra && isSpace(s.charCodeAt(vb - 1))) vb--
          break
        }
      }
    }
    this.p = p
    this.paren = paren
    this.close = close
    this.ra = ra
    this.rb = rb
    this.vb = vb
    this.pid = pid
    this.name = name
    this.outcome = outcome
    return true
  }
}

/** The decimal number `s[a, b)` (at most 9 digits). */
function digits(s: string, a: number, b: number): number {
  let v = 0
  for (let i = a; i < b; i++) v = v * 10 + s.charCodeAt(i) - 48
  return v
}

/** N of a result ending in `(-N)` (1 to 4 digits: Unikraft's `Function not implemented (-38)`), else -1. */
function ukErrorCode(s: string, ra: number, rb: number): number {
  if (s.charCodeAt(rb - 1) !== 41 /* ) */) return -1
  let k = rb - 2
  while (k >= ra && k > rb - 7 && isDigit(s.charCodeAt(k))) k--
  const n = rb - 2 - k
  if (n < 1 || n > 4 || k - 1 < ra) return -1
  if (s.charCodeAt(k) !== 45 /* - */ || s.charCodeAt(k - 1) !== 40 /* ( */) return -1
  return digits(s, k + 1, rb - 1)
}
