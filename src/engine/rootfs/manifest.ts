// The manifest of a root filesystem tree for the artifacts: every entry (path, type, size,
// mode, symlink target) in archive order, plus totals, including the exact size of the
// uncompressed initrd packDirectory would write (hard links copied).
import { readlinkSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { cpioEntryBytes, CPIO_TRAILER_NAME } from './cpio-writer.js'
import { readSpecials } from './specials.js'
import { comparePaths } from './tree-path.js'
import { splitRdev, walkTree } from './tree-walk.js'

export type ManifestEntryType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo'

export interface ManifestEntry {
  /** Guest path, e.g. '/usr/bin/redis-server'. */
  path: string
  type: ManifestEntryType
  /** Bytes (files: content; symlinks: target length; others 0). */
  size: number
  /** Permission bits in octal, e.g. '0755'. */
  mode: string
  target?: string
  /** Device nodes: 'major,minor'. */
  rdev?: string
}

export interface ManifestTotals {
  entries: number
  files: number
  dirs: number
  symlinks: number
  other: number
  /** Sum of regular file sizes. */
  fileBytes: number
  /** Size of the uncompressed newc archive of this tree (hard links copied, no extras). */
  cpioBytes: number
}

export interface Manifest {
  version: 1
  totals: ManifestTotals
  entries: ManifestEntry[]
}

const octal = (m: number): string => (m & 0o7777).toString(8).padStart(4, '0')

export async function buildManifest(treeDir: string): Promise<Manifest> {
  const entries: ManifestEntry[] = []
  for (const w of walkTree(treeDir)) {
    const st = w.st
    const path = `/${w.rel}`
    if (st.isFile()) entries.push({ path, type: 'file', size: st.size, mode: octal(st.mode) })
    else if (st.isDirectory()) entries.push({ path, type: 'dir', size: 0, mode: octal(st.mode) })
    else if (st.isSymbolicLink()) {
      const target = readlinkSync(w.abs)
      entries.push({ path, type: 'symlink', size: Buffer.byteLength(target), mode: octal(st.mode), target })
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const { major, minor } = splitRdev(st.rdev)
      entries.push({
        path,
        type: st.isCharacterDevice() ? 'char' : 'block',
        size: 0,
        mode: octal(st.mode),
        rdev: `${major},${minor}`
      })
    } else if (st.isFIFO()) entries.push({ path, type: 'fifo', size: 0, mode: octal(st.mode) })
  }
  const specials = await readSpecials(treeDir)
  if (specials.length) {
    // As in packDirectory, a recorded node replaces whatever the tree has at its path.
    const replaced = new Set(specials.map(s => `/${s.path}`))
    const kept = entries.filter(e => !replaced.has(e.path))
    entries.length = 0
    entries.push(...kept)
    for (const s of specials) {
      const path = `/${s.path}`
      entries.push({
        path,
        type: s.type,
        size: 0,
        mode: octal(s.mode),
        ...(s.type === 'fifo' ? {} : { rdev: `${s.rdevMajor},${s.rdevMinor}` })
      })
    }
    entries.sort((a, b) => comparePaths(a.path.slice(1), b.path.slice(1)))
  }
  const totals: ManifestTotals = {
    entries: entries.length,
    files: 0,
    dirs: 0,
    symlinks: 0,
    other: 0,
    fileBytes: 0,
    cpioBytes: 0
  }
  for (const e of entries) {
    if (e.type === 'file') {
      totals.files++
      totals.fileBytes += e.size
    } else if (e.type === 'dir') totals.dirs++
    else if (e.type === 'symlink') totals.symlinks++
    else totals.other++
    totals.cpioBytes += cpioEntryBytes(e.path.slice(1), e.size)
  }
  totals.cpioBytes += cpioEntryBytes(CPIO_TRAILER_NAME, 0)
  return { version: 1, totals, entries }
}

/** Writes the manifest as JSON, atomically. */
export async function writeManifest(manifest: Manifest, outPath: string): Promise<void> {
  const tmp = `${outPath}.partial-${process.pid}`
  await writeFile(tmp, JSON.stringify(manifest, null, 1) + '\n')
  await rename(tmp, outPath)
}
