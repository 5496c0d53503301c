// Packs a directory tree into a newc initrd: a sorted walk (never following symlinks), fixed
// mtime/uid/gid, extra entries (e.g. /init, /dev/console) merged in place, hard links copied
// (ukcpio cannot make links) or kept as links for Linux.
import { lstatSync, readlinkSync, statSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { ConfigurationError } from '../errors.js'
import {
  assertSafeArchivePath,
  TYPE_BITS,
  writeRawCpio,
  type CpioEntry,
  type RawCpioEntry
} from './cpio-writer.js'
import { readSpecials } from './specials.js'
import { comparePaths } from './tree-path.js'
import { splitRdev, walkTree, type WalkEntry } from './tree-walk.js'

export type HardlinkMode = 'copy' | 'link'

export interface PackOptions {
  gzip?: boolean
  /**
   * 'copy' (default): every path of a hard-link group is stored as an independent file with its
   * data (Unikraft's ukcpio creates a link's later entries as empty files). 'link': one inode,
   * the data on the first entry and size 0 on the rest, as Linux's initramfs unpacker expects.
   */
  hardlinks?: HardlinkMode
  /** Entries added to the tree, or replacing the tree's entry at the same path. */
  extra?: CpioEntry[]
  /** Merge the device nodes an extraction recorded in `<dir>.specials.json` (default true). */
  sidecar?: boolean
}

export interface PackResult {
  entries: number
  /** Size of the archive file. */
  bytes: number
}

function rawFromExtra(e: CpioEntry, ino: number): RawCpioEntry {
  let data = e.data
  let size = 0
  if (e.type === 'symlink') {
    if (e.linkTarget === undefined)
      throw new ConfigurationError('rootfs', `extra entry '${e.path}' is a symlink without a target`)
    data = Buffer.from(e.linkTarget, 'utf8')
  }
  if (data) size = data.length
  else if (e.type === 'file' && e.source !== undefined) size = e.size ?? statSync(e.source).size
  return {
    name: e.path,
    mode: TYPE_BITS[e.type] | (e.mode & 0o7777),
    ino,
    nlink: e.type === 'dir' ? 2 : 1,
    uid: e.uid ?? 0,
    gid: e.gid ?? 0,
    mtime: e.mtime ?? 0,
    size,
    rdevMajor: e.rdevMajor ?? 0,
    rdevMinor: e.rdevMinor ?? 0,
    data: e.type === 'file' || e.type === 'symlink' ? data : undefined,
    source: e.type === 'file' && !data ? e.source : undefined
  }
}

/** Extras sorted in walk order, with the parent directories the tree lacks added. */
function prepareExtras(dir: string, extra: CpioEntry[]): CpioEntry[] {
  const byPath = new Map<string, CpioEntry>()
  for (const e of extra) {
    try {
      assertSafeArchivePath(e.path)
    } catch (err) {
      throw new ConfigurationError('rootfs', (err as Error).message)
    }
    byPath.set(e.path, e)
  }
  for (const e of [...byPath.values()]) {
    const parts = e.path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/')
      const given = byPath.get(prefix)
      if (given) {
        if (given.type !== 'dir')
          throw new ConfigurationError(
            'rootfs',
            `extra entry '${e.path}' needs '${prefix}' to be a directory`
          )
        continue
      }
      let st
      try {
        st = lstatSync(`${dir}/${prefix}`)
      } catch {
        byPath.set(prefix, { path: prefix, type: 'dir', mode: 0o755 })
        continue
      }
      if (st.isSymbolicLink()) {
        throw new ConfigurationError(
          'rootfs',
          `cannot add '${e.path}' to the initrd: '${prefix}' is a symlink in the tree`
        )
      }
      if (!st.isDirectory()) {
        throw new ConfigurationError(
          'rootfs',
          `cannot add '${e.path}' to the initrd: '${prefix}' is not a directory in the tree`
        )
      }
    }
  }
  return [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path))
}

