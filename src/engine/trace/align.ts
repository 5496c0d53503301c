// Aligns the Linux baseline's trace with Unikraft's and finds the first system call where they
// differ in a way that matters. Both sides run the same binary with the same arguments, so their
// sequences match call by call except for start-up noise (the loader's work, glibc's probes, calls
// one kernel makes and the other does not). Alignment walks both sequences together and, where the
// names part, looks ahead a bounded window for the nearest common call: linear in the trace length
// (times the window), never quadratic, so two 100 000-call traces align in well under a second.
import { TOLERATED_SYSCALLS } from '../diagnose/syscall-evidence.js'
import type { CallOutcome, TracedCall } from './syscall-trace.js'

export interface Divergence {
  /** `same-call`: both made it, the outcomes differ; `unreached`: Linux made it, Unikraft had stopped. */
  kind: 'same-call' | 'unreached'
  syscall: string
  args: string
  linux: string
  unikraft: string | null
  linuxIndex: number
  unikraftIndex: number | null
  /** The two calls as the traces printed them. */
  evidence: { linux: TracedCall; unikraft: TracedCall | null }
}

export interface Alignment {
  /** Pairs of indexes (linux, unikraft) the walk matched. */
  matched: number
  divergence: Divergence | null
  /** Every call Unikraft answered ENOSYS, with how often (tolerated glibc probes included, marked). */
  unsupported: { syscall: string; count: number; tolerated: boolean }[]
}

/** How far ahead the walk looks for the next common call when the names part. */
const WINDOW = 48

/** `ok`, or the errno: the part of an outcome that must agree (values such as fds and addresses may not). */
export function outcomeClass(o: CallOutcome): string {
  return o.kind === 'error' ? o.errno : o.kind === 'none' ? 'none' : 'ok'
}

export function describeOutcome(o: CallOutcome): string {
  if (o.kind === 'error') return o.code !== null ? `${o.errno} (-${o.code})` : o.errno
  return o.kind === 'none' ? '? (does not return)' : o.value
}

/** Calls whose difference is no incompatibility: glibc probes and tolerates them, or the kernel's own loader. */
function ignorable(name: string): boolean {
  return TOLERATED_SYSCALLS.has(name) || name === 'execve'
}

export function alignTraces(
  linux: readonly TracedCall[],
  unikraft: readonly TracedCall[],
  o: { unikraftStopped: boolean }
): Alignment {
  // Names as small integers: the inner loop compares numbers.
  const ids = new Map<string, number>()
  const id = (n: string): number => {
    let v = ids.get(n)
    if (v === undefined) ids.set(n, (v = ids.size))
    return v
  }
  const L = Int32Array.from(linux, c => id(c.name))
  const U = Int32Array.from(unikraft, c => id(c.name))
  let i = 0
  let j = 0
  let matched = 0
  let divergence: Divergence | null = null
  while (i < L.length && j < U.length) {
    if (L[i] === U[j]) {
      matched++
      const a = linux[i]
      const b = unikraft[j]
      if (!divergence && !ignorable(a.name) && outcomeClass(a.outcome) !== outcomeClass(b.outcome)) {
        divergence = {
          kind: 'same-call',
          syscall: a.name,
          args: b.args || a.args,
          linux: describeOutcome(a.outcome),
          unikraft: describeOutcome(b.outcome),
          linuxIndex: i,
          unikraftIndex: j,
          evidence: { linux: a, unikraft: b }
        }
      }
      i++
      j++
      continue
    }
    // Nearest common call within the window: smallest k + l with L[i+k] === U[j+l].
    let found = false
    for (let d = 1; d < 2 * WINDOW && !found; d++) {
      for (let k = Math.max(0, d - WINDOW + 1); k <= Math.min(d, WINDOW - 1); k++) {
        const l = d - k
        if (i + k < L.length && j + l < U.length && L[i + k] === U[j + l]) {
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
  // Unikraft stopped (crashed, aborted) where Linux went on: the first call it never reached.
  if (!divergence && o.unikraftStopped && j >= U.length && i < L.length) {
    while (i < L.length && ignorable(linux[i].name)) i++
    if (i < L.length) {
      const a = linux[i]
      divergence = {
        kind: 'unreached',
        syscall: a.name,
        args: a.args,
        linux: describeOutcome(a.outcome),
        unikraft: null,
        linuxIndex: i,
        unikraftIndex: null,
        evidence: { linux: a, unikraft: null }
      }
    }
  }
  const counts = new Map<string, number>()
  for (const c of unikraft)
    if (c.outcome.kind === 'error' && c.outcome.errno === 'ENOSYS')
      counts.set(c.name, (counts.get(c.name) ?? 0) + 1)
  const unsupported = [...counts].map(([syscall, count]) => ({
    syscall,
    count,
    tolerated: TOLERATED_SYSCALLS.has(syscall)
  }))
  return { matched, divergence, unsupported }
}
