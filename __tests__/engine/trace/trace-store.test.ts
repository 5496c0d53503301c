// The compact call store behind parseTrace (calls built on demand, strings clipped) and
// alignTraces reading it: the same answers as on arrays of calls, and as the plain window search.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { alignTraces, outcomeClass } from '../../../src/engine/trace/align.js'
import {
  ARGS_MAX,
  TEXT_MAX,
  VALUE_MAX,
  parseTrace,
  type CallOutcome,
  type TracedCall
} from '../../../src/engine/trace/syscall-trace.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../__fixtures__/traces/${name}`, import.meta.url), 'latin1')
const UNIKRAFT = fixture('unikraft-0.16.3-trace-hello3.log')
const LINUX = fixture('linux-strace-hello3.txt')

describe('the call store', () => {
  it('builds .calls on first use, the same objects get(i) builds; JSON has the calls, not the store', () => {
    const t = parseTrace(LINUX)
    const store = t.store!
    expect(store.length).toBe(17)
    expect(store.name(8)).toBe('readlink')
    expect(store.outcome(8)).toEqual({ kind: 'ok', value: '9' })
    expect(t.calls).toBe(t.calls)
    t.calls.forEach((c, i) => expect(store.get(i)).toEqual(c))
    expect(Object.keys(JSON.parse(JSON.stringify(t)))).toEqual(['calls', 'unreadable', 'truncated'])
    expect({ ...t }.calls).toHaveLength(17)
    // Calls set by hand replace the store's.
    t.calls = t.calls.slice(0, 3)
    expect(t.store).toBeUndefined()
    expect(alignTraces(t, t, { unikraftStopped: false }).matched).toBe(3)
  })

  it('clips long arguments, results and lines (the evidence keeps the start and the result)', () => {
    const long = `writev(1, [${'{iov_base="ab", iov_len=2}, '.repeat(40)}], 40) = ${'7'.repeat(100)} (bytes)`
    const glued = `${'app output '.repeat(50)}read(0, "${'y'.repeat(400)}", 400) = -1 EAGAIN (Resource temporarily unavailable)`
    const [a, b] = parseTrace(`${long}\n${glued}`).calls
    expect(a.name).toBe('writev')
    expect(a.args).toHaveLength(ARGS_MAX)
    expect(a.args.endsWith('…')).toBe(true)
    expect(a.outcome).toEqual({ kind: 'ok', value: '7'.repeat(VALUE_MAX - 1) + '…' })
    expect(a.text).toHaveLength(TEXT_MAX)
    expect(a.text).toMatch(/^writev\(1, \[\{iov_base=.*…7+ \(bytes\)$/)
    expect(b).toMatchObject({ name: 'read', outcome: { kind: 'error', errno: 'EAGAIN', code: 11 }, line: 2 })
    expect(b.text.startsWith('read(0, "yyy')).toBe(true)
    expect(b.text.endsWith(') = -1 EAGAIN (Resource temporarily unavailable)')).toBe(true)
    expect(b.text.length).toBeLessThanOrEqual(TEXT_MAX)
  })
})

/** alignTraces' window search as first written (O(WINDOW²) per step): the reference. */
function referenceWalk(
  L: readonly TracedCall[],
  U: readonly TracedCall[]
): { matched: number; first: number[] | null } {
  const W = 48
  const ignorable = (n: string) => ['set_robust_list', 'rseq', 'execve'].includes(n)
  let i = 0
  let j = 0
  let matched = 0
  let first: number[] | null = null
  while (i < L.length && j < U.length) {
    if (L[i].name === U[j].name) {
      matched++
      if (!first && !ignorable(L[i].name) && outcomeClass(L[i].outcome) !== outcomeClass(U[j].outcome))
        first = [i, j]
      i++
      j++
      continue
    }
    let found = false
    for (let d = 1; d < 2 * W && !found; d++) {
      for (let k = Math.max(0, d - W + 1); k <= Math.min(d, W - 1); k++) {
        const l = d - k
        if (i + k < L.length && j + l < U.length && L[i + k].name === U[j + l].name) {
          i += k
          j += l
          found = true
          break
        }
      }
    }
    if (!found) {
      i++
      j++
    }
  }
  return { matched, first }
}

describe('alignTraces on stores', () => {
  it('gives the same alignment from stores, ParsedTraces and arrays', () => {
    const linux = parseTrace(LINUX)
    const uk = parseTrace(UNIKRAFT)
    const fromArrays = alignTraces(linux.calls, uk.calls, { unikraftStopped: false })
    expect(
      alignTraces(parseTrace(LINUX).store!, parseTrace(UNIKRAFT).store!, { unikraftStopped: false })
    ).toEqual(fromArrays)
    expect(alignTraces(parseTrace(LINUX), parseTrace(UNIKRAFT), { unikraftStopped: false })).toEqual(
      fromArrays
    )
    expect(fromArrays.divergence?.syscall).toBe('readlink')
  })

  it('pairs calls as the plain window search does, on random traces with extra and missing calls', () => {
    let seed = 5
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n
    const names = [
      'read',
      'write',
      'futex',
      'ioctl',
      'brk',
      'mmap',
      'set_robust_list',
      'execve',
      'not_a_syscall'
    ]
    const outcomes: CallOutcome[] = [
      { kind: 'ok', value: '0' },
      { kind: 'error', errno: 'ENOSYS', code: 38 },
      { kind: 'error', errno: 'EAGAIN', code: 11 },
      { kind: 'none' }
    ]
    const call = (alphabet: number): TracedCall => ({
      name: names[rnd(alphabet)],
      args: '',
      outcome: outcomes[rnd(4)],
      line: 1,
      text: '',
      pid: null
    })
    for (let run = 0; run < 300; run++) {
      const alphabet = 1 + rnd(names.length)
      const base = Array.from({ length: rnd(400) }, () => call(alphabet))
      const noisy = () =>
        base.flatMap(c =>
          rnd(12) === 0
            ? []
            : rnd(9) === 0
              ? [c, ...Array.from({ length: 1 + rnd(70) }, () => call(alphabet))]
              : [c]
        )
      const L = noisy()
      const U = noisy().map(c => (rnd(25) === 0 ? { ...c, outcome: outcomes[rnd(4)] } : c))
      const a = alignTraces(L, U, { unikraftStopped: false })
      const want = referenceWalk(L, U)
      expect(a.matched).toBe(want.matched)
      expect(a.divergence ? [a.divergence.linuxIndex, a.divergence.unikraftIndex] : null).toEqual(want.first)
    }
  })
})
