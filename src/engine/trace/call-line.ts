// The reference reader of one trace line, of either tracer: Unikraft's syscall shim (`name(args) =
// result`, possibly glued to app output) and Linux's `strace -f` (`[pid] name(args) = result`).
// Regular expressions, clear rather than fast: the scanner (call-scanner.ts) reads the common line
// itself and hands every other candidate line here, so both always give the same answer.
import { errnoCode, errnoName } from '../diagnose/errno.js'
import { LINUX_SYSCALLS } from '../diagnose/linux-syscalls.js'
import {
  ARGS_MAX,
  NAMES,
  TEXT_MAX,
  VALUE_MAX,
  clipHead,
  clipText,
  flat,
  nameId,
  okValue
} from './call-store.js'
import type { CallOutcome, TracedCall } from './traced-call.js'

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g
/** A call's start: a known system call name and `(`, anywhere on the line (app output may precede it). */
const CALL_START = /([a-z_][a-z0-9_]{1,30})\(/g
/** A line that starts like a call: counted as unreadable when it does not parse. */
export const CALL_LIKE = /^\s*(?:\[pid\s+\d+\]\s+|\d+\s+)?[a-z_0-9]+\(/

/** `Function not implemented (-38)`, `-1 ENOENT (No such file or directory)`, `0x0`, `OK`, `?`. */
function readOutcome(result: string): CallOutcome | null {
  const r = result.trim()
  if (r === '?') return { kind: 'none' }
  // Plain values (most calls): a number, 0x..., OK, va:0x...
  if (/^(?:0x[0-9a-f]+|\d+|OK|va:0x[0-9a-f]+)$/.test(r)) return okValue(clipHead(r, VALUE_MAX))
  const uk = /\(-(\d{1,4})\)$/.exec(r)
  if (uk) return { kind: 'error', errno: errnoName(Number(uk[1])), code: Number(uk[1]) }
  const linux = /^-1 (E[A-Z0-9]+)\b/.exec(r)
  if (linux) {
    return { kind: 'error', errno: linux[1], code: errnoCode(linux[1]) }
  }
  if (/^-\d+ E[A-Z]/.test(r)) return null
  return r === '' ? null : okValue(clipHead(r.split(/\s+\(/)[0], VALUE_MAX))
}

/**
 * One traced call from a line of either tracer, or null. The call is the last known system call
 * name on the line whose `(...) = result` closes it, so app output printed without a newline before
 * it (`hellowrite(fd:1, ...) = 6`) does not hide it.
 */
const RESUMED = /^<\.\.\. ([a-z_][a-z0-9_]*) resumed>\s*(.*)$/

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
  // strace -f splits a call another thread interrupted: `name(args <unfinished ...>`, later
  // `<... name resumed>rest) = result`. The call is read from its second half (name, the rest of
  // its arguments after an ellipsis, the result); the first half has no result and is skipped.
  const resumed = RESUMED.exec(text)
  if (resumed) text = `${resumed[1]}(…${resumed[2]}`
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
  let outcome = readOutcome(text.slice(eq + 3))
  if (!outcome) return null
  let args = clipHead(text.slice(start + name.length + 1, close).trim(), ARGS_MAX)
  let evidence = clipText(text.slice(start).trim())
  // A long line (app output before the call): keep no slice of it alive.
  if (raw.length > TEXT_MAX) {
    args = flat(args)
    evidence = flat(evidence)
    if (outcome.kind === 'ok') outcome = okValue(flat(outcome.value))
    else if (outcome.kind === 'error') outcome = { ...outcome, errno: flat(outcome.errno) }
  }
  return { name: NAMES[nameId(name)], args, outcome, line, text: evidence, pid }
}
