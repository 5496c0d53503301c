// The `binary:PATH` source: a tree holding the program, its interpreter and its library closure
// (symlinks kept as symlinks), plus extra files given as SRC:DEST: the catalog's hand-written
// "copy the binary, each .so, and ld-linux" Dockerfile, done for the user.
import { createReadStream, lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs'
import { readlink } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import { ConfigurationError } from '../errors.js'
import { resolveClosure, type Closure } from './closure.js'
import { TreeWriter } from './safe-tree-writer.js'
import { TreeView, toGuestPath } from './tree-path.js'
import { walkTree } from './tree-walk.js'

export interface ExtraFile {
  /** The app directory SRC must stay inside (symlinks resolved); absent: no such bound (tests, sysroots). */
  within?: string
  /** Host path (absolute). */
  src: string
  /** Guest path of the file, or of the directory's copy. */
  dest: string
}

const EXTRA_FORM =
  "'SRC:DEST' with DEST an absolute path in the guest (e.g. 'redis.conf:/etc/redis/redis.conf', or 'conf/:/etc/app/')"

/** 'SRC:DEST' -> paths; SRC relative to appDir; DEST ending in '/' takes SRC's name. */
export function parseExtra(spec: string, appDir: string): ExtraFile {
  const i = spec.lastIndexOf(':')
  if (i <= 0 || i === spec.length - 1)
    throw new ConfigurationError('files', `Input 'files' must be ${EXTRA_FORM}, got '${spec}'`)
  const src = resolve(appDir, spec.slice(0, i))
  let dest = spec.slice(i + 1)
  if (!dest.startsWith('/'))
    throw new ConfigurationError(
      'files',
      `Input 'files' must be ${EXTRA_FORM}, got '${spec}' (DEST is not absolute)`
    )
  if (dest.endsWith('/')) dest += basename(src)
  dest = toGuestPath(dest)
  if (dest === '/')
    throw new ConfigurationError(
      'files',
      `Input 'files' must be ${EXTRA_FORM}, got '${spec}' (DEST is the root)`
    )
  if (dest.split('/').includes('..'))
    throw new ConfigurationError(
      'files',
      `Input 'files' must be ${EXTRA_FORM}, got '${spec}' (DEST has '..')`
    )
  return { src, dest, within: appDir }
}

/**
 * SRC, resolved through every symlink, must lie inside the app directory: the root filesystem's
 * files end up in the uploaded artifacts, so `../../etc/shadow` (or a link to it) must not get in.
 */
function checkInside(extra: ExtraFile): void {
  if (!extra.within) return
  const base = realpathSync(extra.within)
  const real = realpathSync(extra.src)
  const rel = relative(base, real)
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return
  throw new ConfigurationError(
    'files',
    `Input 'files' must name files inside the app directory ${extra.within}, got '${extra.src}'` +
      (real !== extra.src ? ` (a link to ${real})` : '') +
      ': copy the file into the app directory'
  )
}

/**
 * The real directory (guest path) a new entry at `dest` goes into: existing components are
 * resolved inside the tree (so '/lib/x' lands in usr/lib when /lib -> usr/lib), missing ones made.
 */
function parentForWrite(root: string, dest: string): string {
  const parts = dest.split('/').filter(Boolean).slice(0, -1)
  let real = '/'
  for (const c of parts) {
    const cand = real === '/' ? `/${c}` : `${real}/${c}`
    const r = new TreeView(root).resolve(cand)
    if (!r) {
      mkdirSync(join(root, cand), { mode: 0o755 })
      real = cand
    } else if (!r.stats.isDirectory()) {
      throw new ConfigurationError(
        'files',
        `cannot put '${dest}' in the root filesystem: '${cand}' is not a directory there`
      )
    } else real = r.path
  }
  return real
}

/** Copies one extra (file, symlink target followed, or a directory with its symlinks kept) into the tree. */
export async function addExtra(writer: TreeWriter, root: string, extra: ExtraFile): Promise<void> {
  let st
  try {
    st = statSync(extra.src)
  } catch {
    throw new ConfigurationError(
      'files',
      `Input 'files' names '${extra.src}' (for '${extra.dest}'), which does not exist`
    )
  }
  checkInside(extra)
  const parent = parentForWrite(root, extra.dest)
  const destRel = `${parent === '/' ? '' : parent.slice(1) + '/'}${basename(extra.dest)}`
  if (st.isFile()) {
    await writer.file(destRel, st.mode, createReadStream(extra.src))
    return
  }
  if (!st.isDirectory())
    throw new ConfigurationError(
      'files',
      `Input 'files' names '${extra.src}', which is neither a file nor a directory`
    )
  await writer.dir(destRel, st.mode)
  for (const w of walkTree(extra.src)) {
    const rel = `${destRel}/${w.rel}`
    if (w.st.isDirectory()) await writer.dir(rel, w.st.mode)
    else if (w.st.isSymbolicLink()) await writer.symlink(rel, await readlink(w.abs))
    else if (w.st.isFile()) await writer.file(rel, w.st.mode, createReadStream(w.abs))
  }
}

/** Builds the tree for `binary:PATH` in `destDir` (which must be new or empty). */
export async function buildBinaryTree(
  programPath: string,
  destDir: string,
  opts: { sysroot?: string; extra?: ExtraFile[]; ldLibraryPath?: string[] } = {}
): Promise<Closure> {
  const sysroot = opts.sysroot ?? '/'
  const closure = resolveClosure(programPath, { sysroot, ldLibraryPath: opts.ldLibraryPath })
  const writer = new TreeWriter(destDir, { what: `binary:${programPath}` })
  await writer.init()
  const host = (guest: string): string => join(sysroot, guest)
  for (const f of closure.files) {
    const rel = f.path.slice(1)
    if (f.type === 'symlink') await writer.symlink(rel, f.target as string)
    else {
      const st = lstatSync(host(f.path))
      await writer.file(rel, st.mode, createReadStream(host(f.path)))
    }
  }
  if (closure.needsLdSoCache) {
    // A library came from an ld.so.conf-only directory: the guest's ld.so finds it through the cache.
    const cache = new TreeView(sysroot).resolve('/etc/ld.so.cache')
    if (cache?.stats.isFile()) await writer.file('etc/ld.so.cache', 0o644, createReadStream(host(cache.path)))
  }
  for (const e of opts.extra ?? []) await addExtra(writer, destDir, e)
  await writer.finish()
  return closure
}
