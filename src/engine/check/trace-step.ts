// Step 4 of a check: the Linux baseline, and, when the policy asks, traces of both sides. The app
// runs again on Unikraft's `trace` kernel (its console prints every system call) and the baseline
// runs under strace; the two traces are aligned and the system call that matters is named.
import { join } from 'node:path'
import type { CheckOptions, TraceMode } from '../config/check-options.js'
import { describeError, throwIfInterrupted } from '../errors.js'
import { hintFor } from '../diagnose/catalog.js'
import type { Finding } from '../finding.js'
import { findStoredKernel, verifiedKernelPath, type StoredKernel } from '../kraft/kernel-store.js'
import type { Verdict } from '../probe/index.js'
import { RUN_FILES } from '../run-files.js'
import { alignTraces } from '../trace/align.js'
import { parseTraceFile } from '../trace/trace-file.js'
import type { ParsedTrace } from '../trace/syscall-trace.js'
import { traceFindings } from '../trace/trace-findings.js'
import { syscallsSection, type SyscallsSection } from '../trace/trace-summary.js'
import type { GuestKind } from '../vm/vm-types.js'
import { bootBaseline, runPhase, wantsBaseline, type BootContext } from './boot-step.js'
import type { GuestRun } from './guest-run.js'
import type { EngineDeps } from './engine-deps.js'
import { ensureHostPackages } from './host-packages.js'
import { STRACE_PACKAGE } from '../vm/linux-strace.js'

export interface TracePlan {
  /** The stored `trace` kernel to rerun on; null when the run is not traced. */
  kernel: StoredKernel | null
  /** Why a wanted trace was not taken (no trace kernel for the version), for the result. */
  note: string | null
}

/**
 * `auto` traces when the Unikraft run did not pass, `always` every run, `never` none; only a
 * Unikraft run of a root filesystem (a native image has no Linux side), and only with a `trace`
 * kernel for the version in the kernel store.
 */
export function planTrace(
  mode: TraceMode,
  options: Pick<CheckOptions, 'kernel' | 'kernelStore' | 'unikraftVersion'>,
  run: { guest: GuestKind; hasRootfs: boolean; verdict: Verdict }
): TracePlan {
  const wanted = mode === 'always' || (mode === 'auto' && run.verdict !== 'pass')
  if (!wanted || run.guest !== 'unikraft' || !run.hasRootfs) return { kernel: null, note: null }
  // A kernel given by path is of no known version: the store's trace kernel may not match it.
  const kernel =
    options.kernelStore && !options.kernel
      ? findStoredKernel(options.kernelStore, options.unikraftVersion, 'trace')
      : null
  if (kernel) return { kernel, note: null }
  const where = options.kernel
    ? 'the kernel given with `kernel` has no trace variant'
    : options.kernelStore
      ? `the kernel store has no trace kernel for Unikraft ${options.unikraftVersion}`
      : 'no kernel store with a trace kernel is configured (`kernel-store`)'
  return { kernel: null, note: `${where}: the run was not traced` }
}

/** The traced rerun on Unikraft's trace kernel, same root filesystem, command and probes. */
export function bootUnikraftTrace(c: BootContext, kernel: StoredKernel): Promise<GuestRun> {
  const message = `Rerunning on Unikraft ${kernel.version}'s trace kernel`
  return runPhase(c, { name: 'trace', message, interrupted: 'the traced run' }, async () => ({
    guest: 'unikraft',
    kernel: await verifiedKernelPath(c.options.kernelStore!, kernel),
    outDir: join(c.outDir, RUN_FILES.unikraftTraceDir)
  }))
}

export interface TraceAnalysis {
  findings: Finding[]
  syscalls: SyscallsSection
}

