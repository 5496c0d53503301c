// The shape of one entry of the finding catalog (catalog.ts assembles the entries of every family).
import type { Severity } from '../finding.js'

export interface CatalogEntry {
  severity: Severity
  /** What the finding means, one sentence. */
  meaning: string
  /** A typical evidence line. */
  example: string
  /** What to do; `detail` is the finding's detail (library name, trap name, ...) when known. */
  hint: (detail: string | null) => string
}

/** The detail when there is one, else a general wording. */
export const about = (detail: string | null, fallback: string): string => detail ?? fallback
