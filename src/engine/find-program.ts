// Where a program lives, the way spawn will find it: checked before anything runs, so a typo (a
// `command:` probe, QEMU missing) is named up front.
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * The path spawn would run for `program`: itself when it contains a slash (relative to `cwd`),
 * else the first executable match on PATH. null when there is none.
 */
export function findProgram(
  program: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd()
): string | null {
  if (program === '') return null
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(cwd, program)
    return isExecutableFile(path) ? path : null
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const path = join(dir, program)
    if (isExecutableFile(path)) return path
  }
  return null
}