/** Reads both traces, aligns them and names what differs. Never throws: what could not be read is a note. */
export async function analyseTraces(t: {
  unikraft: GuestRun | null
  linux: GuestRun | null
  /** The untraced Unikraft run's verdict: a divergence is an error when the app failed. */
  appVerdict: Verdict
  notes: string[]
  /** Finding ids the untraced run already reported (its console said so): not repeated from the trace. */
  reported: ReadonlySet<string>
}): Promise<TraceAnalysis> {
  const notes = [...t.notes]
  const read = async (path: string | null | undefined, side: string): Promise<ParsedTrace | null> => {
    if (!path) return null
    // Never throws: a missing file, garbage or a cut is said in the trace's notes.
    // At most TRACE_MAX_BYTES of it: a longer one is cut and says so (memory stays bounded).
    const p = await parseTraceFile(path)
    notes.push(...p.notes.map(n => `${side}: ${n}`))
    return p
  }
  const uk = await read(t.unikraft?.vm?.consoleLog, 'Unikraft')
  const linux = await read(t.linux?.vm?.traceFile, 'Linux')
  const usable = (p: ParsedTrace | null): p is ParsedTrace =>
    p !== null && (p.store?.length ?? p.calls.length) > 0
  const appFailed = t.appVerdict === 'fail'
  // The parsed traces go in whole: alignment reads their compact stores, never a call object each.
  const alignment =
    usable(uk) && usable(linux)
      ? alignTraces(linux, uk, { unikraftStopped: t.unikraft?.vm?.reason !== 'killed', appFailed })
      : usable(uk)
        ? alignTraces([], uk, { unikraftStopped: false, appFailed })
        : null
  const files = {
    unikraft: `${RUN_FILES.unikraftTraceDir}/${RUN_FILES.console}`,
    linux: `${RUN_FILES.baselineDir}/${RUN_FILES.strace}`
  }
  const findings = alignment
    ? traceFindings({ alignment, appVerdict: t.appVerdict, files, reported: t.reported })
    : []
  return {
    findings,
    syscalls: syscallsSection({
      unikraft: usable(uk) ? uk : null,
      linux: usable(linux) ? linux : null,
      alignment,
      notes
    })
  }
}

/** A trace was wanted but could not be taken: a note finding saying why (the run went untraced). */
export function traceUnavailable(note: string): Finding {
  return {
    id: 'trace.unavailable',
    severity: 'note',
    line: null,
    evidence: note,
    detail: null,
    hint: hintFor('trace.unavailable', null),
    source: 'setup'
  }
}

/**
 * strace on the host for the Linux side (installed when missing and allowed). A machine without it
 * runs that side untraced and says so in `notes`: the trace explains a verdict, it never costs one.
 */
export async function straceReady(deps: EngineDeps, notes: string[]): Promise<boolean> {
  try {
    await ensureHostPackages([STRACE_PACKAGE], deps, 'tracing the Linux baseline')
    return true
  } catch (err) {
    throwIfInterrupted(deps.signal, 'the strace install')
    notes.push(`the Linux side was not traced: ${describeError(err).split('\n')[0]}`)
    return false
  }
}

export interface Compared {
  /** The result's `syscalls`: null when no trace was wanted. */
  syscalls: SyscallsSection | null
  /** What the traces showed (or why none was taken); they never change the verdict. */
  findings: Finding[]
}

/**
 * After the run on Unikraft: the Linux baseline when the policy asks for it (`baseline`), and when a
 * trace is wanted (`trace`), the baseline under strace plus a rerun on the trace kernel, aligned.
 * `onBaseline` hears of the baseline run as soon as it exists (a later interruption keeps it).
 */
export async function compareWithLinux(
  boot: BootContext,
  main: GuestRun,
  onBaseline: (run: GuestRun) => void
): Promise<Compared> {
  const { options, deps } = boot
  const guest = boot.prepared.guest
  const hasRootfs = boot.input.initrd !== undefined
  const plan = planTrace(options.trace, options, { guest, hasRootfs, verdict: main.verdict })
  const notes = plan.note ? [plan.note] : []
  // The Linux side of a trace is the baseline run, under strace.
  const linuxWanted = plan.kernel !== null && options.baseline !== 'never'
  if (plan.kernel && !linuxWanted) notes.push('baseline: never: the Linux side was not traced')
  const traceLinux = linuxWanted && (await straceReady(deps, notes))
  let baseline: GuestRun | null = null
  if (wantsBaseline(options.baseline, guest, hasRootfs, main) || traceLinux) {
    baseline = await bootBaseline(boot, traceLinux)
    onBaseline(baseline)
  }
  if (plan.kernel) {
    const unikraft = await bootUnikraftTrace(boot, plan.kernel)
    return analyseTraces({
      unikraft,
      linux: traceLinux ? baseline : null,
      appVerdict: main.verdict,
      notes,
      reported: new Set(main.findings.map(f => f.id))
    })
  }
  if (plan.note)
    return {
      syscalls: syscallsSection({ unikraft: null, linux: null, notes }),
      findings: [traceUnavailable(plan.note)]
    }
  return { syscalls: null, findings: [] }
}
