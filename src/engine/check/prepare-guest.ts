// Step 1 of a check: QEMU, and the kernel for the guest. The kernel comes from `kernel`, else from
// the kernel store (a pinned version, verified before every boot), else from KraftKit. When none can
// be had, the CLI falls back to the Linux baseline for the default version and says so; a version
// asked for by name, and the action, never answer with Linux instead.
import { join } from 'node:path'
import type { CheckOptions } from '../config/check-options.js'
import { hintFor } from '../diagnose/catalog.js'
import { InfrastructureError } from '../errors.js'
import type { Finding } from '../finding.js'
import { findStoredKernel, verifiedKernelPath } from '../kraft/kernel-store.js'
import { ensureUnikraftKernel } from '../kraft/kraft-kernel.js'
import { installKraftkit } from '../setup/kraftkit-install.js'
import { ensureQemu } from '../setup/qemu-setup.js'
import type { PersistEntry } from '../setup/tool-cache.js'
import { ensureLinuxKernel } from '../vm/index.js'
import { rememberQemuVersion } from '../vm/qemu-binary.js'
import type { GuestKind } from '../vm/vm-types.js'
import type { EngineDeps } from './engine-deps.js'
import { ensureHostPackages } from './host-packages.js'

export interface PreparedGuest {
  guest: GuestKind
  kernel: string
  linuxModulesDir: string | null
  /** Set when the CLI fell back to the Linux baseline: says so in the result. */
  fallbackNote: Finding | null
  /** The kraft binary, when KraftKit was installed (for `runner: kraft`). */
  kraftPath: string | null
}

/** What setup learnt, also when it failed part way (the result reports what it could). */
export interface SetupFacts {
  qemuVersion: string | null
  kraftkitVersion: string | null
  /** What the front should save across runs (KraftKit, built kernels), in its post step. */
  persist: PersistEntry[]
}

export const NO_KERNEL_HINT =
  'give a prebuilt Unikraft image with the `kernel` input (--kernel PATH; skips KraftKit), a kernel store holding the version (`kernel-store`), run where github.com and unikraft.org are reachable, or check with `guest: linux` only'

export async function prepareGuest(
  options: CheckOptions,
  deps: EngineDeps,
  facts: SetupFacts
): Promise<PreparedGuest> {
  const qemu = await ensureQemu(
    {
      runner: deps.runner,
      logger: deps.logger,
      versionCacheFile: join(deps.cacheDir, 'qemu-version.json')
    },
    { install: deps.installMissing }
  )
  if (!qemu.ok) {
    throw new InfrastructureError(
      qemu.problem ?? 'QEMU is not usable',
      'install it: apt-get install qemu-system-x86 (or run `unikraft-compat setup`)'
    )
  }
  facts.qemuVersion = qemu.version
  if (qemu.path && qemu.version) rememberQemuVersion(qemu.path, qemu.version)
  if (options.packages.length > 0) await ensureHostPackages(options.packages, deps)
  if (options.guest === 'linux') {
    if (options.runner === 'kraft')
      deps.logger.info('runner: kraft runs Unikraft images only; the Linux baseline runs under QEMU directly')
    return linuxGuest(deps, null)
  }
  const installKraft = (): Promise<string> => installKraftFor(options, deps, facts)
  const stored =
    !options.kernel && options.kernelStore
      ? findStoredKernel(options.kernelStore, options.unikraftVersion)
      : null
  if (stored && options.kernelStore) {
    // Verified before every boot; a damaged or tampered file is an error, never a fallback.
    const kernel = await verifiedKernelPath(options.kernelStore, stored)
    deps.logger.info(
      `Unikraft kernel: ${kernel} (Unikraft ${stored.version}, ${stored.variant}, from the kernel store; sha256 verified)`
    )
    return unikraft(kernel, options.runner === 'kraft' ? await installKraft() : null)
  }
  try {
    return await kraftGuest(options, deps, facts, installKraft)
  } catch (err) {
    // Only a kernel KraftKit could not get may fall back; a given or stored kernel's problem is the check's.
    if (!(err instanceof InfrastructureError) || options.kernel) throw err
    return fallBack(err, options, deps)
  }
}

