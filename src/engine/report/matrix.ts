// The compatibility matrix: every cell's result.json below a directory (apps × Unikraft versions)
// aggregated into one table, written as matrix.json, matrix.md and an SVG heatmap.
// Foreign or broken result files are rejected with the reason, never half-read.
import { lstat, readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { ConfigurationError } from '../errors.js'
import type { Verdict } from './result.js'
import {
  cellLabel,
  cellOf,
  findCell,
  type Matrix,
  MATRIX_SCHEMA_VERSION,
  type MatrixCell,
  sortVersions,
  unsupportedDetail
} from './matrix-model.js'
import { loadResultFile, RESULT_FILE_NAME, writeTextAtomic } from './result-file.js'
import { renderMatrixSvg } from './matrix-svg.js'
import { escapeMarkdownInline as md } from './text-escape.js'

export { renderMatrixSvg } from './matrix-svg.js'
export {
  cellLabel,
  cellOf,
  findCell,
  type Matrix,
  MATRIX_SCHEMA_VERSION,
  type MatrixCell,
  sortVersions,
  unsupportedDetail
} from './matrix-model.js'

/** The cells the caller asked for: each app on each version gets a cell, with a result or without. */
export interface ExpectedCells {
  apps?: readonly string[]
  versions?: readonly string[]
}

export async function aggregateMatrix(resultsDir: string, expected: ExpectedCells = {}): Promise<Matrix> {
  const files = await findResultFiles(resultsDir)
  const cells: MatrixCell[] = []
  const rejected: Matrix['rejected'] = []
  for (const file of files) {
    const rel = relative(resultsDir, file).split(sep).join('/')
    const loaded = await loadResultFile(file)
    if (!loaded.ok) {
      rejected.push({ file: rel, problems: loaded.problems })
      continue
    }
    const cell = cellOf(loaded.result, rel)
    const twin = cells.find(c => c.app === cell.app && c.version === cell.version)
    if (twin) {
      rejected.push({
        file: rel,
        problems: [`same app and version (${cell.app}, ${cell.version}) as ${twin.file}`]
      })
      continue
    }
    cells.push(cell)
  }
  const expectsCells = (expected.apps?.length ?? 0) > 0 && (expected.versions?.length ?? 0) > 0
  if (cells.length === 0 && !expectsCells) {
    const why =
      rejected.length > 0 ? `; rejected: ${rejected.map(r => `${r.file} (${r.problems[0]})`).join(', ')}` : ''
    throw new ConfigurationError(
      'results-dir',
      `No usable ${RESULT_FILE_NAME} below '${resultsDir}': it must hold the result files of the matrix cells${why}`
    )
  }
  const apps = [...new Set([...(expected.apps ?? []), ...cells.map(c => c.app)])].sort((a, b) =>
    a.localeCompare(b)
  )
  const versions = sortVersions([...new Set([...(expected.versions ?? []), ...cells.map(c => c.version)])])
  cells.sort(
    (a, b) =>
      apps.indexOf(a.app) - apps.indexOf(b.app) || versions.indexOf(a.version) - versions.indexOf(b.version)
  )
  const missing = apps.flatMap(app =>
    versions
      .filter(version => !cells.some(c => c.app === app && c.version === version))
      .map(version => ({ app, version }))
  )
  return { schemaVersion: MATRIX_SCHEMA_VERSION, apps, versions, cells, rejected, missing }
}

const MARK: Record<Verdict, string> = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error' }

export function renderMatrixMarkdown(m: Matrix): string {
  const header = `| App | ${m.versions.map(v => md(v)).join(' | ')} |`
  const rule = `|---|${m.versions.map(() => '---').join('|')}|`
  const rows = m.apps.map(app => {
    const cells = m.versions.map(version => {
      const c = findCell(m, app, version)
      if (!c) return '— no result'
      const { reason, unsupported } = cellLabel(c)
      const label = reason ? `${MARK[c.verdict]}: <code>${md(reason)}</code>` : MARK[c.verdict]
      return unsupported ? `${label} · ${md(unsupported)}` : label
    })
    return `| ${md(app)} | ${cells.join(' | ')} |`
  })
  const count = (v: Verdict): number => m.cells.filter(c => c.verdict === v).length
  const missing = m.apps.length * m.versions.length - m.cells.length
  const totals = `${m.cells.length} result${m.cells.length === 1 ? '' : 's'}: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error${missing > 0 ? `; ${missing} cell${missing === 1 ? '' : 's'} without a result` : ''}.`
  const out = ['### Unikraft compatibility matrix', '', header, rule, ...rows, '', totals]
  const enosys = m.cells.filter(c => (c.unsupportedSyscalls?.length ?? 0) > 0)
  if (enosys.length > 0) {
    out.push(
      '',
      'System calls Unikraft answered ENOSYS (from the traces; glibc probes it tolerates left out):',
      ''
    )
    for (const c of enosys)
      out.push(`- ${md(c.app)} × ${md(c.version)}: ${unsupportedDetail(c, n => `<code>${md(n)}</code>`)}`)
  }
  if (m.rejected.length > 0) {
    out.push('', `Result files not used (${m.rejected.length}):`, '')
    for (const r of m.rejected) out.push(`- <code>${md(r.file)}</code>: ${md(r.problems.join('; '))}`)
  }
  return `${out.join('\n')}\n`
}

export function renderMatrixJson(m: Matrix): string {
  return `${JSON.stringify(m, null, 2)}\n`
}

/** Aggregates and writes matrix.json, matrix.md and matrix.svg into `outDir`. */
export async function writeMatrixOutputs(
  resultsDir: string,
  outDir: string,
  expected: ExpectedCells = {}
): Promise<{ matrix: Matrix; files: { json: string; markdown: string; svg: string } }> {
  const matrix = await aggregateMatrix(resultsDir, expected)
  const files = {
    json: join(outDir, 'matrix.json'),
    markdown: join(outDir, 'matrix.md'),
    svg: join(outDir, 'matrix.svg')
  }
  await writeTextAtomic(files.json, renderMatrixJson(matrix))
  await writeTextAtomic(files.markdown, renderMatrixMarkdown(matrix))
  await writeTextAtomic(files.svg, renderMatrixSvg(matrix))
  return { matrix, files }
}

/** Every result.json below `dir`, sorted; symbolic links are not followed (no loops, no escapes). */
async function findResultFiles(dir: string): Promise<string[]> {
  try {
    if (!(await lstat(dir)).isDirectory()) throw new Error('not a directory')
  } catch (err) {
    throw new ConfigurationError(
      'results-dir',
      `Input 'results-dir' must be a directory holding result.json files, got '${dir}' (${(err as Error).message})`
    )
  }
  const found: string[] = []
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true })
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else if (e.isFile() && e.name === RESULT_FILE_NAME) found.push(p)
    }
  }
  await walk(dir)
  return found.sort()
}
