// Step 5 of a check: result.json's document, from the run's record and its judgement. Pure.
import type { CheckOptions } from '../config/check-options.js'
import { differential } from '../diagnose/index.js'
import {
  portsToJson,
  summarize,
  timelineFromVm,
  vmSummaryFrom,
  RESULT_SCHEMA_VERSION,
  type CheckResult
} from '../report/result.js'
import type { MaterializedRootfs } from '../rootfs/materialize.js'
import type { GuestKind } from '../vm/vm-types.js'
import { TOOL_NAME, TOOL_VERSION } from '../version.js'
import type { GuestRun } from './guest-run.js'
import type { Judged } from './judge.js'

/** Everything a check saw, filled step by step; what a failed step never reached stays null. */
export interface RunRecord {
  startedAt: string
  durationMs: number
  setupMs: number | null
  buildMs: number | null
  /** The guest that ran (the CLI may have fallen back to Linux). */
  guest: GuestKind
  qemuVersion: string | null
  kraftkitVersion: string | null
  rootfs: Pick<MaterializedRootfs, 'kind' | 'manifest'> | null
  main: GuestRun | null
  baseline: GuestRun | null
  /** The traces of both sides, when the check was traced (or tracing was wanted and said why not). */
  syscalls: CheckResult['syscalls']
}

export function buildResult(
  options: Pick<CheckOptions, 'appId' | 'appDir' | 'unikraftVersion'>,
  r: RunRecord,
  judged: Judged
): CheckResult {
  const { main } = r
  const vm = main?.vm ?? null
  const banner = judged.findings.find(f => f.id === 'boot.banner')
  const unikraft =
    r.guest === 'unikraft' && banner?.data && typeof banner.data.version === 'string'
      ? {
          version: banner.data.version,
          codename: (banner.data.codename as string | null) ?? null,
          commit: (banner.data.commit as string | null) ?? null
        }
      : null
  const partial: Omit<CheckResult, 'summary'> = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    verdict: judged.verdict,
    app: { name: options.appId, dir: options.appDir },
    matrixCell: { app: options.appId, version: options.unikraftVersion },
    guest: r.guest,
    accel: vm?.accel ?? null,
    accelReason: vm?.accelReason ?? null,
    unikraft,
    qemu: r.qemuVersion ? { version: r.qemuVersion } : vm?.qemuVersion ? { version: vm.qemuVersion } : null,
    kraftkit: r.kraftkitVersion ? { version: r.kraftkitVersion } : null,
    probes: (main?.probes ?? []).map(p => ({
      kind: p.kind,
      target: p.target,
      passed: p.passed,
      ...(p.inconclusive ? { inconclusive: true } : {}),
      attempts: p.attempts,
      durationMs: Math.round(p.durationMs),
      evidence: p.evidence
    })),
    findings: judged.findings,
    timeline: timelineFromVm(
      {
        setupMs: round(r.setupMs),
        buildMs: round(r.buildMs),
        launchMs: round(main ? main.launchAtMs : null)
      },
      // A Linux guest has no Unikraft banner: its first kernel line is not one.
      vm ? { ...vm.timeline, bannerMs: r.guest === 'unikraft' ? vm.timeline.bannerMs : null } : null
    ),
    ports: portsToJson(vm?.ports ?? {}),
    vm: vm ? vmSummaryFrom(vm) : null,
    baseline: r.baseline && main ? baselineSection(main, r.baseline) : null,
    syscalls: r.syscalls,
    rootfs: r.rootfs
      ? {
          kind: r.rootfs.kind,
          entries: r.rootfs.manifest.totals.entries,
          bytes: r.rootfs.manifest.totals.fileBytes
        }
      : null,
    artifacts: [],
    error: judged.error,
    startedAt: r.startedAt,
    durationMs: Math.round(r.durationMs),
    tool: { name: TOOL_NAME, version: TOOL_VERSION }
  }
  return { ...partial, summary: summarize(partial) }
}

function baselineSection(main: GuestRun, baseline: GuestRun): NonNullable<CheckResult['baseline']> {
  const side = (g: GuestRun) => ({ findings: g.findings, passed: g.verdict === 'pass', error: g.errorText })
  const d = differential(side(main), side(baseline))
  return {
    guest: 'linux',
    verdict: baseline.verdict,
    findings: baseline.findings,
    differential: { kind: d.kind, summary: d.summary }
  }
}

function round(n: number | null): number | null {
  return n === null ? null : Math.round(n)
}
