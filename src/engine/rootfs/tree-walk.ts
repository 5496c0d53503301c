// A sorted, streaming walk of a directory tree that never follows symlinks: the order every
// archive, manifest and preflight pass sees (a directory right before its contents).
import { lstatSync, readdirSync, type Stats } from 'node:fs'
import { ConfigurationError } from '../errors.js'

export interface WalkEntry {
  /** Relative path, '/'-separated. */
  rel: string
  abs: string
  st: Stats
}

function sortedNames(abs: string, rel: string): string[] {
  try {
    return readdirSync(abs).sort()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ConfigurationError(
      'rootfs',
      `cannot read the directory '${rel || '.'}' in the root filesystem tree (${code === 'EACCES' ? 'permission denied' : code})`
    )
  }
}

/** Yields every entry below `root` (not the root itself); `descend(rel)` may prune a directory. */
export function* walkTree(
  root: string,
  opts: { descend?: (rel: string) => boolean } = {}
): Generator<WalkEntry> {
  const base = root.endsWith('/') ? root : root + '/'
  const stack: { rel: string; names: string[]; i: number }[] = [
    { rel: '', names: sortedNames(root, ''), i: 0 }
  ]
  while (stack.length > 0) {
    const top = stack[stack.length - 1]
    if (top.i >= top.names.length) {
      stack.pop()
      continue
    }
    const name = top.names[top.i++]
    const rel = top.rel ? `${top.rel}/${name}` : name
    const abs = base + rel
    let st: Stats
    try {
      st = lstatSync(abs)
    } catch (err) {
      // Vanished between readdir and lstat: the tree changed under us; skip it like find(1) does.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw err
    }
    yield { rel, abs, st }
    if (st.isDirectory() && (opts.descend?.(rel) ?? true))
      stack.push({ rel, names: sortedNames(abs, rel), i: 0 })
  }
}

/** Linux's dev_t encoding (glibc's gnu_dev_major/minor). */
export function splitRdev(rdev: number): { major: number; minor: number } {
  const hi = Math.floor(rdev / 0x100000000)
  const lo = rdev >>> 0
  return {
    major: ((lo >>> 8) & 0xfff) | ((hi & 0xfffff000) >>> 0),
    minor: ((lo & 0xff) | ((lo >>> 12) & 0xfff00)) >>> 0
  }
}
