// The few apt/dpkg operations the Linux baseline needs, run from argv arrays: resolve a
// metapackage to the concrete package, download a .deb (no root needed), unpack it into a directory.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { CommandNotFoundError, type CommandRunner } from '../command-runner.js'
import { InfrastructureError } from '../errors.js'

export const APT_HINT =
  'the Linux baseline fetches its kernel and busybox with apt-get and dpkg (Debian or Ubuntu); ' +
  'run `sudo apt-get update` if the package lists are missing'

async function run(runner: CommandRunner, argv: string[], what: string, cwd?: string): Promise<string> {
  let r
  try {
    r = await runner.run(argv, { cwd, timeoutMs: 300_000 })
  } catch (e) {
    if (e instanceof CommandNotFoundError) {
      throw new InfrastructureError(`${what}: '${argv[0]}' is not available on this machine`, APT_HINT, {
        cause: e
      })
    }
    throw e
  }
  if (r.code !== 0) {
    const detail = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' / ')
    throw new InfrastructureError(
      `${what} failed (${argv.join(' ')}): ${detail || `status ${r.code}`}`,
      APT_HINT
    )
  }
  return r.stdout
}

/** Parses `apt-cache depends` output: the direct Depends, alternatives included, virtual ones not. */
export function parseAptDepends(text: string): string[] {
  const out: string[] = []
  for (const line of text.split('\n')) {
    const m = /^\s+\|?Depends:\s+(\S+)/.exec(line)
    if (m && !m[1].startsWith('<')) out.push(m[1].replace(/:\w+$/, ''))
  }
  return out
}

export async function aptDepends(runner: CommandRunner, pkg: string): Promise<string[]> {
  return parseAptDepends(await run(runner, ['apt-cache', 'depends', pkg], `looking up package ${pkg}`))
}

/** Downloads `pkg` into `dir` (which must exist); returns the .deb's path. */
export async function aptDownload(runner: CommandRunner, pkg: string, dir: string): Promise<string> {
  await run(runner, ['apt-get', 'download', pkg], `downloading ${pkg}`, dir)
  const debs = (await readdir(dir)).filter(f => f.startsWith(`${pkg}_`) && f.endsWith('.deb'))
  if (debs.length === 0)
    throw new InfrastructureError(`downloading ${pkg}: apt-get wrote no .deb file`, APT_HINT)
  return join(dir, debs.sort()[debs.length - 1])
}

export async function dpkgExtract(runner: CommandRunner, deb: string, dir: string): Promise<void> {
  await run(runner, ['dpkg-deb', '-x', deb, dir], `unpacking ${deb}`)
}

export async function debField(runner: CommandRunner, deb: string, field: string): Promise<string> {
  return (await run(runner, ['dpkg-deb', '-f', deb, field], `reading ${deb}`)).trim()
}
