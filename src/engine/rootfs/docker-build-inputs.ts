// Checks of a Dockerfile build's inputs before Docker runs: the Dockerfile is a readable file, the
// context a directory, build-arg names are names, and the target is a stage the Dockerfile defines.
// Each failure is a ConfigurationError naming the input, so a bad input never reaches docker build.
import { readFile, stat } from 'node:fs/promises'
import { ConfigurationError, badInput } from '../errors.js'
import type { ParsedDockerfile } from './docker-build-dockerfile.js'

export async function readDockerfile(path: string): Promise<string> {
  try {
    const st = await stat(path)
    if (st.isDirectory()) {
      throw new ConfigurationError(
        'rootfs',
        `Input 'rootfs' names '${path}', a directory, where a Dockerfile was expected`
      )
    }
    return await readFile(path, 'utf8')
  } catch (err) {
    if (err instanceof ConfigurationError) throw err
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'which does not exist' : `which cannot be read (${code ?? String(err)})`
    throw new ConfigurationError('rootfs', `Input 'rootfs' names the Dockerfile '${path}', ${why}`)
  }
}

export async function requireDirectory(context: string): Promise<void> {
  const st = await stat(context).catch(() => null)
  if (!st?.isDirectory()) {
    throw new ConfigurationError('rootfs', `The Docker build context '${context}' is not a directory`)
  }
}

export function checkBuildArgs(args: Record<string, string> | undefined): void {
  for (const key of Object.keys(args ?? {})) {
    if (!/^[^\s=]+$/.test(key))
      throw badInput('build-args', 'a map of NAME: value, NAME without spaces or =', key)
  }
}

export function checkTarget(target: string | undefined, parsed: ParsedDockerfile, dockerfile: string): void {
  if (target === undefined) return
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw badInput('target', 'the name of a Dockerfile stage (FROM ... AS NAME)', target)
  }
  const names = parsed.stages.map(s => s.name).filter((n): n is string => n !== null)
  if (parsed.stages.length > 0 && !names.includes(target.toLowerCase())) {
    const known =
      names.length > 0 ? `its named stages are ${names.join(', ')}` : 'it names no stage (FROM ... AS NAME)'
    throw new ConfigurationError(
      'target',
      `Input 'target' names stage '${target}', which ${dockerfile} does not define: ${known}`
    )
  }
}
