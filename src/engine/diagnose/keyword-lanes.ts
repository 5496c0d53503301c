// Four-lane scanning of a chunk's whole lines, and the escape-sequence recognizer shared with the
// one-lane scan. Four independent chains of table lookups run interleaved: a single chain waits on
// memory for every byte, four keep the CPU busy (about twice the throughput on this machine).
import { ACCEPT, CONTROL } from './keyword-automaton.js'

export const ESC_NONE = 0
export const ESC_START = 1
export const ESC_CSI = 2
export const ESC_OSC = 3
export const ESC_INTERMEDIATE = 4

/** Chunks smaller than this are scanned in one lane. */
export const LANES_MIN_BYTES = 16 * 1024

/** One step of the escape-sequence recognizer: the state after byte `b`. */
export function escapeStep(esc: number, b: number): number {
  if (b === 0x1b) return ESC_START
  if (esc === ESC_START) {
    if (b === 0x5b) return ESC_CSI
    if (b === 0x5d) return ESC_OSC
    if (b >= 0x20 && b < 0x30) return ESC_INTERMEDIATE
    return ESC_NONE
  }
  if (esc === ESC_CSI) return b >= 0x40 && b <= 0x7e ? ESC_NONE : ESC_CSI
  if (esc === ESC_OSC) return b === 0x07 ? ESC_NONE : ESC_OSC
  return b >= 0x30 && b <= 0x7e ? ESC_NONE : ESC_INTERMEDIATE
}

/** Index after the escape sequence whose ESC is at `at - 1` (or of the newline that cuts it). */
function escapeEnd(chunk: Uint8Array, at: number): number {
  let esc = ESC_START
  for (let i = at; i < chunk.length; i++) {
    const b = chunk[i]
    if (b === 0x0a) return i
    esc = escapeStep(esc, b)
    if (esc === ESC_NONE) return i + 1
  }
  return chunk.length
}

interface LaneScan {
  /** Pairs: the newline ending a line with a keyword, and that line's offset from the chunk's first line. */
  hits: number[]
  /** Newlines in the scanned range. */
  newlines: number
}

/**
 * Scans four ranges of whole lines, `bounds` = [start, b1, b2, b3, end], interleaved. Lane 0 goes
 * on with the state of the line carried from the previous chunk; the others start at line starts.
 * Every lane ends just after a newline, so no escape sequence or line crosses a lane boundary.
 */
export function scanLanes(
  table: Uint16Array,
  chunk: Uint8Array,
  bounds: number[],
  state0: number,
  cand0: boolean
): LaneScan {
  const h0: number[] = []
  const h1: number[] = []
  const h2: number[] = []
  const h3: number[] = []
  let i0 = bounds[0]
  let i1 = bounds[1]
  let i2 = bounds[2]
  let i3 = bounds[3]
  const e0 = bounds[1]
  const e1 = bounds[2]
  const e2 = bounds[3]
  const e3 = bounds[4]
  let s0 = state0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let c0 = cand0 ? 1 : 0
  let c1 = 0
  let c2 = 0
  let c3 = 0
  let n0 = 0
  let n1 = 0
  let n2 = 0
  let n3 = 0
  while (i0 < e0 && i1 < e1 && i2 < e2 && i3 < e3) {
    let v = table[(s0 << 8) | chunk[i0]]
    if (v < ACCEPT) s0 = v
    else if (v < CONTROL) {
      s0 = v - ACCEPT
      c0 = 1
    } else {
      const b = chunk[i0]
      if (b === 0x0a) {
        if (c0) h0.push(i0, n0)
        n0++
        s0 = c0 = 0
      } else if (b === 0x1b) i0 = escapeEnd(chunk, i0 + 1) - 1
      else if (b === 0x0d) s0 = 0
    }
    i0++
    v = table[(s1 << 8) | chunk[i1]]
    if (v < ACCEPT) s1 = v
    else if (v < CONTROL) {
      s1 = v - ACCEPT
      c1 = 1
    } else {
      const b = chunk[i1]
      if (b === 0x0a) {
        if (c1) h1.push(i1, n1)
        n1++
        s1 = c1 = 0
      } else if (b === 0x1b) i1 = escapeEnd(chunk, i1 + 1) - 1
      else if (b === 0x0d) s1 = 0
    }
    i1++
    v = table[(s2 << 8) | chunk[i2]]
    if (v < ACCEPT) s2 = v
    else if (v < CONTROL) {
      s2 = v - ACCEPT
      c2 = 1
    } else {
      const b = chunk[i2]
      if (b === 0x0a) {
        if (c2) h2.push(i2, n2)
        n2++
        s2 = c2 = 0
      } else if (b === 0x1b) i2 = escapeEnd(chunk, i2 + 1) - 1
      else if (b === 0x0d) s2 = 0
    }
    i2++
    v = table[(s3 << 8) | chunk[i3]]
    if (v < ACCEPT) s3 = v
    else if (v < CONTROL) {
      s3 = v - ACCEPT
      c3 = 1
    } else {
      const b = chunk[i3]
      if (b === 0x0a) {
        if (c3) h3.push(i3, n3)
        n3++
        s3 = c3 = 0
      } else if (b === 0x1b) i3 = escapeEnd(chunk, i3 + 1) - 1
      else if (b === 0x0d) s3 = 0
    }
    i3++
  }
  n0 = laneTail(table, chunk, i0, e0, s0, c0, n0, h0)
  n1 = laneTail(table, chunk, i1, e1, s1, c1, n1, h1)
  n2 = laneTail(table, chunk, i2, e2, s2, c2, n2, h2)
  n3 = laneTail(table, chunk, i3, e3, s3, c3, n3, h3)
  const hits = h0
  for (let j = 0; j < h1.length; j += 2) hits.push(h1[j], n0 + h1[j + 1])
  for (let j = 0; j < h2.length; j += 2) hits.push(h2[j], n0 + n1 + h2[j + 1])
  for (let j = 0; j < h3.length; j += 2) hits.push(h3[j], n0 + n1 + n2 + h3[j + 1])
  return { hits, newlines: n0 + n1 + n2 + n3 }
}

/** The rest of one lane after the interleaved part; returns the lane's newline count. */
function laneTail(
  table: Uint16Array,
  chunk: Uint8Array,
  from: number,
  end: number,
  state: number,
  cand: number,
  newlines: number,
  hits: number[]
): number {
  let s = state
  let c = cand
  let n = newlines
  for (let i = from; i < end; i++) {
    const v = table[(s << 8) | chunk[i]]
    if (v < ACCEPT) s = v
    else if (v < CONTROL) {
      s = v - ACCEPT
      c = 1
    } else {
      const b = chunk[i]
      if (b === 0x0a) {
        if (c) hits.push(i, n)
        n++
        s = c = 0
      } else if (b === 0x1b) i = escapeEnd(chunk, i + 1) - 1
      else if (b === 0x0d) s = 0
    }
  }
  return n
}
