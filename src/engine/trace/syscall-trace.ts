// System-call traces of both sides in one model: Unikraft's syscall shim (`LIBSYSCALL_SHIM_STRACE`,
// lib/syscall_shim/uk_prsyscall.c: `name(args) = result`, one console line per call, after it
// returns, mixed into the app's own output) and Linux's `strace -f` (`[pid] name(args) = result`).
// Parsing never throws and keeps memory bounded: a trace past `maxCalls` is cut and says so, each
// call's strings are clipped (args to ARGS_MAX, the evidence line to TEXT_MAX characters), and the
// calls are kept compactly (call-store.ts) until someone asks for them as objects.
//
// The pieces: the call model (traced-call.ts), the reference line parser (call-line.ts), the fast
// scanner (call-scanner.ts), the compact store (call-store.ts) and the ParsedTrace built over it
// (parsed-trace.ts). This module is their entry point and re-exports what callers import from it.
import { CallScanner } from './call-scanner.js'
import { parsedTrace, type ParsedTrace } from './parsed-trace.js'

export { ARGS_MAX, CallStore, TEXT_MAX, VALUE_MAX } from './call-store.js'
export { parseCallLine } from './call-line.js'
export { CallScanner, type ByteSource } from './call-scanner.js'
export { parsedTrace, type ParsedTrace } from './parsed-trace.js'
export type { CallOutcome, TracedCall } from './traced-call.js'

export interface ParseOptions {
  /** At most this many calls are kept (default 1 000 000); the rest are counted as dropped. */
  maxCalls?: number
}

/** Every call of a trace (a console log or strace's output); never throws. */
export function parseTrace(text: string, opts: ParseOptions = {}): ParsedTrace {
  const scanner = new CallScanner(opts.maxCalls ?? 1_000_000, text)
  scanner.scan(text, 0, text.length, true, null)
  return parsedTrace(scanner, {})
}
