// Paths inside a root filesystem tree: archive entry names made safe, a stable component-wise
// order, and symlink resolution confined to the tree (chroot semantics, loops rejected), so a
// tree is never read or written outside its root whatever its symlinks say.
import { lstatSync, readlinkSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import { ConfigurationError } from '../errors.js'

/** The kernel's limit on symlinks followed while resolving one path (MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40

export class SymlinkLoopError extends Error {
  override name = 'SymlinkLoopError'
  constructor(
    readonly guestPath: string,
    readonly chain: string[]
  ) {
    super(
      `symlink loop while resolving '${guestPath}': more than ${MAX_SYMLINK_HOPS} links followed (${chain.slice(0, 6).join(', ')}${chain.length > 6 ? ', ...' : ''})`
    )
  }
}

/**
 * An archive entry name as a relative, '/'-separated path without empty or '.' components.
 * Leading '/' is dropped (absolute names are made relative); '..' is rejected. '' is the root.
 */
export function normaliseArchivePath(raw: string, what: string): string {
  const parts = raw.split('/').filter(c => c !== '' && c !== '.')
  if (parts.includes('..')) {
    throw new ConfigurationError(
      'rootfs',
      `${what}: entry '${raw}' escapes the root filesystem (it has a '..' component); refusing to extract it`
    )
  }
  if (raw.includes('\0'))
    throw new ConfigurationError('rootfs', `${what}: entry '${raw}' has a NUL byte in its name`)
  return parts.join('/')
}

/** Component-wise order: a directory sorts right before its own contents (pre-order of a sorted walk). */
export function comparePaths(a: string, b: string): number {
  const as = a.split('/')
  const bs = b.split('/')
  const n = Math.min(as.length, bs.length)
  for (let i = 0; i < n; i++) {
    if (as[i] !== bs[i]) return as[i] < bs[i] ? -1 : 1
  }
  return as.length - bs.length
}

/** '/a/b' for 'a/b', '/a/b/' or 'a//b'; '/' for the root. */
export function toGuestPath(p: string): string {
  return (
    '/' +
    p
      .split('/')
      .filter(c => c !== '' && c !== '.')
      .join('/')
  )
}

export function guestDirname(p: string): string {
  const i = p.lastIndexOf('/')
  return i <= 0 ? '/' : p.slice(0, i)
}

export interface ResolvedPath {
  /** The real guest path: no symlink in any component. */
  path: string
  /** Each symlink followed on the way, in order, with its target as stored. */
  links: { path: string; target: string }[]
  stats: Stats
}

/**
 * A read-only view of a tree at `root` as the guest would see it: guest paths are absolute
 * ('/usr/lib/...'), absolute symlink targets are taken from the tree's root and '..' never
 * climbs above it. Results are cached: a view is for one pass over a tree that does not change.
 */
export class TreeView {
  private readonly statCache = new Map<string, Stats | null>()
  private readonly linkCache = new Map<string, string>()

  constructor(readonly root: string) {}

  hostPath(guest: string): string {
    return join(this.root, guest)
  }

  lstat(guest: string): Stats | null {
    let st = this.statCache.get(guest)
    if (st === undefined) {
      try {
        st = lstatSync(this.hostPath(guest))
      } catch {
        st = null
      }
      this.statCache.set(guest, st)
    }
    return st
  }

  readlink(guest: string): string {
    let t = this.linkCache.get(guest)
    if (t === undefined) {
      t = readlinkSync(this.hostPath(guest))
      this.linkCache.set(guest, t)
    }
    return t
  }

  /**
   * Resolves a guest path the way the kernel would inside a chroot. Returns null when it does not
   * exist (or a middle component is not a directory); throws SymlinkLoopError on a loop.
   */
  resolve(guest: string, opts: { followLast?: boolean } = {}): ResolvedPath | null {
    const followLast = opts.followLast ?? true
    let queue = guest.split('/').filter(c => c !== '')
    const cur: string[] = []
    const links: ResolvedPath['links'] = []
    let hops = 0
    while (queue.length > 0) {
      const c = queue.shift() as string
      if (c === '.') continue
      if (c === '..') {
        cur.pop()
        continue
      }
      const p = '/' + (cur.length ? cur.join('/') + '/' : '') + c
      const st = this.lstat(p)
      if (!st) return null
      const isLast = queue.length === 0
      if (st.isSymbolicLink() && (!isLast || followLast)) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new SymlinkLoopError(
            guest,
            links.map(l => `${l.path} -> ${l.target}`)
          )
        }
        const target = this.readlink(p)
        links.push({ path: p, target })
        if (target.startsWith('/')) cur.length = 0
        queue = [...target.split('/').filter(x => x !== ''), ...queue]
        continue
      }
      if (!isLast && !st.isDirectory()) return null
      cur.push(c)
    }
    const path = '/' + cur.join('/')
    const stats = this.lstat(path)
    return stats ? { path, links, stats } : null
  }
}