async function installKraftFor(options: CheckOptions, deps: EngineDeps, facts: SetupFacts): Promise<string> {
  const kk = await installKraftkit(
    { version: options.kraftkitVersion, arch: options.arch },
    {
      download: deps.download,
      toolCache: deps.toolCache,
      logger: deps.logger,
      runner: deps.runner,
      persistentCache: deps.persistentCache
    }
  )
  if (kk.persist) facts.persist.push(kk.persist)
  facts.kraftkitVersion = kk.version
  return kk.path
}

/** A given kernel (checked), or one KraftKit pulls or builds. */
async function kraftGuest(
  options: CheckOptions,
  deps: EngineDeps,
  facts: SetupFacts,
  installKraft: () => Promise<string>
): Promise<PreparedGuest> {
  const kraftPath = options.kernel ? null : await installKraft()
  const k = await ensureUnikraftKernel(
    {
      kernel: options.kernel,
      unikraftVersion: options.unikraftVersion,
      arch: options.arch,
      kraftPath: kraftPath ?? '',
      workDir: join(deps.cacheDir, 'unikraft')
    },
    { runner: deps.runner, logger: deps.logger, persistentCache: deps.persistentCache, signal: deps.signal }
  )
  if (k.persist) facts.persist.push(k.persist)
  return unikraft(k.path, kraftPath ?? (options.runner === 'kraft' ? await installKraft() : null))
}

function unikraft(kernel: string, kraftPath: string | null): PreparedGuest {
  return { guest: 'unikraft', kernel, linuxModulesDir: null, fallbackNote: null, kraftPath }
}

/** No Unikraft kernel could be had (no `kernel` given): an error naming the ways out, or the CLI's Linux fallback. */
async function fallBack(
  err: InfrastructureError,
  options: CheckOptions,
  deps: EngineDeps
): Promise<PreparedGuest> {
  const why = err.message.split('\n')[0]
  if (deps.kernelFallback !== 'linux' || options.unikraftVersionGiven) {
    // A release asked for by name is the point of the check: never answered by Linux instead.
    const stored = [...new Set(options.kernelStore?.kernels.map(k => k.version) ?? [])]
    const where =
      stored.length > 0
        ? `the kernel store has ${stored.join(', ')}; `
        : options.kernelStore
          ? ''
          : 'no kernel store holds it (see docs/setup.md, "Kernel stores"); '
    throw new InfrastructureError(
      `Unikraft ${options.unikraftVersion} could not be had: ${why}`,
      where + NO_KERNEL_HINT,
      {
        cause: err
      }
    )
  }
  deps.logger.warning(
    `No Unikraft kernel could be had (${why}). Running on the Linux baseline instead: pass --kernel PATH (a Unikraft ELF-loader image) to check on Unikraft.`
  )
  return linuxGuest(deps, {
    id: 'setup.unikraft-unavailable',
    severity: 'warning',
    line: null,
    evidence: why,
    detail: options.unikraftVersion,
    hint: hintFor('setup.unikraft-unavailable', null),
    source: 'setup'
  })
}

/** The Linux baseline's kernel (downloaded once into the cache) as the guest. */
export async function linuxGuest(deps: EngineDeps, fallbackNote: Finding | null): Promise<PreparedGuest> {
  const linux = await ensureLinuxKernel(join(deps.cacheDir, 'linux'), {
    runner: deps.runner,
    logger: deps.logger
  })
  return {
    guest: 'linux',
    kernel: linux.kernel,
    linuxModulesDir: linux.modulesDir,
    fallbackNote,
    kraftPath: null
  }
}
