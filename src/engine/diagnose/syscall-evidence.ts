// Evidence of unsupported system calls and fork, in the three forms a log can show it:
// the strace build (`name(args) = Function not implemented (-38)`, lib/syscall_shim/uk_prsyscall.c),
// the debug build (`syscall "name" is not available`), and the app's own error messages
// (`sendfile() failed (38: Function not implemented)`), where the call name is recognised from the
// Linux system call table.
import { LINUX_SYSCALLS } from './linux-syscalls.js'

/** glibc probes these at every start and copes without them. */
export const TOLERATED_SYSCALLS: ReadonlySet<string> = new Set(['set_robust_list', 'rseq', 'clone3'])

export interface StraceCall {
  name: string
  args: string
  /** What follows ` = `: `0x0`, `OK`, `Function not implemented (-38)`. */
  result: string
}

const STRACE_NAME = /^([a-z_][a-z0-9_]{0,39})\(/

/** A line of the syscall shim's strace output, or null. */
export function parseStraceLine(text: string): StraceCall | null {
  const m = STRACE_NAME.exec(text)
  if (!m) return null
  const eq = text.lastIndexOf(') = ')
  if (eq < m[0].length - 1) return null
  const result = text.slice(eq + 4).trim()
  if (result === '') return null
  return { name: m[1], args: text.slice(m[0].length, eq), result }
}

export function isEnosysResult(result: string): boolean {
  return result.startsWith('Function not implemented') || result.endsWith('(-38)')
}

/** clone without CLONE_VM (a fork) refused, or fork/vfork itself failing. */
export function isForkRefusal(call: StraceCall): boolean {
  const failed = /\(-\d{1,4}\)$/.test(call.result)
  if (!failed) return false
  if (call.name === 'fork' || call.name === 'vfork') return true
  return call.name === 'clone' && !call.args.includes('CLONE_VM') && call.result.endsWith('(-95)')
}

const DEBUG_UNAVAILABLE = /\b(?:syscall|system call) "([^"\s]{1,64})" is not available/i

/** `syscall "io_uring_setup" is not available` (debug builds) -> the name. */
export function debugUnavailableSyscall(msg: string): string | null {
  return DEBUG_UNAVAILABLE.exec(msg)?.[1] ?? null
}

const ENOSYS_TEXT = /Function not implemented|\bENOSYS\b|\berrno[ =:]{0,2}38\b/

/** An error message carrying ENOSYS in one of its usual spellings. */
export function mentionsEnosys(text: string): boolean {
  return ENOSYS_TEXT.test(text)
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]{1,39}/g

/**
 * System call names an error message mentions as calls: a known name followed by `(`, `:`, ` ->`
 * or ` failed` (`sendfile() failed`, `epoll_pwait2: Function not implemented`).
 */
export function syscallNamesIn(text: string): string[] {
  const names: string[] = []
  IDENTIFIER.lastIndex = 0
  for (let m = IDENTIFIER.exec(text); m; m = IDENTIFIER.exec(text)) {
    const name = m[0]
    if (!LINUX_SYSCALLS.has(name) || names.includes(name)) continue
    const after = text.slice(m.index + name.length, m.index + name.length + 8)
    if (/^(?:\(|:|\s?->|\s+failed)/.test(after)) names.push(name)
  }
  return names
}

const FORK_WORD = /\bv?fork\b/i
const REFUSED = /not supported|not implemented|\bENOSYS\b|\bEOPNOTSUPP\b/i

/** An app's message that fork failed because the kernel refused it. */
export function mentionsForkRefused(text: string): boolean {
  return FORK_WORD.test(text) && REFUSED.test(text)
}
