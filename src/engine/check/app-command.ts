// The command a run starts, and its environment: the input, else the Kraftfile's `cmd`, else the
// image's ENTRYPOINT + CMD. A kernel given without a root filesystem is a native image: booted as it
// is, and whatever command was given becomes its arguments (optional).
import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'
import type { CheckOptions } from '../config/check-options.js'
import { splitWordsFor } from '../config/shell-words.js'
import { ConfigurationError, toError } from '../errors.js'
import { defaultCommand, type ImageConfig } from '../rootfs/docker-image-config.js'
import { resolveCommand } from '../rootfs/preflight.js'

export interface AppCommand {
  /** The program and its arguments (a bare program name already resolved the way execvp would). */
  cmd: string[]
  env: Record<string, string>
  workdir: string | null
}

export interface CommandSources {
  /** The Kraftfile's `cmd`, when the app has one (kraftfileCmd). */
  kraftfileCmd: string[] | null
  /** The image's configuration, when the root filesystem came from a Docker build. */
  image: ImageConfig | undefined
  /** The root filesystem's tree, or null for a native image. */
  treeDir: string | null
}

export function appCommand(
  options: Pick<CheckOptions, 'cmd' | 'env' | 'workdir'>,
  from: CommandSources
): AppCommand {
  const named = options.cmd ?? from.kraftfileCmd ?? (from.image ? defaultCommand(from.image) : null)
  // An ELF loader needs the program to run; a native image takes what it is given.
  if (from.treeDir !== null && (!named || named.length === 0)) {
    throw new ConfigurationError(
      'cmd',
      "Input 'cmd' is needed: the root filesystem names no command (no ENTRYPOINT or CMD, no Kraftfile cmd); give one like /usr/bin/redis-server /etc/redis/redis.conf"
    )
  }
  const cmd = [...(named ?? [])]
  const env = { ...(from.image?.env ?? {}), ...options.env }
  const workdir = options.workdir ?? from.image?.workdir ?? null
  // The ELF loader does not search PATH: a bare program name becomes the path execvp would find.
  if (from.treeDir !== null && !cmd[0].includes('/')) {
    const found = resolveCommand(from.treeDir, cmd[0], { path: env.PATH, workdir: workdir ?? undefined })
    if (found.named) cmd[0] = found.named
  }
  return { cmd, env, workdir }
}

/** The Kraftfile's `cmd` (a list, or a string split by the POSIX rules), when the app has one. */
export async function kraftfileCmd(kraftfile: string | null): Promise<string[] | null> {
  if (!kraftfile) return null
  try {
    const doc = parseYaml(await readFile(kraftfile, 'utf8')) as { cmd?: unknown } | null
    const cmd = doc?.cmd
    if (Array.isArray(cmd)) return cmd.map(String)
    if (typeof cmd === 'string') return splitWordsFor('Kraftfile cmd', cmd)
  } catch (err) {
    throw new ConfigurationError(
      'Kraftfile',
      `Kraftfile ${kraftfile} could not be read: ${toError(err).message}`
    )
  }
  return null
}
