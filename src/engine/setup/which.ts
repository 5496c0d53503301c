// Finds a program on PATH the way spawn will, so setup can say which binary it checked.
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The absolute path of `program` (itself when it holds a slash), or null when nothing runnable matches. */
export function which(program: string, pathVar: string | undefined = process.env.PATH): string | null {
  if (program === '') return null
  if (program.includes('/')) return isAbsolute(program) && isExecutableFile(program) ? program : null
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue
    const path = join(dir, program)
    if (isExecutableFile(path)) return path
  }
  return null
}
