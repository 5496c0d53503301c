// What a parse of a whole trace returns (ParsedTrace), and the one place that builds it from a
// scanner's store: `calls` as a lazy, settable property over the compact store, `store` hidden
// from enumeration (so tests and JSON see plain calls).
import type { CallScanner } from './call-scanner.js'
import type { CallStore } from './call-store.js'
import type { TracedCall } from './traced-call.js'

export interface ParsedTrace {
  /**
   * Every call, in order. From parseTrace and parseTraceFile this array is built on first use
   * from `store`: code that reads a long trace once (alignTraces) is faster on `store`.
   */
  calls: TracedCall[]
  /** Lines that looked like a call but could not be read (garbage, a line cut mid-call). */
  unreadable: number
  /** True when the trace was cut: more calls than `maxCalls` (parseTraceFile: or bytes than `maxBytes`). */
  truncated: boolean
  /** The same calls in compact form (parseTrace, parseTraceFile); not enumerable. */
  store?: CallStore
}

/** The ParsedTrace of a scanner's calls (with `more` fields); `calls` is built on first use. */
export function parsedTrace<T extends object>(scanner: CallScanner, more: T): ParsedTrace & T {
  const store = scanner.store
  let calls: TracedCall[] | null = null
  const r = {} as ParsedTrace & T
  Object.defineProperty(r, 'calls', {
    enumerable: true,
    configurable: true,
    get: () => (calls ??= store.toArray()),
    // Calls set by hand replace the store's (which would no longer say the same).
    set: (v: TracedCall[]) => {
      calls = v
      r.store = undefined
    }
  })
  r.unreadable = scanner.unreadable
  r.truncated = scanner.truncated
  Object.assign(r, more)
  Object.defineProperty(r, 'store', { value: store, enumerable: false, writable: true, configurable: true })
  return r
}
