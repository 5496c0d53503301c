// Finds a program on PATH the way spawn will, so setup can say which binary it checked.
import { isAbsolute } from 'node:path'
import { findProgram } from '../find-program.js'

/** The absolute path of `program` (itself when it holds a slash), or null when nothing runnable matches. */
export function which(program: string, pathVar: string | undefined = process.env.PATH): string | null {
  if (program.includes('/') && !isAbsolute(program)) return null
  return findProgram(program, { PATH: pathVar })
}
