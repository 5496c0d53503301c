// The Linux baseline's kernel: the distribution's cloud kernel package, fetched with apt-get
// download and unpacked with dpkg-deb into a cache directory (no root, nothing installed on the
// host). The first call downloads (about 27 MB); later calls read the cache's manifest and run nothing.
import { access, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { nodeCommandRunner, type CommandRunner } from '../command-runner.js'
import { InfrastructureError } from '../errors.js'
import type { Logger } from '../logger.js'
import { APT_HINT, aptDepends, aptDownload, debField, dpkgExtract } from './apt-package.js'

/** Debian's metapackage first; Ubuntu has no cloud kernel, its small virtual-machine kernel is `kvm`. */
export const KERNEL_METAPACKAGES = ['linux-image-cloud-amd64', 'linux-image-kvm'] as const

export interface LinuxKernel {
  /** The vmlinuz to boot. */
  kernel: string
  /** `lib/modules/<release>` of the package, or null when it ships none. */
  modulesDir: string | null
  /** The package version, e.g. 6.1.192-2. */
  version: string
  /** The kernel release, e.g. 6.1.0-56-cloud-amd64. */
  release: string
  /** The concrete package, e.g. linux-image-6.1.0-56-cloud-amd64. */
  package: string
}

interface Manifest {
  kernel: string
  modulesDir: string | null
  version: string
  release: string
  package: string
}

export interface LinuxKernelDeps {
  runner?: CommandRunner
  logger?: Logger
  /** Metapackages to try, in order (default KERNEL_METAPACKAGES). */
  metapackages?: readonly string[]
}

const MANIFEST = 'kernel.json'

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

async function readManifest(cacheDir: string): Promise<LinuxKernel | null> {
  let m: Manifest
  try {
    m = JSON.parse(await readFile(join(cacheDir, MANIFEST), 'utf8')) as Manifest
  } catch {
    return null
  }
  const kernel = resolve(cacheDir, m.kernel)
  const modulesDir = m.modulesDir === null ? null : resolve(cacheDir, m.modulesDir)
  if (!(await exists(kernel)) || (modulesDir !== null && !(await exists(modulesDir)))) return null
  return { kernel, modulesDir, version: m.version, release: m.release, package: m.package }
}

/** The concrete image package behind the first metapackage apt knows, plus the modules package
 * some distributions (Ubuntu) split off. */
async function resolvePackages(runner: CommandRunner, metas: readonly string[]): Promise<string[]> {
  const problems: string[] = []
  for (const meta of metas) {
    let deps: string[]
    try {
      deps = await aptDepends(runner, meta)
    } catch (e) {
      if (e instanceof InfrastructureError && /is not available on this machine/.test(e.message)) throw e
      problems.push((e as Error).message)
      continue
    }
    const image = deps.find(d => d.startsWith('linux-image-') && /\d/.test(d))
    if (!image) {
      problems.push(`${meta} depends on no concrete linux-image package (${deps.join(', ') || 'nothing'})`)
      continue
    }
    const modules = (await aptDepends(runner, image)).filter(d => /^linux-modules-\d/.test(d))
    return [image, ...modules]
  }
  throw new InfrastructureError(
    `no Linux kernel package found for the baseline: ${problems.join('; ')}`,
    APT_HINT
  )
}

async function findKernelFiles(
  root: string
): Promise<{ kernel: string; release: string; modulesDir: string | null }> {
  const boot = join(root, 'boot')
  const images = (await readdir(boot).catch(() => [] as string[])).filter(f => f.startsWith('vmlinuz-'))
  if (images.length === 0)
    throw new InfrastructureError(`the kernel package has no /boot/vmlinuz-*`, APT_HINT)
  const image = images.sort()[0]
  const release = image.slice('vmlinuz-'.length)
  for (const base of ['lib/modules', 'usr/lib/modules']) {
    const dir = join(root, base, release)
    if (await exists(dir)) return { kernel: join(boot, image), release, modulesDir: dir }
  }
  return { kernel: join(boot, image), release, modulesDir: null }
}

/**
 * Returns the cached kernel, downloading and unpacking it on the first call. Concurrent callers
 * (parallel test workers) each unpack into a private staging directory; the first rename wins.
 */
export async function ensureLinuxKernel(cacheDir: string, deps: LinuxKernelDeps = {}): Promise<LinuxKernel> {
  const dir = resolve(cacheDir)
  const cached = await readManifest(dir)
  if (cached) return cached
  const runner = deps.runner ?? nodeCommandRunner
  await mkdir(dir, { recursive: true })
  const packages = await resolvePackages(runner, deps.metapackages ?? KERNEL_METAPACKAGES)
  deps.logger?.info(`Linux baseline: downloading ${packages.join(', ')} into ${dir}`)
  const staging = await mkdtemp(join(dir, '.staging-'))
  try {
    const root = join(staging, 'root')
    let version = ''
    for (const pkg of packages) {
      const deb = await aptDownload(runner, pkg, staging)
      if (!version) version = await debField(runner, deb, 'Version')
      await dpkgExtract(runner, deb, root)
    }
    const found = await findKernelFiles(root)
    const finalDir = join(dir, `${packages[0]}_${version}`)
    try {
      await rename(root, finalDir)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e
      // another process unpacked the same package first: use theirs
    }
    const toFinal = (p: string): string => join(finalDir, relative(root, p))
    const manifest: Manifest = {
      kernel: relative(dir, toFinal(found.kernel)),
      modulesDir: found.modulesDir === null ? null : relative(dir, toFinal(found.modulesDir)),
      version,
      release: found.release,
      package: packages[0]
    }
    const tmp = join(staging, MANIFEST)
    await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n')
    await rename(tmp, join(dir, MANIFEST))
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
  const done = await readManifest(dir)
  if (!done)
    throw new InfrastructureError(`the Linux kernel cache at ${dir} is incomplete`, 'delete it and retry')
  return done
}
