// `unikraft-compat matrix RESULTS_DIR [--out DIR]`: the compatibility matrix from result files.
import { mkdir } from 'node:fs/promises'
import { appIdOf } from '../../engine/config/resolve.js'
import { renderMatrixMarkdown, writeMatrixOutputs } from '../../engine/report/matrix.js'
import { COMMON_OPTIONS, parse, UsageError } from '../args.js'
import type { Terminal } from '../terminal.js'

export async function matrixCommand(args: string[], term: Terminal): Promise<number> {
  const { values, positionals } = parse(
    'matrix',
    args,
    {
      ...COMMON_OPTIONS,
      out: { type: 'string', short: 'o' },
      'expect-app': { type: 'string', multiple: true },
      'expect-version': { type: 'string', multiple: true }
    },
    1
  )
  const dir = positionals[0]
  if (dir === undefined)
    throw new UsageError(
      'RESULTS_DIR',
      "'unikraft-compat matrix' needs RESULTS_DIR: unikraft-compat matrix RESULTS_DIR --out DIR"
    )
  const out = typeof values.out === 'string' ? values.out : dir
  await mkdir(out, { recursive: true })
  const list = (name: string): string[] => {
    const v = values[name]
    const items = (Array.isArray(v) ? v : []).map(x => String(x).trim())
    if (items.some(x => x === ''))
      throw new UsageError(`--${name}`, `Option '--${name}' must not be empty: give one value per option`)
    return items
  }
  const apps = list('expect-app').map(a => appIdOf(a))
  const versions = list('expect-version')
  if (apps.length > 0 !== versions.length > 0)
    throw new UsageError(
      apps.length > 0 ? '--expect-version' : '--expect-app',
      "Options '--expect-app' and '--expect-version' go together: give at least one of each, or neither"
    )
  const { matrix, files } = await writeMatrixOutputs(dir, out, { apps, versions })
  if (values.json) term.out(`${JSON.stringify(matrix, null, 2)}\n`)
  else {
    term.out(renderMatrixMarkdown(matrix))
    term.err(`wrote ${files.json}, ${files.markdown}, ${files.svg}\n`)
  }
  return 0
}
