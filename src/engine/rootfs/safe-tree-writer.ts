// Writes archive entries into a directory without ever leaving it: parents must be real
// directories (never symlinks, so a "symlink, then write through it" archive is refused), an
// existing entry is replaced rather than followed, hard links may only point inside the tree.
import { chmod, link, lstat, mkdir, open, readlink, rm, symlink, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { nodeCommandRunner, type CommandRunner } from '../command-runner.js'
import { ConfigurationError } from '../errors.js'
import { readSpecials, writeSpecials, type SpecialNode } from './specials.js'
import { comparePaths } from './tree-path.js'

export interface TreeWriterOptions {
  /** Names the archive in errors, e.g. "tar 'rootfs.tar'". */
  what: string
  /** Try mknod/mkfifo for device nodes and fifos (default: true); else they go to the sidecar. */
  createSpecials?: boolean
  runner?: CommandRunner
}

export class TreeWriter {
  private readonly safeDirs = new Set<string>([''])
  private readonly dirModes = new Map<string, number>()
  private readonly specials: SpecialNode[] = []
  counts = { files: 0, dirs: 0, symlinks: 0, hardlinks: 0, specials: 0 }

  constructor(
    readonly root: string,
    private readonly opts: TreeWriterOptions
  ) {}

  async init(): Promise<void> {
    const existed = await lstat(this.root).then(
      () => true,
      () => false
    )
    await mkdir(this.root, { recursive: true })
    // A sidecar next to a directory that did not exist belongs to an older tree of that name.
    if (!existed) await writeSpecials(this.root, [])
  }

  private fail(rel: string, why: string): never {
    throw new ConfigurationError('rootfs', `${this.opts.what}: entry '${rel}' ${why}; refusing to extract it`)
  }

  private async ensureParents(rel: string): Promise<void> {
    const parts = rel.split('/')
    let prefix = ''
    for (let i = 0; i < parts.length - 1; i++) {
      prefix = prefix ? `${prefix}/${parts[i]}` : parts[i]
      if (this.safeDirs.has(prefix)) continue
      const abs = join(this.root, prefix)
      const st = await lstat(abs).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null
        throw err
      })
      if (!st) {
        await mkdir(abs, { mode: 0o755 })
      } else if (st.isSymbolicLink()) {
        const target = await readlink(abs)
        this.fail(rel, `would be written through the symlink '${prefix}' (-> ${target})`)
      } else if (!st.isDirectory()) {
        this.fail(rel, `needs '${prefix}' to be a directory, but the archive made it a file`)
      }
      this.safeDirs.add(prefix)
    }
  }

  /** Clears the way for a new entry; returns true when a directory is already there and may stay. */
  private async replaceExisting(rel: string, keepDir: boolean): Promise<boolean> {
    const abs = join(this.root, rel)
    const st = await lstat(abs).catch(() => null)
    if (!st) return false
    if (st.isDirectory()) {
      if (keepDir) return true
      await rm(abs, { recursive: true, force: true })
      // Anything cached below the removed directory is gone with it.
      this.safeDirs.clear()
      this.safeDirs.add('')
      return false
    }
    await unlink(abs)
    return false
  }

  async dir(rel: string, mode: number): Promise<void> {
    if (rel === '') return
    await this.ensureParents(rel)
    if (!(await this.replaceExisting(rel, true))) await mkdir(join(this.root, rel), { mode: 0o755 })
    this.safeDirs.add(rel)
    this.dirModes.set(rel, mode & 0o7777)
    this.counts.dirs++
  }

  async file(rel: string, mode: number, body: AsyncIterable<Buffer> | Buffer): Promise<void> {
    if (rel === '') this.fail(rel, 'names the root as a file')
    await this.ensureParents(rel)
    await this.replaceExisting(rel, false)
    const abs = join(this.root, rel)
    // 'wx' is O_CREAT|O_EXCL: it never follows a symlink that might have appeared at the path.
    const fh = await open(abs, 'wx', 0o600)
    try {
      if (Buffer.isBuffer(body)) {
        if (body.length) await fh.write(body)
      } else {
        for await (const chunk of body) await fh.write(chunk)
      }
    } finally {
      await fh.close()
    }
    await chmod(abs, mode & 0o7777)
    this.counts.files++
  }

  /** Adds data to a file created earlier (a hard-link group whose data came on a later entry). */
  async appendTo(rel: string, body: AsyncIterable<Buffer>): Promise<void> {
    await this.ensureParents(rel)
    const abs = join(this.root, rel)
    const st = await lstat(abs)
    if (!st.isFile())
      this.fail(rel, 'is a hard link whose data belongs to something that is not a regular file')
    const fh = await open(abs, 'r+')
    try {
      let pos = 0
      for await (const chunk of body) {
        await fh.write(chunk, 0, chunk.length, pos)
        pos += chunk.length
      }
      await fh.truncate(pos)
    } finally {
      await fh.close()
    }
  }

  async symlink(rel: string, target: string): Promise<void> {
    if (rel === '') this.fail(rel, 'names the root as a symlink')
    await this.ensureParents(rel)
    await this.replaceExisting(rel, false)
    // Stored as is: it is resolved by the guest against the guest's root, never followed here.
    await symlink(target, join(this.root, rel))
    this.counts.symlinks++
  }

  async hardlink(rel: string, targetRel: string): Promise<void> {
    if (rel === '') this.fail(rel, 'names the root as a hard link')
    await this.ensureParents(targetRel)
    const targetAbs = join(this.root, targetRel)
    const st = await lstat(targetAbs).catch(() => null)
    if (!st) this.fail(rel, `is a hard link to '${targetRel}', which the archive does not have before it`)
    if (st.isDirectory()) this.fail(rel, `is a hard link to the directory '${targetRel}'`)
    await this.ensureParents(rel)
    if (rel === targetRel) return
    await this.replaceExisting(rel, false)
    await link(targetAbs, join(this.root, rel))
    this.counts.hardlinks++
  }

  async special(
    rel: string,
    type: SpecialNode['type'],
    mode: number,
    rdevMajor: number,
    rdevMinor: number
  ): Promise<void> {
    if (rel === '') this.fail(rel, 'names the root as a device')
    await this.ensureParents(rel)
    await this.replaceExisting(rel, false)
    this.counts.specials++
    const node: SpecialNode = { path: rel, type, mode: mode & 0o7777, rdevMajor, rdevMinor }
    if (this.opts.createSpecials !== false && (type === 'fifo' || process.getuid?.() === 0)) {
      // Node has no mknod(2): the coreutils programs do it, run from argv (never a shell).
      const abs = join(this.root, rel)
      const m = (mode & 0o7777).toString(8)
      const argv =
        type === 'fifo'
          ? ['mkfifo', '-m', m, '--', abs]
          : ['mknod', '-m', m, '--', abs, type === 'char' ? 'c' : 'b', String(rdevMajor), String(rdevMinor)]
      const res = await (this.opts.runner ?? nodeCommandRunner).run(argv).catch(() => null)
      if (res && res.code === 0) return
    }
    this.specials.push(node)
  }

  /** Applies directory modes (deepest first, so a read-only parent never blocks its children) and saves the sidecar. */
  async finish(): Promise<{ specials: SpecialNode[] }> {
    const dirs = [...this.dirModes.entries()].sort((a, b) => b[0].split('/').length - a[0].split('/').length)
    for (const [rel, mode] of dirs) await chmod(join(this.root, rel), mode)
    if (this.specials.length === 0) return { specials: [] }
    // Merged with what an earlier writer of the same tree recorded (extraction, then extras).
    const byPath = new Map((await readSpecials(this.root)).map(s => [s.path, s]))
    for (const s of this.specials) byPath.set(s.path, s)
    await writeSpecials(this.root, [...byPath.values()])
    return { specials: [...this.specials].sort((a, b) => comparePaths(a.path, b.path)) }
  }
}
