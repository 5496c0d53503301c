// Step 3 of a check: boot the app on its guest and probe it; then, when the policy asks, rerun it
// on the Linux baseline with the same root filesystem and command to tell Unikraft gaps from
// broken apps.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { BaselineMode, CheckOptions } from '../config/check-options.js'
import { throwIfInterrupted } from '../errors.js'
import { RUN_FILES } from '../run-files.js'
import { ensureLinuxKernel } from '../vm/index.js'
import type { GuestKind } from '../vm/vm-types.js'
import type { BuiltGuestInput } from './build-step.js'
import { probesFor } from './default-probes.js'
import type { EngineDeps } from './engine-deps.js'
import { runOnGuest, type GuestRun } from './guest-run.js'
import type { PhaseRunner } from './phase.js'
import type { PreparedGuest } from './prepare-guest.js'

/** The baseline runs for a Unikraft run with a root filesystem: always, or (auto) when it did not pass. */
export function wantsBaseline(
  mode: BaselineMode,
  guest: GuestKind,
  hasRootfs: boolean,
  main: Pick<GuestRun, 'verdict'>
): boolean {
  return (
    guest === 'unikraft' && hasRootfs && (mode === 'always' || (mode === 'auto' && main.verdict !== 'pass'))
  )
}

export interface BootContext {
  options: CheckOptions
  prepared: PreparedGuest
  input: BuiltGuestInput
  outDir: string
  deps: EngineDeps
  phase: PhaseRunner
  runStart: number
}

/** The run on the chosen guest. */
export async function bootMain(c: BootContext): Promise<GuestRun> {
  const { prepared, input, options } = c
  const where = prepared.guest === 'linux' ? 'the Linux baseline' : 'Unikraft'
  const run = await c.phase('boot', `Booting on ${where}`, () =>
    runOnGuest(
      {
        guest: prepared.guest,
        kernel: prepared.kernel,
        initrd: input.initrd,
        linuxModulesDir: prepared.linuxModulesDir,
        ...input.command,
        ports: [...options.ports],
        probes: probesFor(options, prepared.guest),
        preflight: input.preflightFindings,
        options,
        outDir: c.outDir,
        kraftPath: prepared.kraftPath
      },
      c.deps,
      c.runStart
    )
  )
  // Interrupted while booting or probing: what the run saw is kept, no baseline is started.
  throwIfInterrupted(c.deps.signal, 'the run on the guest')
  return run.value
}

/**
 * The same root filesystem and command on the Linux baseline (its evidence in `baseline/`); with
 * `trace`, under strace, its trace in `baseline/strace.log`.
 */
export async function bootBaseline(c: BootContext, trace = false): Promise<GuestRun> {
  const { input, options, deps } = c
  const what = trace ? 'Rerunning on the Linux baseline under strace' : 'Rerunning on the Linux baseline'
  const run = await c.phase('baseline', what, async () => {
    const linux = await ensureLinuxKernel(join(deps.cacheDir, 'linux'), {
      runner: deps.runner,
      logger: deps.logger
    })
    const baseOut = join(c.outDir, RUN_FILES.baselineDir)
    await mkdir(baseOut, { recursive: true })
    return runOnGuest(
      {
        guest: 'linux',
        kernel: linux.kernel,
        initrd: input.initrd,
        linuxModulesDir: linux.modulesDir,
        ...input.command,
        ports: [...options.ports],
        probes: probesFor(options, 'linux'),
        preflight: input.preflightFindings,
        options,
        outDir: baseOut,
        trace
      },
      deps,
      c.runStart
    )
  })
  throwIfInterrupted(deps.signal, 'the Linux baseline run')
  return run.value
}
