// The run directory (`--out`, the action's run dir): made before anything else, so a path that can
// never hold the logs is named at once as the input's mistake, and a full disk as the machine's.
// Made one level at a time: Node's recursive mkdir loops forever under /proc (mkdir says ENOENT there).
import { constants } from 'node:fs'
import { access, mkdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { ConfigurationError, InfrastructureError } from '../errors.js'

const FORM = 'a directory this user can write (made when missing)'

export async function prepareOutDir(dir: string, input = 'out'): Promise<void> {
  const target = resolve(dir)
  const bad = (why: string): ConfigurationError =>
    new ConfigurationError(input, `Input '${input}' must be ${FORM}, got '${dir}': ${why}`)
  // The nearest part of the path that exists, and what is missing below it.
  const missing: string[] = []
  let existing = target
  for (;;) {
    let code: string | undefined
    try {
      if (!(await stat(existing)).isDirectory()) throw bad(`${existing} is not a directory`)
      break
    } catch (e) {
      if (e instanceof ConfigurationError) throw e
      code = (e as NodeJS.ErrnoException).code ?? String(e)
    }
    if (code !== 'ENOENT') throw bad(`${existing}: ${code}`)
    const up = dirname(existing)
    if (up === existing) throw bad('no part of the path exists')
    missing.unshift(existing)
    existing = up
  }
  for (const d of missing) {
    try {
      await mkdir(d)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new InfrastructureError(
          `cannot create ${d}: the disk is full`,
          'free some space, or give --out on another disk'
        )
      }
      const why =
        code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EROFS'
            ? 'read-only file system'
            : `cannot be created (${code ?? String(e)})`
      throw bad(`${d}: ${why}`)
    }
  }
  try {
    await access(target, constants.W_OK | constants.X_OK)
  } catch {
    throw bad('permission denied')
  }
}
