// From the `rootfs` input to a directory tree preflight can inspect and packDirectory can pack,
// plus the image defaults (Dockerfile) and the manifest. Built in a temporary directory and
// renamed into place at the end: a failed run leaves no tree behind, stale or half-written.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readlink, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { CommandRunner } from '../command-runner.js'
import { ConfigurationError } from '../errors.js'
import type { Logger } from '../logger.js'
import { addExtra, buildBinaryTree, parseExtra, type ExtraFile } from './binary-tree.js'
import type { Closure } from './closure.js'
import { extractCpio } from './cpio-reader.js'
import {
  buildDockerRootfs,
  type DockerBuildDeps,
  type DockerBuildOptions,
  type DockerBuildResult
} from './docker-build.js'
import type { ImageConfig } from './docker-image-config.js'
import { buildManifest, writeManifest, type Manifest } from './manifest.js'
import { parseRootfsSpec, type RootfsSource } from './rootfs-spec.js'
import { TreeWriter } from './safe-tree-writer.js'
import { readSpecials, specialsSidecarPath, type SpecialNode } from './specials.js'
import { extractTar } from './tar-extract.js'
import { splitRdev, walkTree } from './tree-walk.js'

export interface MaterializeOptions {
  appDir: string
  /** Where the tree, its manifest and the build log go (created if missing). */
  workDir: string
  /** binary: the tree the program and its libraries come from (default '/'). */
  sysroot?: string
  /** The `files` input: 'SRC:DEST' entries added to the tree (SRC relative to appDir). */
  extra?: string[]
  buildArgs?: Record<string, string>
  target?: string
  /** Docker build context (default: the Dockerfile's directory). */
  context?: string
  /** Aborted by a signal: a running build is ended (its client and the build with it). */
  signal?: AbortSignal
  /** Where the Docker build log goes (default: the work dir); the run directory keeps it when a build fails. */
  buildLogPath?: string
  /** See DockerBuildOptions.pidFile. */
  buildPidFile?: string
}

export interface MaterializeDeps {
  runner: CommandRunner
  logger: Logger
  /** Injected in tests; default buildDockerRootfs. */
  buildDocker?: (opts: DockerBuildOptions, deps: DockerBuildDeps) => Promise<DockerBuildResult>
}

export interface MaterializedRootfs {
  /** The tree: `<workDir>/rootfs`, or the user's own directory when it needed no changes. */
  treeDir: string
  kind: RootfsSource['kind']
  source: RootfsSource
  /** Dockerfile: the image's CMD, ENTRYPOINT, ENV, WORKDIR. */
  imageConfig?: ImageConfig
  buildLogPath?: string
  manifest: Manifest
  manifestPath: string
  /**
   * cpio source without extras: the archive itself, to boot as is. It may be gzip-compressed
   * (`source.gzip`), which Linux reads and Unikraft's ukcpio does not: repack the tree for Unikraft.
   */
  cpioPath?: string
  /** binary source: what was resolved, and what was not. */
  closure?: Closure
  /** Device nodes kept in the sidecar (they could not be created on disk). */
  specials: SpecialNode[]
}

export const TREE_NAME = 'rootfs'
export const MANIFEST_NAME = 'rootfs-manifest.json'
export const BUILD_LOG_NAME = 'docker-build.log'

/** Copies a directory into a TreeWriter (symlinks as symlinks, hard links as copies). */
async function copyTree(src: string, writer: TreeWriter): Promise<void> {
  for (const w of walkTree(src)) {
    if (w.st.isDirectory()) await writer.dir(w.rel, w.st.mode)
    else if (w.st.isSymbolicLink()) await writer.symlink(w.rel, await readlink(w.abs))
    else if (w.st.isFile()) await writer.file(w.rel, w.st.mode, createReadStream(w.abs))
    else if (w.st.isCharacterDevice() || w.st.isBlockDevice() || w.st.isFIFO()) {
      const { major, minor } = splitRdev(w.st.rdev)
      await writer.special(
        w.rel,
        w.st.isFIFO() ? 'fifo' : w.st.isCharacterDevice() ? 'char' : 'block',
        w.st.mode,
        major,
        minor
      )
    }
  }
  for (const s of await readSpecials(src))
    await writer.special(s.path, s.type, s.mode, s.rdevMajor, s.rdevMinor)
}

