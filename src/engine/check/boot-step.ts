// Step 3 of a check: boot the app on its guest and probe it; then, when the policy asks, rerun it
// on the Linux baseline with the same root filesystem and command to tell Unikraft gaps from
// broken apps.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { BaselineMode, CheckOptions } from '../config/check-options.js'
import { throwIfInterrupted } from '../errors.js'
import { RUN_FILES } from '../run-files.js'
import type { GuestKind } from '../vm/vm-types.js'
import type { BuiltGuestInput } from './build-step.js'
import { probesFor } from './default-probes.js'
import type { EngineDeps, Phase } from './engine-deps.js'
import { runOnGuest, type GuestRun } from './guest-run.js'
import type { PhaseRunner } from './phase.js'
import { linuxGuest, type PreparedGuest } from './prepare-guest.js'

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

/** Where and how one run boots; the root filesystem, command and probes are the check's. */
export interface GuestPlace {
  guest: GuestKind
  kernel: string
  linuxModulesDir?: string | null
  /** The run's evidence directory (created when missing). */
  outDir: string
  kraftPath?: string | null
  trace?: boolean
}

/**
 * One run of the check's root filesystem and command as a phase: `place` says on what (resolved
 * inside the phase: a kernel download is part of it). A signal after it stops the check there,
 * keeping what the run saw.
 */
export async function runPhase(
  c: BootContext,
  phase: { name: Phase; message: string; interrupted: string },
  place: () => Promise<GuestPlace>
): Promise<GuestRun> {
  const { input, options, deps } = c
  const run = await c.phase(phase.name, phase.message, async () => {
    const p = await place()
    await mkdir(p.outDir, { recursive: true })
    return runOnGuest(
      {
        ...p,
        initrd: input.initrd,
        ...input.command,
        ports: [...options.ports],
        probes: probesFor(options, p.guest),
        preflight: input.preflightFindings,
        options
      },
      deps,
      c.runStart
    )
  })
  throwIfInterrupted(deps.signal, phase.interrupted)
  return run.value
}

/** The run on the chosen guest. */
export function bootMain(c: BootContext): Promise<GuestRun> {
  const { prepared } = c
  const where = prepared.guest === 'linux' ? 'the Linux baseline' : 'Unikraft'
  // Interrupted while booting or probing: what the run saw is kept, no baseline is started.
  return runPhase(
    c,
    { name: 'boot', message: `Booting on ${where}`, interrupted: 'the run on the guest' },
    async () => ({
      guest: prepared.guest,
      kernel: prepared.kernel,
      linuxModulesDir: prepared.linuxModulesDir,
      outDir: c.outDir,
      kraftPath: prepared.kraftPath
    })
  )
}

/**
 * The same root filesystem and command on the Linux baseline (its evidence in `baseline/`); with
 * `trace`, under strace, its trace in `baseline/strace.log`.
 */
export function bootBaseline(c: BootContext, trace = false): Promise<GuestRun> {
  const { deps } = c
  const message = trace ? 'Rerunning on the Linux baseline under strace' : 'Rerunning on the Linux baseline'
  return runPhase(c, { name: 'baseline', message, interrupted: 'the Linux baseline run' }, async () => {
    const { guest, kernel, linuxModulesDir } = await linuxGuest(deps, null)
    return { guest, kernel, linuxModulesDir, outDir: join(c.outDir, RUN_FILES.baselineDir), trace }
  })
}
