// `unikraft-compat diagnose LOG [--json]`: findings from a console log; exit 1 on an error finding.
import { stat } from 'node:fs/promises'
import {
  diagnoseFile,
  exitCodeFor,
  formatFindingsJson,
  formatFindingsText
} from '../../engine/diagnose/index.js'
import { badInput } from '../../engine/errors.js'
import { COMMON_OPTIONS, parse, UsageError } from '../args.js'
import type { Terminal } from '../terminal.js'

export async function diagnoseCommand(args: string[], term: Terminal): Promise<number> {
  const { values, positionals } = parse('diagnose', args, COMMON_OPTIONS, 1)
  const log = positionals[0]
  if (log === undefined)
    throw new UsageError(
      'LOG',
      "'unikraft-compat diagnose' needs the console log file: unikraft-compat diagnose LOG"
    )
  try {
    if (!(await stat(log)).isFile()) throw new Error('not a file')
  } catch {
    throw badInput('LOG', 'a readable console log file', log)
  }
  const findings = await diagnoseFile(log)
  term.out(values.json ? `${formatFindingsJson(findings)}\n` : formatFindingsText(findings))
  return exitCodeFor(findings)
}
