// Aligns the Linux baseline's trace with Unikraft's and finds the first system call where they
// differ in a way that matters. Both sides run the same binary with the same arguments, so their
// sequences match call by call except for start-up noise (the loader's work, glibc's probes, calls
// one kernel makes and the other does not). Alignment walks both sequences together and, where the
// names part, looks ahead a bounded window for the nearest common call: linear in the trace length
// (times the window), never quadratic, so two 100 000-call traces align in well under a second.
// It reads names and outcome classes as numbers (from a CallStore without building any object);
// only the divergence's two calls become TracedCall objects.
import { TOLERATED_SYSCALLS } from '../diagnose/syscall-evidence.js'
import { CallStore, ENOSYS_CLASS, FIRST_OTHER_NAME_ID, NAMES, classOf, nameId } from './call-store.js'
import type { CallOutcome, ParsedTrace, TracedCall } from './syscall-trace.js'

/** One side's calls: an array, a CallStore, or a ParsedTrace (its store when it has one). */
export type CallSource = readonly TracedCall[] | CallStore | ParsedTrace

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
  /** How many Unikraft calls have this name and outcome (a retry loop, one per request...). */
  repeats: number
}

export interface Alignment {
  /** Pairs of indexes (linux, unikraft) the walk matched. */
  matched: number
  /** The divergence that matters (see pickDivergence); null when the traces agree. */
  divergence: Divergence | null
  /** Every divergence found, in trace order, start-up noise left out (at most MAX_DIVERGENCES). */
  divergences: Divergence[]
  /** Every call Unikraft answered ENOSYS, with how often (tolerated glibc probes included, marked). */
  unsupported: { syscall: string; count: number; tolerated: boolean }[]
}

/** How far ahead the walk looks for the next common call when the names part. */
const WINDOW = 48
/** Divergences kept (distinct by call, outcome and path); a trace's first ones are the telling ones. */
const MAX_DIVERGENCES = 64
/** Differing calls looked at (each builds two objects) before the walk stops collecting. */
const MAX_EXAMINED = 4096

/**
 * Paths the C library probes at every start and does without: a difference there is start-up
 * noise, not the app's. glibc reads the online CPUs from /sys (get_nprocs, malloc's arenas) and
 * falls back to sched_getaffinity; it asks nscd over a Unix socket before reading /etc/passwd.
 */
const NOISE_PATHS = [
  '/sys/devices/system/cpu/online',
  '/sys/devices/system/cpu/possible',
  '/sys/devices/system/cpu',
  '/proc/sys/vm/overcommit_memory',
  '/proc/sys/kernel/rtsig-max',
  '/var/run/nscd/socket',
  '/run/nscd/socket'
]

/** The first quoted argument of a call (its path, for open/stat/connect...), if any. */
export function pathArgument(args: string): string | null {
  const m = /"((?:[^"\\]|\\.)*)"/.exec(args)
  return m ? m[1] : null
}

/**
 * Start-up noise: a probe of the C library (NOISE_PATHS), or glibc's nscd client socket
 * (socket(AF_UNIX) that Linux then connects to nscd's path and Unikraft refuses).
 */
function isNoise(a: TracedCall, nextLinux: TracedCall | null): boolean {
  const path = pathArgument(a.args)
  if (path !== null && NOISE_PATHS.includes(path)) return true
  if (a.name === 'socket' && /^(AF_UNIX|AF_LOCAL|1)\b/.test(a.args) && nextLinux?.name === 'connect') {
    const to = pathArgument(nextLinux.args)
    return to !== null && NOISE_PATHS.includes(to)
  }
  return false
}

/**
 * The divergence that matters among those found (in trace order). An app that passed: the first.
 * One that failed: where Unikraft stopped on its own (crash, exit), the last before the stop, the
 * closest to it; where it ran on until stopped (a request failing each time, a retry loop), the one
 * Unikraft repeated most, the earliest on a tie.
 */
export function pickDivergence(
  found: readonly Divergence[],
  o: { appFailed: boolean; unikraftStopped: boolean }
): Divergence | null {
  if (found.length === 0) return null
  if (!o.appFailed) return found[0]
  if (o.unikraftStopped) return found[found.length - 1]
  return found.reduce((best, d) => (d.repeats > best.repeats ? d : best), found[0])
}

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

/** A side as numbers: name ids and outcome classes per call. */
interface Side {
  ids: Int32Array
  classes: Int32Array
  name(i: number): string
  get(i: number): TracedCall
}

function sideOf(source: CallSource, others: Map<string, number>): Side {
  const idOf = (name: string): number => {
    const id = nameId(name)
    if (id >= 0) return id
    let v = others.get(name)
    if (v === undefined) others.set(name, (v = FIRST_OTHER_NAME_ID + others.size))
    return v
  }
  const store =
    source instanceof CallStore ? source : Array.isArray(source) ? null : (source as ParsedTrace).store
  if (store) {
    const n = store.length
    const ids = new Int32Array(n)
    const classes = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const id = store.nameId(i)
      ids[i] = id >= 0 ? id : idOf(store.name(i))
      classes[i] = store.outcomeClass(i)
    }
    return { ids, classes, name: i => store.name(i), get: i => store.get(i) }
  }
  const calls: readonly TracedCall[] = Array.isArray(source) ? source : (source as ParsedTrace).calls
  const ids = new Int32Array(calls.length)
  const classes = new Int32Array(calls.length)
  for (let i = 0; i < calls.length; i++) {
    ids[i] = idOf(calls[i].name)
    classes[i] = classOf(calls[i].outcome)
  }
  return { ids, classes, name: i => calls[i].name, get: i => calls[i] }
}

