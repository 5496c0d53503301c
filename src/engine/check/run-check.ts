// The engine's entry: one check of one app, from setup to result.json. The action and the CLI both
// call runCheck; nothing here knows which front is asking. It runs named steps in order:
//   1. prepare the guest (QEMU, the kernel)          prepare-guest.ts
//   2. build and preflight the root filesystem        build-step.ts
//   3. boot and probe                                 boot-step.ts
//   4. the Linux baseline, and traces of both sides   trace-step.ts (when asked)
//   5. judge                                          judge.ts
//   6. build the result                               check-result.ts
// A result is always written, also when a step failed (verdict `error`), so the logs are never lost.
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CheckOptions } from '../config/check-options.js'
import { asEnvironmentError } from '../errors.js'
import type { Finding } from '../finding.js'
import { writeResultFile } from '../report/result-file.js'
import type { CheckResult } from '../report/result.js'
import { clearRunFiles, listRunFiles, RUN_FILES } from '../run-files.js'
import { rdseedWarning } from '../setup/qemu-setup.js'
import type { PersistEntry } from '../setup/tool-cache.js'
import { bootMain } from './boot-step.js'
import { buildGuestInput, type BuiltGuestInput } from './build-step.js'
import { buildResult, type RunRecord } from './check-result.js'
import type { EngineDeps } from './engine-deps.js'
import { judge } from './judge.js'
import { prepareOutDir } from './out-dir.js'
import { phaseRunner } from './phase.js'
import { prepareGuest, type SetupFacts } from './prepare-guest.js'
import { makeScratchDir } from './scratch.js'
import { compareWithLinux } from './trace-step.js'

export { listRunFiles, RUN_FILES }

export interface CheckRun {
  result: CheckResult
  resultFile: string
  /** What the front should save across runs (KraftKit, built kernels), in its post step. */
  persist: PersistEntry[]
}

export async function runCheck(options: CheckOptions, outDir: string, deps: EngineDeps): Promise<CheckRun> {
  const runStart = deps.clock.now()
  await prepareOutDir(outDir)
  await clearRunFiles(outDir)
  const work = await makeScratchDir(deps.tempDir ?? tmpdir())
  const phase = phaseRunner(deps)
  const setup: SetupFacts = { qemuVersion: null, kraftkitVersion: null, persist: [] }
  const record: RunRecord = {
    startedAt: deps.clock.wallTime().toISOString(),
    durationMs: 0,
    setupMs: null,
    buildMs: null,
    guest: options.guest,
    qemuVersion: null,
    kraftkitVersion: null,
    rootfs: null,
    main: null,
    baseline: null,
    syscalls: null
  }
  const stepFindings: Finding[] = []
  const traceFindings: Finding[] = []
  let input: BuiltGuestInput | null = null
  let failure: unknown = undefined
  try {
    const prepared = await phase('setup', 'Setting up QEMU and the kernel', () =>
      prepareGuest(options, deps, setup)
    )
    record.setupMs = prepared.ms
    record.guest = prepared.value.guest
    if (prepared.value.fallbackNote) stepFindings.push(prepared.value.fallbackNote)

    const built = await phase('build', 'Building the root filesystem', () =>
      buildGuestInput(options, { guest: record.guest, work, outDir }, deps, r => (record.rootfs = r))
    )
    record.buildMs = built.ms
    input = built.value
    stepFindings.push(...input.commandFindings)

    if (!input.blocked) {
      const boot = { options, prepared: prepared.value, input, outDir, deps, phase, runStart }
      const main = (record.main = await bootMain(boot))
      const compared = await compareWithLinux(boot, main, run => (record.baseline = run))
      record.syscalls = compared.syscalls
      traceFindings.push(...compared.findings)
    }
    warnRdseed(options, record, setup, deps)
  } catch (err) {
    failure = asEnvironmentError(err)
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => {})
  }

  record.qemuVersion = setup.qemuVersion
  record.kraftkitVersion = setup.kraftkitVersion
  record.durationMs = deps.clock.now() - runStart
  const judged = judge({
    main: record.main,
    failure,
    preflightFindings: input?.preflightFindings ?? [],
    stepFindings,
    traceFindings,
    allow: options.allow
  })
  const result = buildResult(options, record, judged)
  const resultFile = join(outDir, RUN_FILES.result)
  result.artifacts = await listRunFiles(outDir)
  await writeResultFile(resultFile, result)
  return { result, resultFile, persist: setup.persist }
}

/** A Unikraft kernel that never printed its banner may be stuck in the RNG's init (QEMU without RDSEED). */
function warnRdseed(options: CheckOptions, record: RunRecord, setup: SetupFacts, deps: EngineDeps): void {
  const pastInit = record.main?.vm?.timeline.bannerMs != null
  if (!setup.qemuVersion || pastInit || record.guest !== 'unikraft') return
  const w = rdseedWarning({
    qemuVersion: setup.qemuVersion,
    accel: record.main?.vm?.accel ?? 'tcg',
    unikraftVersion: options.unikraftVersion
  })
  if (w) deps.logger.warning(w)
}
