// The Linux baseline's initrd: the app's own cpio archive, then a small overlay archive with the
// generated init, a static busybox, the virtio and pvpanic modules, the run's data files and, for a
// traced run, strace with its loader and libraries.
// Linux unpacks concatenated newc archives in order (later entries win), so the app's archive is
// copied byte for byte and never rewritten.
import { appendFile, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { nodeCommandRunner, type CommandRunner } from '../command-runner.js'
import { InfrastructureError } from '../errors.js'
import { writeCpio, type CpioEntry } from '../rootfs/cpio-writer.js'
import {
  INIT_SCRIPT,
  linuxInitDataFiles,
  PVPANIC_MODULES,
  UKC_DIR,
  validateLinuxInitInput,
  VIRTIO_NET_MODULES,
  type LinuxInitInput
} from './linux-init.js'
import { findHostStrace, straceBundle } from './linux-strace.js'

const MODULE_SUFFIXES = ['.ko', '.ko.xz', '.ko.zst', '.ko.gz'] as const

function moduleKey(fileName: string): string | null {
  const suffix = MODULE_SUFFIXES.find(s => fileName.endsWith(s))
  // Module names treat '-' and '_' alike (pvpanic-mmio.ko is module pvpanic_mmio).
  return suffix ? fileName.slice(0, -suffix.length).replaceAll('-', '_') : null
}

const indexCache = new Map<string, Promise<Map<string, string>>>()

/** name -> file for every module under `<modulesDir>/kernel` (walked once per process). */
function moduleIndex(modulesDir: string): Promise<Map<string, string>> {
  let p = indexCache.get(modulesDir)
  if (!p) {
    p = (async () => {
      const index = new Map<string, string>()
      const files = await readdir(join(modulesDir, 'kernel'), { recursive: true })
      for (const rel of files) {
        const key = moduleKey(basename(rel))
        if (key && !index.has(key)) index.set(key, join(modulesDir, 'kernel', rel))
      }
      return index
    })()
    indexCache.set(modulesDir, p)
    p.catch(() => indexCache.delete(modulesDir))
  }
  return p
}

async function builtinModules(modulesDir: string): Promise<Set<string>> {
  try {
    const text = await readFile(join(modulesDir, 'modules.builtin'), 'utf8')
    return new Set(
      text
        .split('\n')
        .map(l => moduleKey(basename(l.trim())))
        .filter((k): k is string => k !== null)
    )
  } catch {
    return new Set()
  }
}

export interface ModuleSelection {
  /** In load order. */
  modules: { name: string; path: string }[]
  /** Built into the kernel: nothing to load. */
  builtin: string[]
  missing: string[]
}

export async function selectModules(modulesDir: string, names: readonly string[]): Promise<ModuleSelection> {
  const [index, builtin] = await Promise.all([moduleIndex(modulesDir), builtinModules(modulesDir)])
  const out: ModuleSelection = { modules: [], builtin: [], missing: [] }
  for (const name of names) {
    const path = index.get(name)
    if (path) out.modules.push({ name, path })
    else if (builtin.has(name)) out.builtin.push(name)
    else out.missing.push(name)
  }
  return out
}

/**
 * A module as plain ELF. busybox's insmod takes only uncompressed modules, so compressed ones are
 * unpacked here on the host: gzip with zlib, xz and zstd with their programs (argv, no shell).
 */
async function plainModule(path: string, workDir: string, runner: CommandRunner): Promise<Buffer | string> {
  if (path.endsWith('.ko')) return path
  if (path.endsWith('.ko.gz')) return gunzipSync(await readFile(path))
  const program = path.endsWith('.ko.xz') ? 'xz' : 'zstd'
  const copy = join(workDir, basename(path))
  await copyFile(path, copy)
  try {
    const r = await runner.run([program, '-d', '-q', '-f', copy], { timeoutMs: 60_000 })
    if (r.code !== 0) throw new Error(r.stderr.trim() || `status ${r.code}`)
  } catch (e) {
    throw new InfrastructureError(
      `could not decompress kernel module ${basename(path)} with ${program}: ${(e as Error).message}`,
      `install ${program === 'xz' ? 'xz-utils' : 'zstd'}`
    )
  }
  return copy.replace(/\.(xz|zst)$/, '')
}

export interface LinuxInitrdInput extends LinuxInitInput {
  /** The app's root filesystem as a cpio archive (gzip allowed); absent: the overlay alone. */
  appInitrd?: string
  outPath: string
  /** `lib/modules/<release>` of the kernel package; null/absent: no modules (no network). */
  modulesDir?: string | null
  busybox: string
  /** With `trace`: the host's strace to copy (default: the first on PATH). */
  strace?: string
  runner?: CommandRunner
}

export interface LinuxInitrd {
  path: string
  modules: string[]
  warnings: string[]
  /** Why the guest can have no network (virtio-net driver neither shipped nor built in), or null. */
  networkProblem: string | null
  /** With `trace`: the bytes strace and its libraries add to the initrd; else 0. */
  traceBytes: number
}

/** Without these (as modules or built in) the guest has no virtio-net device, hence no network. */
const ESSENTIAL_NET_MODULES = ['virtio_pci', 'virtio_net'] as const

export async function prepareLinuxInitrd(input: LinuxInitrdInput): Promise<LinuxInitrd> {
  validateLinuxInitInput(input)
  const strace = input.trace ? await straceBundle(input.strace ?? (await findHostStrace())) : null
  const dataFiles = linuxInitDataFiles({ ...input, trace: strace ? { loader: strace.loader } : false })
  const runner = input.runner ?? nodeCommandRunner
  const warnings: string[] = []
  await mkdir(dirname(input.outPath), { recursive: true })
  const work = await mkdtemp(join(dirname(input.outPath), '.initrd-'))
  try {
    const bb = await stat(input.busybox)
    const entries: CpioEntry[] = [
      { path: UKC_DIR, type: 'dir', mode: 0o755 },
      { path: `${UKC_DIR}/busybox`, type: 'file', mode: 0o755, source: input.busybox, size: bb.size },
      { path: `${UKC_DIR}/init`, type: 'file', mode: 0o755, data: Buffer.from(INIT_SCRIPT, 'utf8') },
      { path: `${UKC_DIR}/modules`, type: 'dir', mode: 0o755 },
      ...dataFiles.map(f => ({
        path: `${UKC_DIR}/${f.name}`,
        type: 'file' as const,
        mode: 0o644,
        data: f.data
      })),
      // The kernel opens /dev/console for init before anything is mounted.
      { path: 'dev', type: 'dir', mode: 0o755 },
      { path: 'dev/console', type: 'char', mode: 0o600, rdevMajor: 5, rdevMinor: 1 },
      ...(strace?.entries ?? [])
    ]
    const loaded: string[] = []
    let networkProblem: string | null = null
    if (input.modulesDir) {
      const sel = await selectModules(input.modulesDir, [...VIRTIO_NET_MODULES, ...PVPANIC_MODULES])
      if (sel.missing.length > 0) {
        warnings.push(`kernel modules not found in ${input.modulesDir}: ${sel.missing.join(', ')}`)
      }
      const netMissing = ESSENTIAL_NET_MODULES.filter(m => sel.missing.includes(m))
      if (netMissing.length > 0) {
        networkProblem = `the kernel has no ${netMissing.join(' or ')} (neither a module in ${input.modulesDir} nor built in)`
      }
      let i = 0
      for (const m of sel.modules) {
        const plain = await plainModule(m.path, work, runner)
        const path = `${UKC_DIR}/modules/${String(i++).padStart(2, '0')}-${m.name}.ko`
        if (typeof plain === 'string') {
          entries.push({ path, type: 'file', mode: 0o644, source: plain, size: (await stat(plain)).size })
        } else {
          entries.push({ path, type: 'file', mode: 0o644, data: plain })
        }
        loaded.push(m.name)
      }
    } else {
      warnings.push('no kernel modules directory: the Linux baseline guest has no network')
      networkProblem = 'no kernel modules directory was given, so no virtio-net driver can be loaded'
    }
    const overlay = join(work, 'overlay.cpio')
    await writeCpio(entries, overlay)
    const tmpOut = join(work, 'initrd.cpio')
    if (input.appInitrd !== undefined) {
      await copyFile(input.appInitrd, tmpOut)
      // An uncompressed archive must start on a 4-byte boundary (a gzip member can end anywhere);
      // Linux skips NUL padding between archives.
      const size = (await stat(tmpOut)).size
      if (size % 4 !== 0) await appendFile(tmpOut, Buffer.alloc(4 - (size % 4)))
      await appendFile(tmpOut, await readFile(overlay))
    } else {
      await copyFile(overlay, tmpOut)
    }
    await rename(tmpOut, input.outPath)
    return { path: input.outPath, modules: loaded, warnings, networkProblem, traceBytes: strace?.bytes ?? 0 }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