export function alignTraces(
  linuxCalls: CallSource,
  unikraftCalls: CallSource,
  o: { unikraftStopped: boolean; appFailed?: boolean }
): Alignment {
  const others = new Map<string, number>()
  const linux = sideOf(linuxCalls, others)
  const unikraft = sideOf(unikraftCalls, others)
  const L = linux.ids
  const U = unikraft.ids
  // Which name ids are ignorable, and a scratch table (first offset of a name in Unikraft's window).
  const idCount = FIRST_OTHER_NAME_ID + others.size
  const skip = new Uint8Array(idCount)
  for (let id = 0; id < NAMES.length; id++) if (NAMES[id] !== '' && ignorable(NAMES[id])) skip[id] = 1
  for (const [name, id] of others) if (ignorable(name)) skip[id] = 1
  const firstInWindow = new Int32Array(idCount).fill(-1)
  let i = 0
  let j = 0
  let matched = 0
  const found: Divergence[] = []
  const seen = new Set<string>()
  let examined = 0
  while (i < L.length && j < U.length) {
    if (L[i] === U[j]) {
      matched++
      if (
        skip[L[i]] === 0 &&
        linux.classes[i] !== unikraft.classes[j] &&
        found.length < MAX_DIVERGENCES &&
        examined++ < MAX_EXAMINED
      ) {
        const a = linux.get(i)
        const b = unikraft.get(j)
        const path = pathArgument(a.args)
        const ukPath = pathArgument(b.args)
        // The same call on other paths is the walk pairing two different opens, not a difference.
        const otherPath = path !== null && ukPath !== null && path !== ukPath
        const key = `${a.name}\0${unikraft.classes[j]}\0${path ?? ''}`
        if (!otherPath && !seen.has(key) && !isNoise(a, i + 1 < L.length ? linux.get(i + 1) : null)) {
          found.push({
            kind: 'same-call',
            syscall: a.name,
            // strace decodes arguments (IPPROTO_TCP, TCP_CORK); the shim prints numbers.
            args: a.args || b.args,
            linux: describeOutcome(a.outcome),
            unikraft: describeOutcome(b.outcome),
            linuxIndex: i,
            unikraftIndex: j,
            evidence: { linux: a, unikraft: b },
            repeats: 0
          })
        }
        seen.add(key)
      }
      i++
      j++
      continue
    }
    // Nearest common call within the window: smallest k + l with L[i+k] === U[j+l] (then smallest
    // k), from the first offset of each name in U's window: O(WINDOW), not O(WINDOW²).
    const lMax = Math.min(WINDOW - 1, U.length - 1 - j)
    const kMax = Math.min(WINDOW - 1, L.length - 1 - i)
    for (let l = lMax; l >= 0; l--) firstInWindow[U[j + l]] = l
    let best = Infinity
    let bestK = 0
    let bestL = 0
    for (let k = 0; k <= kMax && k < best; k++) {
      const l = firstInWindow[L[i + k]]
      if (l >= 0 && k + l < best) {
        best = k + l
        bestK = k
        bestL = l
      }
    }
    for (let l = 0; l <= lMax; l++) firstInWindow[U[j + l]] = -1
    if (best !== Infinity) {
      i += bestK
      j += bestL
    } else {
      i++
      j++
    }
  }
  // Unikraft stopped (crashed, aborted) where Linux went on: the first call it never reached.
  if (found.length === 0 && o.unikraftStopped && j >= U.length && i < L.length) {
    while (i < L.length && skip[L[i]] === 1) i++
    if (i < L.length) {
      const a = linux.get(i)
      found.push({
        kind: 'unreached',
        syscall: a.name,
        args: a.args,
        linux: describeOutcome(a.outcome),
        unikraft: null,
        linuxIndex: i,
        unikraftIndex: null,
        evidence: { linux: a, unikraft: null },
        repeats: 0
      })
    }
  }
  // How often Unikraft made each divergent call with the same outcome (one pass over its classes).
  // Keys are numbers (name id and outcome class packed): no string per call on long traces.
  const keyAt = (k: number): number => U[k] * 0x10000 + (unikraft.classes[k] & 0xffff)
  const wanted = new Map<number, Divergence[]>()
  for (const d of found) {
    if (d.unikraftIndex === null) continue
    const k = keyAt(d.unikraftIndex)
    wanted.set(k, [...(wanted.get(k) ?? []), d])
  }
  if (wanted.size > 0) {
    for (let k = 0; k < U.length; k++) {
      const ds = wanted.get(keyAt(k))
      if (ds) for (const d of ds) d.repeats++
    }
  }
  const divergence = pickDivergence(found, {
    appFailed: o.appFailed ?? false,
    unikraftStopped: o.unikraftStopped
  })
  const unsupported = enosysCalls(unikraft)
  return { matched, divergence, divergences: found, unsupported }
}

/** Every call a side answered ENOSYS, with how often, in order of the first; glibc's probes marked tolerated. */
export function unsupportedCalls(source: CallSource): Alignment['unsupported'] {
  return enosysCalls(sideOf(source, new Map()))
}

function enosysCalls(side: Side): Alignment['unsupported'] {
  const counts = new Map<string, number>()
  for (let k = 0; k < side.classes.length; k++) {
    if (side.classes[k] === ENOSYS_CLASS) {
      const name = side.name(k)
      counts.set(name, (counts.get(name) ?? 0) + 1)
    }
  }
  return [...counts].map(([syscall, count]) => ({
    syscall,
    count,
    tolerated: TOLERATED_SYSCALLS.has(syscall)
  }))
}