function unreadable(err: unknown): Error {
  const e = err as NodeJS.ErrnoException
  if ((e.code === 'EACCES' || e.code === 'EPERM') && e.path) {
    return new ConfigurationError(
      'rootfs',
      `cannot read '${e.path}' while building the root filesystem (permission denied)`
    )
  }
  return err as Error
}

export async function materializeRootfs(
  spec: string | RootfsSource,
  opts: MaterializeOptions,
  deps: MaterializeDeps
): Promise<MaterializedRootfs> {
  const source = typeof spec === 'string' ? await parseRootfsSpec(spec, opts.appDir) : spec
  const extras: ExtraFile[] = (opts.extra ?? []).map(e => parseExtra(e, opts.appDir))
  await mkdir(opts.workDir, { recursive: true })
  const finalTree = join(opts.workDir, TREE_NAME)
  const manifestPath = join(opts.workDir, MANIFEST_NAME)
  // Whatever an earlier run left belongs to an earlier input: never let it pass for this one's.
  await rm(finalTree, { recursive: true, force: true })
  await rm(specialsSidecarPath(finalTree), { force: true })
  await rm(manifestPath, { force: true })

  const id = randomBytes(6).toString('hex')
  const tmp = join(opts.workDir, `.rootfs-${id}.partial`)
  const tmpTar = join(opts.workDir, `.rootfs-${id}.tar`)
  const result: Omit<MaterializedRootfs, 'treeDir' | 'manifest' | 'manifestPath' | 'specials'> = {
    kind: source.kind,
    source
  }
  let treeDir = finalTree
  try {
    const newWriter = async (what: string): Promise<TreeWriter> => {
      const w = new TreeWriter(tmp, { what, runner: deps.runner })
      await w.init()
      return w
    }
    switch (source.kind) {
      case 'directory': {
        if (extras.length === 0) {
          treeDir = source.path
          break
        }
        const w = await newWriter(`directory '${source.path}'`)
        await copyTree(source.path, w)
        for (const e of extras) await addExtra(w, tmp, e)
        await w.finish()
        break
      }
      case 'tar':
        await extractTar(source.path, tmp, { runner: deps.runner })
        break
      case 'cpio':
        await extractCpio(source.path, tmp, { runner: deps.runner })
        // Booted as is, unless extra files changed the tree (then the tree is what to pack).
        if (extras.length === 0) result.cpioPath = source.path
        break
      case 'binary':
        result.closure = await buildBinaryTree(source.path, tmp, { sysroot: opts.sysroot, extra: extras })
        break
      case 'dockerfile': {
        const logPath = opts.buildLogPath ?? join(opts.workDir, BUILD_LOG_NAME)
        const build = deps.buildDocker ?? buildDockerRootfs
        const built = await build(
          {
            dockerfile: source.dockerfile,
            context: opts.context ?? source.context,
            target: opts.target,
            buildArgs: opts.buildArgs,
            outTar: tmpTar,
            logPath,
            signal: opts.signal,
            pidFile: opts.buildPidFile
          },
          { runner: deps.runner, logger: deps.logger }
        )
        result.imageConfig = built.config
        result.buildLogPath = logPath
        await extractTar(built.tarPath, tmp, { runner: deps.runner })
        await rm(built.tarPath, { force: true })
        break
      }
    }
    if (extras.length && (source.kind === 'tar' || source.kind === 'cpio' || source.kind === 'dockerfile')) {
      const w = new TreeWriter(tmp, { what: 'files', runner: deps.runner })
      for (const e of extras) await addExtra(w, tmp, e)
      await w.finish()
    }
    if (treeDir === finalTree) {
      await rename(tmp, finalTree)
      await rename(specialsSidecarPath(tmp), specialsSidecarPath(finalTree)).catch(
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err
        }
      )
    }
    const manifest = await buildManifest(treeDir)
    await writeManifest(manifest, manifestPath)
    deps.logger.info(
      `root filesystem (${source.kind}): ${manifest.totals.entries} entries, ${(manifest.totals.fileBytes / (1 << 20)).toFixed(1)} MiB in ${treeDir}`
    )
    return { ...result, treeDir, manifest, manifestPath, specials: await readSpecials(treeDir) }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true })
    await rm(specialsSidecarPath(tmp), { force: true })
    await rm(tmpTar, { force: true })
    await rm(finalTree, { recursive: true, force: true })
    await rm(specialsSidecarPath(finalTree), { force: true })
    throw unreadable(err)
  }
}
