// Step 2 of a check: the root filesystem (built, unpacked or packed), the command, and preflight.
// A root filesystem that cannot run (a missing library, not PIE...) is named before any boot and
// never packed (it can be gigabytes): nothing will boot it.
import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CheckOptions } from '../config/check-options.js'
import { hintFor } from '../diagnose/catalog.js'
import { ConfigurationError } from '../errors.js'
import type { Finding } from '../finding.js'
import { computeVerdict, type VerdictResult } from '../probe/index.js'
import { materializeRootfs, type MaterializedRootfs } from '../rootfs/materialize.js'
import { packDirectory } from '../rootfs/pack-directory.js'
import { preflight } from '../rootfs/preflight.js'
import { RUN_FILES } from '../run-files.js'
import { emptyArgumentIndexes } from '../vm/unikraft-cmdline.js'
import type { GuestKind } from '../vm/vm-types.js'
import { appCommand, kraftfileCmd, type AppCommand } from './app-command.js'
import type { EngineDeps } from './engine-deps.js'

export interface BuiltGuestInput {
  /** The app's command, environment and working directory. */
  command: AppCommand
  /** The root filesystem as cpio for the guest; absent for a native image, or when preflight blocked the boot. */
  initrd: string | undefined
  preflightFindings: Finding[]
  /** Findings about the command itself (empty arguments Unikraft cannot carry). */
  commandFindings: Finding[]
  /** Preflight's verdict when it found the root filesystem cannot run; null when it may boot. */
  blocked: VerdictResult | null
}

export interface BuildPlace {
  guest: GuestKind
  /** Scratch directory of this run (removed after it). */
  work: string
  /** The run directory (evidence). */
  outDir: string
}

/**
 * Builds what the guest boots. `onRootfs` hears of the root filesystem as soon as it exists, so a
 * later failure (a missing command) still reports it.
 */
export async function buildGuestInput(
  options: CheckOptions,
  place: BuildPlace,
  deps: EngineDeps,
  onRootfs: (r: MaterializedRootfs) => void
): Promise<BuiltGuestInput> {
  const { guest, work } = place
  const built = await materialize(options, place, deps)
  if (built) onRootfs(built)
  const command = appCommand(options, {
    kraftfileCmd: await kraftfileCmd(options.kraftfile),
    image: built?.imageConfig,
    treeDir: built?.treeDir ?? null
  })
  const commandFindings = guest === 'unikraft' ? emptyArgumentFindings(command.cmd) : []
  if (!built) return { command, initrd: undefined, preflightFindings: [], commandFindings, blocked: null }
  const preflightFindings = await preflight(built.treeDir, command.cmd, {
    memoryMiB: options.memoryMiB,
    guest,
    env: command.env,
    workdir: command.workdir ?? undefined,
    manifest: built.manifest
  })
  const verdict = computeVerdict({ probes: [], findings: preflightFindings, allow: options.allow })
  if (verdict.verdict === 'fail') {
    deps.logger.info(`Preflight found problems; not booting: ${verdict.summary}`)
    return { command, initrd: undefined, preflightFindings, commandFindings, blocked: verdict }
  }
  // Unikraft's ukcpio reads plain newc only: a gzip archive given as rootfs is repacked from its tree.
  const gzipCpio = built.source.kind === 'cpio' && built.source.gzip
  let initrd: string
  if (built.cpioPath && !(gzipCpio && guest === 'unikraft')) initrd = built.cpioPath
  else {
    initrd = join(work, 'initrd.cpio')
    await packDirectory(built.treeDir, initrd, { hardlinks: guest === 'linux' ? 'link' : 'copy' })
  }
  return { command, initrd, preflightFindings, commandFindings, blocked: null }
}

/** The root filesystem's tree and manifest; null for a native image (a kernel given without rootfs). */
async function materialize(
  options: CheckOptions,
  { guest, work, outDir }: BuildPlace,
  deps: EngineDeps
): Promise<MaterializedRootfs | null> {
  if (!options.rootfs) {
    if (guest === 'unikraft' && options.kernel) return null
    throw new ConfigurationError(
      'rootfs',
      "Input 'rootfs' is needed: give a Dockerfile, a directory, a .tar/.tar.gz, a .cpio or binary:PATH (or put a Dockerfile in the app directory)"
    )
  }
  const rootfs = await materializeRootfs(
    options.rootfs,
    {
      appDir: options.appDir,
      workDir: work,
      extra: options.files,
      buildArgs: options.buildArgs,
      target: options.target ?? undefined,
      signal: deps.signal,
      // Straight into the run directory: a failed build's log is the evidence that must stay.
      buildLogPath: join(outDir, RUN_FILES.buildLog),
      buildPidFile: join(outDir, RUN_FILES.dockerBuildPid)
    },
    { runner: deps.runner, logger: deps.logger }
  )
  await copyFile(rootfs.manifestPath, join(outDir, RUN_FILES.manifest))
  return rootfs
}

/** Unikraft's command line cannot carry an empty argument: one warning per empty argument. */
function emptyArgumentFindings(cmd: readonly string[]): Finding[] {
  return emptyArgumentIndexes(cmd).map(i => ({
    id: 'config.empty-argument',
    severity: 'warning',
    line: null,
    evidence: `argument ${i} of the command is empty: ${JSON.stringify(cmd)}`,
    detail: String(i),
    hint: hintFor('config.empty-argument', null),
    source: 'preflight'
  }))
}
