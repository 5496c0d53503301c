// Reading and writing result.json. Writes go through a temporary file and a rename, so a reader
// (the post step, the matrix job) never sees half a result.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { CheckResult } from './result.js'
import { validateCheckResult, type ValidationOutcome } from './result-validate.js'

export const RESULT_FILE_NAME = 'result.json'

/** Pretty-printed with a final newline: the file is read by people as often as by programs. */
export function serializeResult(result: CheckResult): string {
  return `${JSON.stringify(result, null, 2)}\n`
}

export async function writeResultFile(file: string, result: CheckResult): Promise<void> {
  await writeTextAtomic(file, serializeResult(result))
}

/** Reads and validates one result file; an unreadable or foreign file is a clear problem, not a throw. */
export async function loadResultFile(file: string): Promise<ValidationOutcome> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    return { ok: false, problems: [`cannot read: ${(err as Error).message}`] }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, problems: [`not JSON: ${(err as Error).message}`] }
  }
  return validateCheckResult(value)
}

export async function writeTextAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, text, 'utf8')
  await rename(tmp, file)
}
