// What every family of console rules shares: the segment a rule looks at, the findings found so far
// (one per id and detail, or one per id), and small text helpers. Rules match messages, never source
// line numbers or file names.
import type { BannerInfo } from './banner.js'
import { FINDINGS, hintFor, type FindingId } from './catalog.js'
import type { Finding, Severity } from '../finding.js'
import type { KernelLevel } from './kernel-line.js'

export interface Segment {
  line: number
  text: string
  level: KernelLevel | null
  lib: string | null
  msg: string
  /** `text` in lower case, computed on first use (rules guard their regexes with cheap tests). */
  lower?: string
}

export const lowerOf = (seg: Segment): string => (seg.lower ??= seg.text.toLowerCase())

export interface Seen {
  line: number
  evidence: string
}

export const seenOf = (seg: Segment): Seen => ({ line: seg.line, evidence: seg.text })

/** A family's rule: claims the segment (true) or leaves it to the next rule. */
export type Rule = (seg: Segment) => boolean

/** Longest evidence kept (a whole line usually fits). */
const MAX_EVIDENCE = 500

export const clip = (text: string, max = MAX_EVIDENCE): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text

export interface AddOptions {
  severity?: Severity
  data?: Finding['data']
  /** One finding for the id, whatever the detail (the first one wins). */
  once?: boolean
}

/** The console's findings so far, in the order found. */
export class FindingSink {
  private readonly found = new Map<string, Finding>()
  private level: KernelLevel | null = null
  /** The last finding made from a CRIT line: an explicit crash prints its reason that way. */
  lastCrit: { key: string; line: number } | null = null

  /** The level of the segment the rules look at next (it decides lastCrit); null once all are read. */
  begin(level: KernelLevel | null): void {
    this.level = level
  }

  /** Adds a finding unless the same id (and detail, unless `once`) is there; returns its key. */
  add(id: FindingId, seen: Seen | null, detail: string | null, extra: AddOptions = {}): string {
    const key = extra.once ? id : `${id}\u0000${detail ?? ''}`
    if (this.found.has(key)) return key
    const finding: Finding = {
      id,
      severity: extra.severity ?? FINDINGS[id].severity,
      line: seen?.line ?? null,
      evidence: clip(seen?.evidence ?? ''),
      detail: detail === null ? null : clip(detail, 200),
      hint: hintFor(id, detail),
      source: 'console'
    }
    if (extra.data) finding.data = extra.data
    this.found.set(key, finding)
    if (this.level === 'CRIT' && seen) this.lastCrit = { key, line: seen.line }
    return key
  }

  has(key: string): boolean {
    return this.found.has(key)
  }

  get(key: string): Finding | undefined {
    return this.found.get(key)
  }

  /** Whether any finding with this id was made. */
  hasId(id: FindingId): boolean {
    for (const f of this.found.values()) if (f.id === id) return true
    return false
  }

  /** Takes a finding back (a line that turned out to belong to something else). */
  remove(key: string): Finding | undefined {
    const f = this.found.get(key)
    this.found.delete(key)
    if (this.lastCrit?.key === key) this.lastCrit = null
    return f
  }

  get size(): number {
    return this.found.size
  }

  all(): Finding[] {
    return [...this.found.values()]
  }
}

export function bannerData(v: BannerInfo): Record<string, string | null> {
  return { version: v.version, codename: v.codename, commit: v.commit }
}

/** The last whitespace-separated word of `text` (the program name before `: Failed to ...`). */
export function lastToken(text: string, separators = /\s/): string {
  let i = text.length
  while (i > 0 && !separators.test(text[i - 1])) i--
  return text.slice(i)
}
