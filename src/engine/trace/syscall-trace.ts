// System-call traces of both sides in one model: Unikraft's syscall shim (`LIBSYSCALL_SHIM_STRACE`,
// lib/syscall_shim/uk_prsyscall.c: `name(args) = result`, one console line per call, after it
// returns, mixed into the app's own output) and Linux's `strace -f` (`[pid] name(args) = result`).
// Parsing streams line by line, never throws, and keeps memory bounded: a trace past `maxCalls`
// is cut and says so.
import { errnoCode, errnoName } from '../diagnose/errno.js'
import { LINUX_SYSCALLS } from '../diagnose/linux-syscalls.js'

/** What a call returned: a value, an error (errno name and number), or nothing (exit_group). */
export type CallOutcome =
  { kind: 'ok'; value: string } | { kind: 'error'; errno: string; code: number | null } | { kind: 'none' }

export interface TracedCall {
  name: string
  /** The arguments as the tracer printed them. */
  args: string
  outcome: CallOutcome
  /** 1-based line of the trace (console log or strace output). */
  line: number
  /** The line as printed, for evidence (ANSI and CR removed). */
  text: string
  pid: number | null
}

export interface ParsedTrace {
  calls: TracedCall[]
  /** Lines that looked like a call but could not be read (garbage, a line cut mid-call). */
  unreadable: number
  /** True when the trace had more calls than `maxCalls` and the rest were dropped. */
  truncated: boolean
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g
/** A call's start: a known system call name and `(`, anywhere on the line (app output may precede it). */
const CALL_START = /([a-z_][a-z0-9_]{1,30})\(/g

/** `Function not implemented (-38)`, `-1 ENOENT (No such file or directory)`, `0x0`, `OK`, `?`. */
function readOutcome(result: string): CallOutcome | null {
  const r = result.trim()
  if (r === '?') return { kind: 'none' }
  // Plain values (most calls): a number, 0x..., OK, va:0x...
  if (/^(?:0x[0-9a-f]+|\d+|OK|va:0x[0-9a-f]+)$/.test(r)) return { kind: 'ok', value: r }
  const uk = /\(-(\d{1,4})\)$/.exec(r)
  if (uk) return { kind: 'error', errno: errnoName(Number(uk[1])), code: Number(uk[1]) }
  const linux = /^-1 (E[A-Z0-9]+)\b/.exec(r)
  if (linux) {
    return { kind: 'error', errno: linux[1], code: errnoCode(linux[1]) }
  }
  if (/^-\d+ E[A-Z]/.test(r)) return null
  return r === '' ? null : { kind: 'ok', value: r.split(/\s+\(/)[0] }
}

/**
 * One traced call from a line of either tracer, or null. The call is the last known system call
 * name on the line whose `(...) = result` closes it, so app output printed without a newline before
 * it (`hellowrite(fd:1, ...) = 6`) does not hide it.
 */
export function parseCallLine(raw: string, line: number): TracedCall | null {
  let text = raw
  if (text.includes('\x1b')) text = text.replace(ANSI, '')
  if (text.includes('\r')) text = text.replace(/\r/g, '')
  let pid: number | null = null
  const c0 = text.charCodeAt(0)
  if (c0 === 91 /* [ */ || (c0 >= 48 && c0 <= 57)) {
    const pidPrefix = /^(?:\[pid\s+(\d+)\]|(\d+))\s+/.exec(text)
    if (pidPrefix) {
      pid = Number(pidPrefix[1] ?? pidPrefix[2])
      text = text.slice(pidPrefix[0].length)
    }
  }
  const eq = text.lastIndexOf(' = ')
  if (eq < 0) return null
  let start = -1
  let name = ''
  // The common case: the line starts with the call.
  const paren = text.indexOf('(')
  if (paren > 0 && paren < eq && LINUX_SYSCALLS.has(text.slice(0, paren))) {
    start = 0
    name = text.slice(0, paren)
  }
  CALL_START.lastIndex = 0
  for (
    let m = start < 0 ? CALL_START.exec(text) : null;
    m && m.index < eq && start < 0;
    m = CALL_START.exec(text)
  ) {
    // The name may have app output glued before it (`hellowrite(`): its longest known suffix.
    for (let k = 0; k < m[1].length - 2; k++) {
      if (LINUX_SYSCALLS.has(m[1].slice(k))) {
        start = m.index + k
        name = m[1].slice(k)
        break
      }
    }
  }
  if (start < 0) return null
  const close = text.lastIndexOf(')', eq)
  if (close < start + name.length) return null
  const outcome = readOutcome(text.slice(eq + 3))
  if (!outcome) return null
  return {
    name,
    args: text.slice(start + name.length + 1, close).trim(),
    outcome,
    line,
    text: text.slice(start).trim(),
    pid
  }
}

export interface ParseOptions {
  /** At most this many calls are kept (default 1 000 000); the rest are counted as dropped. */
  maxCalls?: number
}

/** Every call of a trace (a console log or strace's output); never throws. */
export function parseTrace(text: string, opts: ParseOptions = {}): ParsedTrace {
  const max = opts.maxCalls ?? 1_000_000
  const calls: TracedCall[] = []
  let unreadable = 0
  let truncated = false
  let n = 0
  let from = 0
  while (from <= text.length) {
    let to = text.indexOf('\n', from)
    if (to < 0) to = text.length
    n++
    const raw = text.slice(from, to)
    from = to + 1
    // Cheap filter first: a call line has ` = ` and `(`.
    if (raw.length < 6 || raw.indexOf(' = ') < 0 || raw.indexOf('(') < 0) continue
    const call = parseCallLine(raw, n)
    if (!call) {
      if (/^\s*(?:\[pid\s+\d+\]\s+|\d+\s+)?[a-z_0-9]+\(/.test(raw)) unreadable++
      continue
    }
    if (calls.length >= max) {
      truncated = true
      break
    }
    calls.push(call)
  }
  return { calls, unreadable, truncated }
}
