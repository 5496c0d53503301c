// What the Linux baseline adds before QEMU starts: its initrd (the app's archive plus the init's
// overlay, with strace for a traced run) and, for a traced run, the file the trace port writes to.
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { RUN_FILES } from '../run-files.js'
import type { CommandRunner } from '../command-runner.js'
import type { Logger } from '../logger.js'
import { ensureBusybox } from './busybox.js'
import { prepareLinuxInitrd } from './linux-initrd.js'
import type { VmSpec } from './vm-types.js'

/**
 * A Linux kernel with its initrd does not start in the few MiB a unikernel runs in: below this it
 * dies before printing anything (64 MiB did, with the app and strace in the initrd). The baseline
 * compares behaviour, not memory, so it gets at least this much.
 */
export const LINUX_MIN_MEMORY_MIB = 128

/** The memory QEMU gives a Linux guest asked to run in `asked` MiB. */
export function linuxMemoryMiB(asked: number): number {
  return Math.max(asked, LINUX_MIN_MEMORY_MIB)
}

export interface LinuxGuestDeps {
  logger: Logger
  runner: CommandRunner
  /** A static busybox (default: the host's, else busybox-static fetched into cacheDir). */
  busybox?: string
  cacheDir?: string
  /** The host's strace for a traced run (default: the first on PATH). */
  strace?: string
}

export interface LinuxGuest {
  initrd: string
  networkProblem: string | null
  /** Where the trace port writes (traced run), else null. */
  traceFile: string | null
}

export async function prepareLinuxGuest(
  spec: VmSpec,
  outDir: string,
  network: boolean,
  deps: LinuxGuestDeps
): Promise<LinuxGuest> {
  const { runner, logger: log } = deps
  const busybox =
    deps.busybox ??
    (await ensureBusybox(deps.cacheDir ?? join(tmpdir(), 'unikraft-compat-cache'), { runner }))
  const trace = spec.trace === true
  const built = await prepareLinuxInitrd({
    appInitrd: spec.initrd,
    outPath: join(outDir, RUN_FILES.linuxInitrd),
    cmd: spec.cmd,
    env: spec.env,
    cwd: spec.cwd,
    modulesDir: spec.linuxModulesDir ?? null,
    busybox,
    trace,
    strace: deps.strace,
    runner
  })
  for (const w of built.warnings) if (network || !/no network/.test(w)) log.warning(w)
  if (trace) log.info(`VM: tracing the app with strace (${built.traceBytes} bytes added to the initrd)`)
  return {
    initrd: built.path,
    networkProblem: network ? built.networkProblem : null,
    traceFile: trace ? join(outDir, RUN_FILES.strace) : null
  }
}
