// A finding: one named thing that went wrong (or a note worth showing), with its evidence and a fix.
// Ids are stable and documented in docs/findings.md; outputs, annotations and allow-lists use them.

export type Severity = 'error' | 'warning' | 'note'

/** Where a finding came from. */
export type FindingSource = 'console' | 'qemu' | 'preflight' | 'probe' | 'baseline' | 'setup' | 'trace'

export interface Finding {
  /** Stable id, e.g. `loader.missing-library`. */
  id: string
  severity: Severity
  /** 1-based line number in the console log (or the file named by `file`), when known. */
  line: number | null
  /** The evidence: the log line (ANSI stripped) or what preflight saw. */
  evidence: string
  /** The specific thing: library name, interpreter path, syscall names, trap name, status, version. */
  detail: string | null
  /** What to do about it. */
  hint: string
  source: FindingSource
  /** Extra structured data (e.g. `{ version, codename, commit }` for boot.banner). */
  data?: Record<string, string | number | boolean | string[] | null>
  /** Set when an allow-list turned an error into a note. */
  allowed?: boolean
}
