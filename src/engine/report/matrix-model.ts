// The compatibility matrix's data: cells (one per app × requested Unikraft version) and how a
// result maps to its cell. Shared by the aggregator and the renderers.
import { type CheckResult, mainFinding, type ResultErrorKind, type Verdict } from './result.js'
import { truncateText } from './text-escape.js'

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
  /**
   * Only when the Unikraft side ran traced (`syscalls.traced.unikraft`): the system calls Unikraft
   * answered ENOSYS that glibc does not probe and tolerate, with how often, in order of the first.
   */
  unsupportedSyscalls?: { syscall: string; count: number }[]
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
  const cell: MatrixCell = {
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
  if (r.syscalls?.traced.unikraft)
    cell.unsupportedSyscalls = r.syscalls.unsupported
      .filter(u => !u.tolerated)
      .map(({ syscall, count }) => ({ syscall, count }))
  return cell
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

/**
 * What a cell says in one line: `fail: loader.missing-library`, `error: infrastructure`, `pass`;
 * `unsupported` is `2 ENOSYS` when the trace shows unsupported calls, else null.
 */
export function cellLabel(c: MatrixCell): {
  verdict: string
  reason: string | null
  unsupported: string | null
} {
  const n = c.unsupportedSyscalls?.length ?? 0
  return {
    verdict: c.verdict,
    reason: c.mainFinding ?? (c.verdict === 'error' ? c.errorKind : null),
    unsupported: n > 0 ? `${n} ENOSYS` : null
  }
}

/** At most this many unsupported calls are named in a cell's details. */
export const UNSUPPORTED_NAMED_MAX = 10

/**
 * The cell's unsupported calls by name: `ENOSYS on Unikraft: openat ×2, sendfile ×1`; null when the
 * Unikraft side was not traced. `name` shows each call (escape it there for the output's format).
 */
export function unsupportedDetail(c: MatrixCell, name: (syscall: string) => string = s => s): string | null {
  const u = c.unsupportedSyscalls
  if (!u) return null
  if (u.length === 0) return 'no unsupported system calls in the Unikraft trace'
  const named = u.slice(0, UNSUPPORTED_NAMED_MAX).map(x => `${name(truncateText(x.syscall, 40))} ×${x.count}`)
  const more = u.length > UNSUPPORTED_NAMED_MAX ? ` and ${u.length - UNSUPPORTED_NAMED_MAX} more` : ''
  return `ENOSYS on Unikraft: ${named.join(', ')}${more}`
}