function* packEntries(dir: string, extras: CpioEntry[], hardlinks: HardlinkMode): Generator<RawCpioEntry> {
  let ino = 1
  let x = 0
  const pruned = new Set<string>()
  const groups = new Map<string, number>()
  const record = (name: string, mode: number, size: number): RawCpioEntry => ({
    name,
    mode,
    ino: ino++,
    nlink: 1,
    uid: 0,
    gid: 0,
    mtime: 0,
    size,
    rdevMajor: 0,
    rdevMinor: 0
  })
  const fromTree = (w: WalkEntry): RawCpioEntry | null => {
    const st = w.st
    const perm = st.mode & 0o7777
    if (st.isFile()) {
      if (hardlinks === 'link' && st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`
        const seen = groups.get(key)
        if (seen !== undefined) {
          // A later path of the inode: same number, no data (Linux links it to the first).
          const r = record(w.rel, TYPE_BITS.file | perm, 0)
          ino--
          r.ino = seen
          r.nlink = st.nlink
          return r
        }
        groups.set(key, ino)
      }
      const r = record(w.rel, TYPE_BITS.file | perm, st.size)
      if (hardlinks === 'link') r.nlink = st.nlink
      r.source = w.abs
      r.noFollow = true
      return r
    }
    if (st.isDirectory()) {
      const r = record(w.rel, TYPE_BITS.dir | perm, 0)
      r.nlink = 2
      return r
    }
    if (st.isSymbolicLink()) {
      const data = Buffer.from(readlinkSync(w.abs), 'utf8')
      const r = record(w.rel, TYPE_BITS.symlink | perm, data.length)
      r.data = data
      return r
    }
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      const r = record(w.rel, (st.isCharacterDevice() ? TYPE_BITS.char : TYPE_BITS.block) | perm, 0)
      const { major, minor } = splitRdev(st.rdev)
      r.rdevMajor = major
      r.rdevMinor = minor
      return r
    }
    if (st.isFIFO()) return record(w.rel, TYPE_BITS.fifo | perm, 0)
    return null // sockets: meaningless in an image
  }
  for (const w of walkTree(dir, { descend: rel => !pruned.has(rel) })) {
    while (x < extras.length && comparePaths(extras[x].path, w.rel) < 0)
      yield rawFromExtra(extras[x++], ino++)
    if (x < extras.length && extras[x].path === w.rel) {
      const e = extras[x++]
      // Replacing a directory with something else drops the directory's contents.
      if (w.st.isDirectory() && e.type !== 'dir') pruned.add(w.rel)
      yield rawFromExtra(e, ino++)
      continue
    }
    const raw = fromTree(w)
    if (raw) yield raw
  }
  while (x < extras.length) yield rawFromExtra(extras[x++], ino++)
}

/** Packs `dir` into a newc archive at `outPath` (written atomically). */
export async function packDirectory(
  dir: string,
  outPath: string,
  opts: PackOptions = {}
): Promise<PackResult> {
  let st
  try {
    st = statSync(dir)
  } catch {
    throw new ConfigurationError('rootfs', `the root filesystem directory '${dir}' does not exist`)
  }
  if (!st.isDirectory()) throw new ConfigurationError('rootfs', `'${dir}' is not a directory`)
  const rel = relative(resolve(dir), resolve(outPath))
  if (!rel.startsWith('..') && !rel.startsWith('/')) {
    throw new ConfigurationError(
      'rootfs',
      `the archive '${outPath}' would be inside the tree it packs ('${dir}'): write it elsewhere`
    )
  }
  const specials = opts.sidecar === false ? [] : await readSpecials(dir)
  const extras = prepareExtras(dir, [
    ...specials.map(
      s =>
        ({
          path: s.path,
          type: s.type,
          mode: s.mode,
          rdevMajor: s.rdevMajor,
          rdevMinor: s.rdevMinor
        }) as CpioEntry
    ),
    ...(opts.extra ?? [])
  ])
  try {
    const res = await writeRawCpio(packEntries(dir, extras, opts.hardlinks ?? 'copy'), outPath, {
      gzip: opts.gzip
    })
    return { entries: res.entries, bytes: res.bytes }
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { path?: string }
    if (e.code === 'EACCES' || e.code === 'ELOOP') {
      throw new ConfigurationError('rootfs', `cannot pack '${dir}': ${e.message}`)
    }
    throw err
  }
}
