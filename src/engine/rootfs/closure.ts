// The files a dynamically linked program needs, found the way glibc's ld.so finds them, inside
// a sysroot: DT_RPATH (only when the object has no DT_RUNPATH, inherited up the loader chain),
// LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.conf (+ includes), then the default and multiarch
// directories; $ORIGIN/$LIB/$PLATFORM expanded; candidates of another class or machine skipped.
import { ConfigurationError } from '../errors.js'
import { ElfFormatError, EM, readElf, type ElfInfo } from './elf.js'
import { readLdSoConf } from './ld-so-conf.js'
import { comparePaths, guestDirname, toGuestPath, TreeView, type ResolvedPath } from './tree-path.js'

export const DEFAULT_LIBRARY_DIRS = [
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
  '/lib64',
  '/usr/lib64',
  '/lib',
  '/usr/lib'
] as const

/** How a library was found. */
export type FoundVia = 'path' | 'rpath' | 'ld-library-path' | 'runpath' | 'ld.so.conf' | 'default'

export interface ClosureObject {
  /** The DT_NEEDED name (or the program's path). */
  name: string
  /** Guest path it was found at (search directory + name). */
  path: string
  /** Guest path with every symlink resolved. */
  realPath: string
  elf: ElfInfo
  via: FoundVia | 'program'
  /** Guest paths of the objects whose DT_NEEDED names it. */
  neededBy: string[]
}

export interface UnresolvedLibrary {
  name: string
  /** Guest paths of the objects that need it. */
  neededBy: string[]
  /** The directories searched for the first object that needed it. */
  searched: string[]
}

export interface ClosureFile {
  /** Guest path. */
  path: string
  type: 'file' | 'symlink'
  target?: string
  role: 'program' | 'interpreter' | 'library' | 'link'
}

export interface Closure {
  program: ClosureObject
  /** PT_INTERP as written in the program, and where it resolved (null: not in the sysroot). */
  interpreter: { path: string; realPath: string | null } | null
  libraries: ClosureObject[]
  unresolved: UnresolvedLibrary[]
  /** Everything to copy, symlinks kept as symlinks, sorted. */
  files: ClosureFile[]
  /** Some library was found only through an ld.so.conf directory (the guest then needs /etc/ld.so.cache). */
  needsLdSoCache: boolean
}

export interface ClosureOptions {
  /** The tree the program lives in; guest paths are resolved inside it (default '/'). */
  sysroot?: string
  /** LD_LIBRARY_PATH entries the program will run with. */
  ldLibraryPath?: string[]
  /** Share caches between several closures of the same sysroot. */
  resolver?: ClosureResolver
}

/** Caches of one sysroot: lookups, parsed ELF headers and ld.so.conf. */
export class ClosureResolver {
  readonly view: TreeView
  private conf: string[] | null = null
  private readonly elfCache = new Map<string, ElfInfo | ElfFormatError>()

  constructor(readonly sysroot: string) {
    this.view = new TreeView(sysroot)
  }

  confDirs(): string[] {
    this.conf ??= readLdSoConf(this.view)
    return this.conf
  }

  /** Parsed ELF of a real guest path; ElfFormatError when it is not one. */
  elf(realPath: string): ElfInfo | ElfFormatError {
    let e = this.elfCache.get(realPath)
    if (!e) {
      try {
        e = readElf(this.view.hostPath(realPath))
      } catch (err) {
        e = err instanceof ElfFormatError ? err : new ElfFormatError(`${realPath}: ${(err as Error).message}`)
      }
      this.elfCache.set(realPath, e)
    }
    return e
  }
}

interface Loaded {
  obj: ClosureObject
  loader: Loaded | null
}

function expandTokens(dir: string, origin: string, elf: ElfInfo): string | null {
  const lib = elf.elfClass === 64 && elf.machine === EM.X86_64 ? 'lib/x86_64-linux-gnu' : 'lib'
  const platform = elf.machineName === 'x86-64' ? 'x86_64' : elf.machineName
  const out = dir
    .replace(/\$\{ORIGIN\}|\$ORIGIN(?![A-Za-z0-9_])/g, origin)
    .replace(/\$\{LIB\}|\$LIB(?![A-Za-z0-9_])/g, lib)
    .replace(/\$\{PLATFORM\}|\$PLATFORM(?![A-Za-z0-9_])/g, platform)
  // An empty entry means the current directory: meaningless for a guest started at '/'.
  if (out === '') return null
  return toGuestPath(out)
}

function compatible(a: ElfInfo, b: ElfInfo): boolean {
  return a.elfClass === b.elfClass && a.machine === b.machine && a.endian === b.endian
}

