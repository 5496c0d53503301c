// The two caches setup uses, as small interfaces so the engine never imports GitHub's toolkit packages:
// ToolCache (within a machine: GitHub's tool-cache toolkit on GitHub, a directory for the CLI) and
// PersistentCache (across runs: GitHub's cache toolkit on GitHub, nothing for the CLI).
import { accessSync, constants } from 'node:fs'
import { access, cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface ToolCache {
  /** The directory holding `tool` at exactly `version` for `arch`, or null when not cached. */
  find(tool: string, version: string, arch: string): string | null
  /** Copies `srcDir` into the cache and returns the cached directory. */
  cacheDir(srcDir: string, tool: string, version: string, arch: string): Promise<string>
}

/** Cross-run cache. Implementations turn their failures into warnings: a cache is never a reason to fail. */
export interface PersistentCache {
  /** The key restored, or undefined on a miss (or when the cache could not be reached). */
  restore(paths: string[], key: string): Promise<string | undefined>
  save(paths: string[], key: string): Promise<void>
}

/** Something a caller should save across runs later (the action does it in its post step). */
export interface PersistEntry {
  paths: string[]
  key: string
}

/** Fetches `url` into the file `dest` (parent directory exists). Throws InfrastructureError. */
export type Downloader = (url: string, dest: string) => Promise<void>

/** Where the CLI keeps downloads across runs: `$XDG_CACHE_HOME/unikraft-compat` (default ~/.cache). */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'unikraft-compat')
}

export function defaultToolCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultCacheRoot(env), 'tools')
}

// Sync on purpose: ToolCache.find is synchronous like GitHub's tool-cache toolkit's find.
function existsSync(path: string): boolean {
  try {
    accessSync(path, constants.F_OK)
    return true
  } catch {
    return false
  }
}

/**
 * A ToolCache in a directory, laid out like GitHub's tool-cache toolkit (`<root>/<tool>/<version>/<arch>`
 * plus a `<arch>.complete` marker written last, so a half-copied entry is never found).
 */
export function createDirectoryToolCache(root: string = defaultToolCacheRoot()): ToolCache {
  return {
    find(tool, version, arch) {
      const dir = join(root, tool, version, arch)
      return existsSync(`${dir}.complete`) && existsSync(dir) ? dir : null
    },
    async cacheDir(srcDir, tool, version, arch) {
      const dir = join(root, tool, version, arch)
      await rm(`${dir}.complete`, { force: true })
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir, { recursive: true })
      await cp(srcDir, dir, { recursive: true, preserveTimestamps: true })
      await writeFile(`${dir}.complete`, '')
      return dir
    }
  }
}

/** The CLI's PersistentCache: the directory ToolCache already keeps things across runs. */
export const noopPersistentCache: PersistentCache = {
  restore: async () => undefined,
  save: async () => {}
}

/** True when `path` exists (any kind of file). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK)
    return true
  } catch {
    return false
  }
}
