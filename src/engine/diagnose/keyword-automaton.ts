// The keyword automaton: Aho-Corasick over bytes, case-insensitive, as one flat Uint16 table so the
// scanner's inner loop is a single lookup per byte (src/engine/diagnose/keyword-scanner.ts).

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
  /**
   * The same automaton for the four-lane scan (src/engine/diagnose/keyword-lanes.ts), with "a
   * keyword was seen on this line" folded into the state so the hot step has one comparison: state
   * `s + states` is state `s` after a keyword; the values are next states, or CONTROL for control
   * bytes, plus the state they were met in (`CONTROL | state`, so the scan need not keep it). Row
   * `2 * states` is the escape row (every byte a control): the lane is inside an escape sequence.
   */
  readonly laneTable: Uint16Array

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
    if (count >= MAX_STATES) throw new Error(`too many keyword states: ${count}`)
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
    // Lane states go up to the escape row, 2 * count < 2 * MAX_STATES = CONTROL: they fit below it.
    const laneTable = new Uint16Array((2 * count + 1) * 256).fill(CONTROL | (2 * count))
    for (let state = 0; state < 2 * count; state++) {
      const base = (state % count) * 256
      for (let b = 0; b < 256; b++) {
        const v = table[base + b]
        laneTable[state * 256 + b] =
          v >= CONTROL ? CONTROL | state : v >= ACCEPT ? v - ACCEPT + count : state >= count ? v + count : v
      }
    }
    this.table = table
    this.states = count
    this.laneTable = laneTable
  }
}
