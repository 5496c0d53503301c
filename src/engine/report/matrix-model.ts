// The compatibility matrix's data: cells (one per app × requested Unikraft version) and how a
// result maps to its cell. Shared by the aggregator and the renderers.
import { type CheckResult, mainFinding, type ResultErrorKind, type Verdict } from './result.js'

export const MATRIX_SCHEMA_VERSION = 1

export interface MatrixCell {
  app: string
  version: string
  verdict: Verdict
  /** The first error finding no allow-list accepted, else null. */
  mainFinding: string | null
  /** For `error` cells without a finding: what kind of error stopped the check. */
  errorKind: ResultErrorKind | null
  guest: 'unikraft' | 'linux'
  /** The banner's version when the guest printed one (the column may say `latest`). */
  bannerVersion: string | null
  summary: string
  /** The result file, relative to the results directory, '/'-separated. */
  file: string
}

export interface Matrix {
  schemaVersion: typeof MATRIX_SCHEMA_VERSION
  apps: string[]
  versions: string[]
  cells: MatrixCell[]
  /** result.json files that were not used, and why. */
  rejected: { file: string; problems: string[] }[]
  /** Cells of apps × versions without a usable result (a cell that crashed before writing one). */
  missing: { app: string; version: string }[]
}

/** Which row and column a result belongs to: the requested coordinates first, else what it ran. */
export function cellOf(r: CheckResult, file: string): MatrixCell {
  const version = r.matrixCell?.version ?? r.unikraft?.version ?? (r.guest === 'linux' ? 'linux' : 'unknown')
  return {
    app: r.matrixCell?.app ?? r.app.name,
    version,
    verdict: r.verdict,
    mainFinding: mainFinding(r.findings)?.id ?? null,
    errorKind: r.verdict === 'error' ? (r.error?.kind ?? null) : null,
    guest: r.guest,
    bannerVersion: r.unikraft?.version ?? null,
    summary: r.summary,
    file
  }
}

/** Oldest to newest by number; names that are not versions (`latest`, `main`) after them. */
export function sortVersions(versions: string[]): string[] {
  const key = (v: string): number[] | null => {
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v)
    return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null
  }
  return [...versions].sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    if (ka && kb) return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || a.localeCompare(b)
    if (ka) return -1
    if (kb) return 1
    if (a === 'latest') return 1
    if (b === 'latest') return -1
    return a.localeCompare(b)
  })
}

export function findCell(m: Matrix, app: string, version: string): MatrixCell | undefined {
  return m.cells.find(c => c.app === app && c.version === version)
}

/** What a cell says in one line: `fail: loader.missing-library`, `error: infrastructure`, `pass`. */
export function cellLabel(c: MatrixCell): { verdict: string; reason: string | null } {
  return { verdict: c.verdict, reason: c.mainFinding ?? (c.verdict === 'error' ? c.errorKind : null) }
}
