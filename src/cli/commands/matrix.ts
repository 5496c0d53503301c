// `unikraft-compat matrix RESULTS_DIR [--out DIR]`: the compatibility matrix from result files.
import { mkdir } from 'node:fs/promises'
import { renderMatrixMarkdown, writeMatrixOutputs } from '../../engine/report/matrix.js'
import { COMMON_OPTIONS, parse, UsageError } from '../args.js'
import type { Terminal } from '../terminal.js'

export async function matrixCommand(args: string[], term: Terminal): Promise<number> {
  const { values, positionals } = parse(
    'matrix',
    args,
    { ...COMMON_OPTIONS, out: { type: 'string', short: 'o' } },
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
  const { matrix, files } = await writeMatrixOutputs(dir, out)
  if (values.json) term.out(`${JSON.stringify(matrix, null, 2)}\n`)
  else {
    term.out(renderMatrixMarkdown(matrix))
    term.err(`wrote ${files.json}, ${files.markdown}, ${files.svg}\n`)
  }
  return 0
}