export function resolveClosure(programPath: string, opts: ClosureOptions = {}): Closure {
  const r = opts.resolver ?? new ClosureResolver(opts.sysroot ?? '/')
  const view = r.view
  const guest = toGuestPath(programPath)
  const resolved = view.resolve(guest)
  if (!resolved || !resolved.stats.isFile()) {
    throw new ConfigurationError(
      'rootfs',
      `Input 'rootfs' must be binary:PATH of a program file, got 'binary:${programPath}': '${guest}' is not a file in ${r.sysroot === '/' ? 'the host' : `'${r.sysroot}'`}`
    )
  }
  const progElf = r.elf(resolved.path)
  if (progElf instanceof ElfFormatError)
    throw new ConfigurationError(
      'rootfs',
      `Input 'rootfs' must be binary:PATH of an ELF program, got 'binary:${programPath}': ${progElf.message}`
    )

  const files = new Map<string, ClosureFile>()
  const addFiles = (res: ResolvedPath, role: ClosureFile['role']): void => {
    for (const l of res.links)
      if (!files.has(l.path))
        files.set(l.path, { path: l.path, type: 'symlink', target: l.target, role: 'link' })
    if (!files.has(res.path)) files.set(res.path, { path: res.path, type: 'file', role })
  }
  addFiles(resolved, 'program')

  const program: ClosureObject = {
    name: guest,
    path: guest,
    realPath: resolved.path,
    elf: progElf,
    via: 'program',
    neededBy: []
  }
  let interpreter: Closure['interpreter'] = null
  if (progElf.interpreter) {
    const ir = view.resolve(progElf.interpreter)
    interpreter = { path: progElf.interpreter, realPath: ir && ir.stats.isFile() ? ir.path : null }
    if (ir && ir.stats.isFile()) addFiles(ir, 'interpreter')
  }

  const byName = new Map<string, ClosureObject>()
  const byReal = new Map<string, ClosureObject>()
  if (interpreter?.realPath) {
    // ld.so is loaded already when the libraries are: libc's DT_NEEDED on it resolves to it.
    const ie = r.elf(interpreter.realPath)
    if (!(ie instanceof ElfFormatError)) {
      const io: ClosureObject = {
        name: interpreter.path,
        path: interpreter.path,
        realPath: interpreter.realPath,
        elf: ie,
        via: 'program',
        neededBy: []
      }
      byReal.set(io.realPath, io)
      if (ie.soname) byName.set(ie.soname, io)
    }
  }
  const unresolved = new Map<string, UnresolvedLibrary>()
  const libraries: ClosureObject[] = []
  const defaults = new Set<string>(DEFAULT_LIBRARY_DIRS)
  let needsLdSoCache = false

  const search = (
    name: string,
    loader: Loaded
  ): { res: ResolvedPath; path: string; elf: ElfInfo; via: FoundVia } | { searched: string[] } => {
    const searched: string[] = []
    const tried = new Set<string>()
    const tryDir = (
      dir: string | null,
      via: FoundVia
    ): { res: ResolvedPath; path: string; elf: ElfInfo; via: FoundVia } | null => {
      if (dir === null) return null
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`
      if (tried.has(path)) return null
      tried.add(path)
      searched.push(dir)
      const res = view.resolve(path)
      if (!res || !res.stats.isFile()) return null
      const elf = r.elf(res.path)
      if (elf instanceof ElfFormatError || !compatible(elf, progElf)) return null
      return { res, path, elf, via }
    }
    if (name.includes('/')) {
      return tryDir(guestDirname(toGuestPath(name)), 'path') ?? { searched }
    }
    const origin = (o: ClosureObject): string => guestDirname(o === program ? o.realPath : o.path)
    const lo = loader.obj
    if (!lo.elf.runpath) {
      for (let l: Loaded | null = loader; l; l = l.loader) {
        if (l.obj.elf.runpath || !l.obj.elf.rpath) continue
        for (const d of l.obj.elf.rpath) {
          const hit = tryDir(expandTokens(d, origin(l.obj), l.obj.elf), 'rpath')
          if (hit) return hit
        }
      }
    }
    for (const d of opts.ldLibraryPath ?? []) {
      const hit = tryDir(d ? toGuestPath(d) : null, 'ld-library-path')
      if (hit) return hit
    }
    for (const d of lo.elf.runpath ?? []) {
      const hit = tryDir(expandTokens(d, origin(lo), lo.elf), 'runpath')
      if (hit) return hit
    }
    for (const d of r.confDirs()) {
      const hit = tryDir(d, defaults.has(d) ? 'default' : 'ld.so.conf')
      if (hit) return hit
    }
    for (const d of DEFAULT_LIBRARY_DIRS) {
      const hit = tryDir(d, 'default')
      if (hit) return hit
    }
    return { searched }
  }

  // Breadth-first, like _dl_map_object_deps: a name already loaded (by DT_NEEDED name or
  // soname) is not searched again, whoever needs it next.
  const queue: Loaded[] = [{ obj: program, loader: null }]
  for (let qi = 0; qi < queue.length; qi++) {
    const cur = queue[qi]
    for (const name of cur.obj.elf.needed) {
      const known = byName.get(name)
      if (known) {
        if (!known.neededBy.includes(cur.obj.path)) known.neededBy.push(cur.obj.path)
        continue
      }
      const miss = unresolved.get(name)
      if (miss) {
        if (!miss.neededBy.includes(cur.obj.path)) miss.neededBy.push(cur.obj.path)
        continue
      }
      const hit = search(name, cur)
      if ('searched' in hit) {
        unresolved.set(name, { name, neededBy: [cur.obj.path], searched: hit.searched })
        continue
      }
      const same = byReal.get(hit.res.path)
      if (same) {
        byName.set(name, same)
        same.neededBy.push(cur.obj.path)
        addFiles(hit.res, 'library')
        continue
      }
      const obj: ClosureObject = {
        name,
        path: hit.path,
        realPath: hit.res.path,
        elf: hit.elf,
        via: hit.via,
        neededBy: [cur.obj.path]
      }
      if (hit.via === 'ld.so.conf') needsLdSoCache = true
      byName.set(name, obj)
      if (hit.elf.soname) byName.set(hit.elf.soname, obj)
      byReal.set(hit.res.path, obj)
      libraries.push(obj)
      addFiles(hit.res, 'library')
      queue.push({ obj, loader: cur })
    }
  }

  return {
    program,
    interpreter,
    libraries,
    unresolved: [...unresolved.values()],
    files: [...files.values()].sort((a, b) => comparePaths(a.path, b.path)),
    needsLdSoCache
  }
}
