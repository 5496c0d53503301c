// The engine's entry: one check of one app, from setup to result.json. The action and the CLI
// both call runCheck; nothing here knows which front is asking. A result is always written, also
// when the check could not be carried out (verdict `error`), so the logs are never lost.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { splitWordsFor } from '../config/shell-words.js'
import type { CheckOptions } from '../config/check-options.js'
import type { Finding } from '../finding.js'
import { differential } from '../diagnose/index.js'
import { hintFor } from '../diagnose/catalog.js'
import {
  asEnvironmentError,
  ConfigurationError,
  errorKind,
  InfrastructureError,
  throwIfInterrupted,
  toError
} from '../errors.js'
import { installKraftkit } from '../setup/kraftkit-install.js'
import { findStoredKernel, verifiedKernelPath } from '../kraft/kernel-store.js'
import { ensureUnikraftKernel } from '../kraft/kraft-kernel.js'
import { computeVerdict, parseProbe, type ProbeSpec } from '../probe/index.js'
import {
  portsToJson,
  summarize,
  timelineFromVm,
  vmSummaryFrom,
  RESULT_SCHEMA_VERSION,
  type CheckResult
} from '../report/result.js'
import { writeResultFile } from '../report/result-file.js'
import { defaultCommand, type ImageConfig } from '../rootfs/docker-image-config.js'
import { materializeRootfs, type MaterializedRootfs } from '../rootfs/materialize.js'
import { packDirectory } from '../rootfs/pack-directory.js'
import { preflight, resolveCommand } from '../rootfs/preflight.js'
import { emptyArgumentIndexes } from '../vm/unikraft-cmdline.js'
import type { PersistEntry } from '../setup/tool-cache.js'
import { ensureQemu, rdseedWarning } from '../setup/qemu-setup.js'
import { ensureLinuxKernel } from '../vm/index.js'
import { rememberQemuVersion } from '../vm/qemu-binary.js'
import type { GuestKind } from '../vm/vm-types.js'
import { TOOL_NAME, TOOL_VERSION } from '../version.js'
import type { EngineDeps, Phase } from './engine-deps.js'
import { ensureHostPackages } from './host-packages.js'
import { runOnGuest, type GuestRun } from './guest-run.js'
import { prepareOutDir } from './out-dir.js'
import { makeScratchDir } from './scratch.js'
import { clearRunFiles, listRunFiles, RUN_FILES } from '../run-files.js'

export { listRunFiles, RUN_FILES }

export interface CheckRun {
  result: CheckResult
  resultFile: string
  /** What the front should save across runs (KraftKit, built kernels), in its post step. */
  persist: PersistEntry[]
}

interface Prepared {
  guest: GuestKind
  kernel: string
  linuxModulesDir: string | null
  fallbackNote: Finding | null
  /** The kraft binary, when KraftKit was installed (for `runner: kraft`). */
  kraftPath: string | null
}

export async function runCheck(options: CheckOptions, outDir: string, deps: EngineDeps): Promise<CheckRun> {
  const runStart = deps.clock.now()
  const startedAt = deps.clock.wallTime().toISOString()
  await prepareOutDir(outDir)
  await clearRunFiles(outDir)
  const work = await makeScratchDir(deps.tempDir ?? tmpdir())
  const persist: PersistEntry[] = []
  const extraFindings: Finding[] = []
  let setupMs: number | null = null
  let buildMs: number | null = null
  let guest: GuestKind = options.guest
  let qemuVersion: string | null = null
  let kraftkitVersion: string | null = null
  let rootfs: MaterializedRootfs | null = null
  let main: GuestRun | null = null
  let baseline: GuestRun | null = null
  let failure: unknown = undefined
  let preflightFindings: Finding[] = []

  const phase = async <T>(name: Phase, message: string, fn: () => Promise<T>): Promise<T> => {
    // A signal stops the check between phases: nothing new starts once it came.
    throwIfInterrupted(deps.signal, name)
    const t0 = deps.clock.now()
    deps.progress?.({ phase: name, state: 'start', message })
    try {
      const r = await deps.logger.group(message, fn)
      deps.progress?.({ phase: name, state: 'done', message, elapsedMs: deps.clock.now() - t0 })
      return r
    } catch (err) {
      deps.progress?.({ phase: name, state: 'failed', message, elapsedMs: deps.clock.now() - t0 })
      throw err
    }
  }

  try {
    // 1. Setup: QEMU, the kernel for the guest.
    const t0 = deps.clock.now()
    const prepared = await phase('setup', 'Setting up QEMU and the kernel', async () => {
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
      qemuVersion = qemu.version
      if (qemu.path && qemu.version) rememberQemuVersion(qemu.path, qemu.version)
      if (options.packages.length > 0) await ensureHostPackages(options.packages, deps)
      return prepareGuest(options, deps, work, persist, v => (kraftkitVersion = v))
    })
    guest = prepared.guest
    if (prepared.fallbackNote) extraFindings.push(prepared.fallbackNote)
    setupMs = deps.clock.now() - t0

    // 2. Root filesystem, command, preflight.
    const t1 = deps.clock.now()
    const built = await phase('build', 'Building the root filesystem', async () => {
      if (!options.rootfs) {
        if (guest === 'unikraft' && options.kernel) return null
        throw new ConfigurationError(
          'rootfs',
          "Input 'rootfs' is needed: give a Dockerfile, a directory, a .tar/.tar.gz, a .cpio or binary:PATH (or put a Dockerfile in the app directory)"
        )
      }
      rootfs = await materializeRootfs(
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
    })
    const image: ImageConfig | undefined = built?.imageConfig
    const named =
      options.cmd ?? (await kraftfileCmd(options.kraftfile)) ?? (image ? defaultCommand(image) : null)
    // A kernel given without a root filesystem is a native image: booted as it is, and whatever
    // command was given becomes its arguments (optional). An ELF loader needs the program to run.
    const native = built === null
    if (!native && (!named || named.length === 0)) {
      throw new ConfigurationError(
        'cmd',
        "Input 'cmd' is needed: the root filesystem names no command (no ENTRYPOINT or CMD, no Kraftfile cmd); give one like /usr/bin/redis-server /etc/redis/redis.conf"
      )
    }
    const cmd = [...(named ?? [])]
    const env = { ...(image?.env ?? {}), ...options.env }
    const workdir = options.workdir ?? image?.workdir ?? null
    // The ELF loader does not search PATH: a bare program name becomes the path execvp would find.
    if (built && !cmd[0].includes('/')) {
      const found = resolveCommand(built.treeDir, cmd[0], { path: env.PATH, workdir: workdir ?? undefined })
      if (found.named) cmd[0] = found.named
    }
    if (guest === 'unikraft') extraFindings.push(...emptyArgumentFindings(cmd))
    let initrd: string | undefined
    if (built) {
      preflightFindings = await preflight(built.treeDir, cmd, {
        memoryMiB: options.memoryMiB,
        guest,
        env,
        workdir: workdir ?? undefined,
        manifest: built.manifest
      })
    }
    // The root filesystem cannot run (missing library, not PIE...): named before any boot, and never
    // packed (it can be gigabytes): nothing will boot it.
    const blocked = computeVerdict({ probes: [], findings: preflightFindings, allow: options.allow })
    if (built && blocked.verdict !== 'fail') {
      // Unikraft's ukcpio reads plain newc only: a gzip archive given as rootfs is repacked from its tree.
      const gzipCpio = built.source.kind === 'cpio' && built.source.gzip
      if (built.cpioPath && !(gzipCpio && guest === 'unikraft')) initrd = built.cpioPath
      else {
        initrd = join(work, 'initrd.cpio')
        await packDirectory(built.treeDir, initrd, { hardlinks: guest === 'linux' ? 'link' : 'copy' })
      }
    }
    buildMs = deps.clock.now() - t1

    const probes = defaultProbes(options.probes as ProbeSpec[], options, guest)
    const ports = [...options.ports]
    if (blocked.verdict === 'fail') {
      deps.logger.info(`Preflight found problems; not booting: ${blocked.summary}`)
    } else {
      main = await phase('boot', `Booting on ${guest === 'linux' ? 'the Linux baseline' : 'Unikraft'}`, () =>
        runOnGuest(
          {
            guest,
            kernel: prepared.kernel,
            initrd,
            linuxModulesDir: prepared.linuxModulesDir,
            cmd,
            env,
            workdir,
            ports,
            probes,
            preflight: preflightFindings,
            options,
            outDir,
            kraftPath: prepared.kraftPath
          },
          deps,
          runStart
        )
      )
      // Interrupted while booting or probing: what the run saw is kept, no baseline is started.
      throwIfInterrupted(deps.signal, 'the run on the guest')
      const wantBaseline =
        guest === 'unikraft' &&
        initrd !== undefined &&
        (options.baseline === 'always' || (options.baseline === 'auto' && main.verdict !== 'pass'))
      if (wantBaseline) {
        baseline = await phase('baseline', 'Rerunning on the Linux baseline', async () => {
          const linux = await ensureLinuxKernel(join(deps.cacheDir, 'linux'), {
            runner: deps.runner,
            logger: deps.logger
          })
          const baseOut = join(outDir, RUN_FILES.baselineDir)
          await mkdir(baseOut, { recursive: true })
          return runOnGuest(
            {
              guest: 'linux',
              kernel: linux.kernel,
              initrd,
              linuxModulesDir: linux.modulesDir,
              cmd,
              env,
              workdir,
              ports,
              probes: defaultProbes(options.probes as ProbeSpec[], options, 'linux'),
              preflight: preflightFindings,
              options,
              outDir: baseOut
            },
            deps,
            runStart
          )
        })
        throwIfInterrupted(deps.signal, 'the Linux baseline run')
      }
    }
    // A kernel that printed its banner got past the RNG's init: the RDSEED warning would be noise.
    const pastInit = main?.vm?.timeline.bannerMs != null
    if (qemuVersion && !pastInit) {
      const w = rdseedWarning({
        qemuVersion,
        accel: main?.vm?.accel ?? 'tcg',
        unikraftVersion: options.unikraftVersion
      })
      if (w && guest === 'unikraft') deps.logger.warning(w)
    }
  } catch (err) {
    failure = asEnvironmentError(err)
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => {})
  }

  const result = buildResult({
    options,
    outDir,
    startedAt,
    runStart,
    deps,
    setupMs,
    buildMs,
    guest,
    qemuVersion,
    kraftkitVersion,
    rootfs,
    main,
    baseline,
    failure,
    preflightFindings,
    extraFindings
  })
  const resultFile = join(outDir, RUN_FILES.result)
  result.artifacts = await listRunFiles(outDir)
  await writeResultFile(resultFile, result)
  return { result, resultFile, persist }
}

/** The kernel for the guest; a missing Unikraft kernel falls back to the Linux baseline when the front allows it. */
async function prepareGuest(
  options: CheckOptions,
  deps: EngineDeps,
  work: string,
  persist: PersistEntry[],
  setKraftkit: (v: string) => void
): Promise<Prepared> {
  const installKraft = async (): Promise<string> => {
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
    if (kk.persist) persist.push(kk.persist)
    setKraftkit(kk.version)
    return kk.path
  }
  const stored =
    options.guest === 'unikraft' && !options.kernel && options.kernelStore
      ? findStoredKernel(options.kernelStore, options.unikraftVersion)
      : null
  if (stored && options.kernelStore) {
    // Verified before every boot; a damaged or tampered file is an error, never a fallback.
    const kernel = await verifiedKernelPath(options.kernelStore, stored)
    deps.logger.info(
      `Unikraft kernel: ${kernel} (Unikraft ${stored.version}, ${stored.variant}, from the kernel store; sha256 verified)`
    )
    return {
      guest: 'unikraft',
      kernel,
      linuxModulesDir: null,
      fallbackNote: null,
      kraftPath: options.runner === 'kraft' ? await installKraft() : null
    }
  }
  if (options.guest === 'unikraft') {
    try {
      let kraftPath = ''
      if (!options.kernel) {
        kraftPath = await installKraft()
      }
      const k = await ensureUnikraftKernel(
        {
          kernel: options.kernel,
          unikraftVersion: options.unikraftVersion,
          arch: options.arch,
          kraftPath,
          workDir: join(deps.cacheDir, 'unikraft')
        },
        {
          runner: deps.runner,
          logger: deps.logger,
          persistentCache: deps.persistentCache,
          signal: deps.signal
        }
      )
      if (k.persist) persist.push(k.persist)
      if (options.runner === 'kraft' && !kraftPath) {
        kraftPath = await installKraft()
      }
      return {
        guest: 'unikraft',
        kernel: k.path,
        linuxModulesDir: null,
        fallbackNote: null,
        kraftPath: kraftPath || null
      }
    } catch (err) {
      if (!(err instanceof InfrastructureError) || deps.kernelFallback !== 'linux') throw err
      if (options.unikraftVersionGiven) {
        // A release asked for by name is the point of the check: never answered by Linux instead.
        const stored = options.kernelStore?.kernels.map(k => k.version) ?? []
        throw new InfrastructureError(
          `Unikraft ${options.unikraftVersion} could not be had: ${err.message.split('\n')[0]}`,
          (stored.length > 0
            ? `the kernel store has ${[...new Set(stored)].join(', ')}; `
            : 'no kernel store holds it (see docs/setup.md, "Kernel stores"); ') +
            'give a prebuilt image with --kernel, or run where KraftKit reaches unikraft.org and github.com',
          { cause: err }
        )
      }
      const why = err.message.split('\n')[0]
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
  }
  if (options.runner === 'kraft')
    deps.logger.info('runner: kraft runs Unikraft images only; the Linux baseline runs under QEMU directly')
  return linuxGuest(deps, null)
}

async function linuxGuest(deps: EngineDeps, fallbackNote: Finding | null): Promise<Prepared> {
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

/**
 * With no probe configured: each forwarded port must be accepted by the guest (tcp), else the
 * program must run to completion with status 0 on Linux. On Unikraft with neither, the run waits for
 * the guest to end (the deadline bounds it) and the verdict rests on the findings.
 */
function defaultProbes(probes: ProbeSpec[], options: CheckOptions, guest: GuestKind): ProbeSpec[] {
  if (probes.length > 0) return probes
  if (options.ports.length > 0)
    return options.ports.map((p, i) => parseProbe(`tcp:${p.guest}`, `default probe ${i + 1}`))
  return guest === 'linux' ? [parseProbe('exit:0', 'default probe')] : []
}

/** The Kraftfile's `cmd` (string or list), when the app has one. */
async function kraftfileCmd(kraftfile: string | null): Promise<string[] | null> {
  if (!kraftfile) return null
  try {
    const doc = parseYaml(await readFile(kraftfile, 'utf8')) as { cmd?: unknown } | null
    const cmd = doc?.cmd
    if (Array.isArray(cmd)) return cmd.map(String)
    if (typeof cmd === 'string') return splitWordsFor('Kraftfile cmd', cmd)
  } catch (err) {
    throw new ConfigurationError(
      'Kraftfile',
      `Kraftfile ${kraftfile} could not be read: ${toError(err).message}`
    )
  }
  return null
}

interface ResultInput {
  options: CheckOptions
  outDir: string
  startedAt: string
  runStart: number
  deps: EngineDeps
  setupMs: number | null
  buildMs: number | null
  guest: GuestKind
  qemuVersion: string | null
  kraftkitVersion: string | null
  rootfs: MaterializedRootfs | null
  main: GuestRun | null
  baseline: GuestRun | null
  failure: unknown
  preflightFindings: Finding[]
  extraFindings: Finding[]
}

function buildResult(r: ResultInput): CheckResult {
  const { options, main } = r
  const failure = r.failure ?? main?.error
  // Without a boot (preflight stopped it, or it failed earlier) the findings alone decide.
  const preBoot = main
    ? null
    : computeVerdict({
        probes: [],
        findings: [...r.extraFindings, ...r.preflightFindings],
        allow: options.allow
      })
  let verdict = main?.verdict ?? (failure ? null : preBoot!.verdict)
  let findings = main ? [...r.extraFindings, ...main.findings] : preBoot!.findings
  let error: CheckResult['error'] = null
  if (failure !== undefined) {
    const e = toError(failure)
    const kind = errorKind(e)
    error = {
      kind,
      message: e.message,
      ...(e instanceof InfrastructureError && e.hint ? { hint: e.hint } : {})
    }
    // Nothing the app did decided it: a mistake in the inputs (exit 2) or a machine that could not
    // run the check (exit 3) is an error, never the app's failure (docs/probes.md, "Verdict").
    verdict = 'error'
    if (kind === 'configuration') {
      findings = [
        ...findings,
        {
          id: 'config.invalid',
          severity: 'error',
          line: null,
          evidence: e.message,
          detail: (e as ConfigurationError).input ?? null,
          hint: 'Fix the input or config key named in the message.',
          source: 'setup'
        }
      ]
    }
  }
  if (!error && verdict === 'error' && main) {
    // The run happened but a probe could not judge (an exit status this kernel does not report).
    error = { kind: 'inconclusive', message: main.summary }
  }
  const vm = main?.vm ?? null
  const banner = findings.find(f => f.id === 'boot.banner')
  const unikraft =
    r.guest === 'unikraft' && banner?.data && typeof banner.data.version === 'string'
      ? {
          version: banner.data.version,
          codename: (banner.data.codename as string | null) ?? null,
          commit: (banner.data.commit as string | null) ?? null
        }
      : null
  const launchMs = main ? main.launchAtMs : null
  const partial: Omit<CheckResult, 'summary'> = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    verdict: verdict ?? 'error',
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
    findings,
    timeline: timelineFromVm(
      { setupMs: round(r.setupMs), buildMs: round(r.buildMs), launchMs: round(launchMs) },
      // A Linux guest has no Unikraft banner: its first kernel line is not one.
      vm ? { ...vm.timeline, bannerMs: r.guest === 'unikraft' ? vm.timeline.bannerMs : null } : null
    ),
    ports: portsToJson(vm?.ports ?? {}),
    vm: vm ? vmSummaryFrom(vm) : null,
    baseline:
      r.baseline && main
        ? {
            guest: 'linux',
            verdict: r.baseline.verdict,
            findings: r.baseline.findings,
            differential: (() => {
              const side = (g: GuestRun) => ({
                findings: g.findings,
                passed: g.verdict === 'pass',
                error:
                  g.verdict === 'error'
                    ? g.summary.replace(/^the check could not be carried out: /, '')
                    : null
              })
              const d = differential(side(main), side(r.baseline))
              return { kind: d.kind, summary: d.summary }
            })()
          }
        : null,
    rootfs: r.rootfs
      ? {
          kind: r.rootfs.kind,
          entries: r.rootfs.manifest.totals.entries,
          bytes: r.rootfs.manifest.totals.fileBytes
        }
      : null,
    artifacts: [],
    error,
    startedAt: r.startedAt,
    durationMs: Math.round(r.deps.clock.now() - r.runStart),
    tool: { name: TOOL_NAME, version: TOOL_VERSION }
  }
  return {
    ...partial,
    summary: summarize(partial)
  }
}

function round(n: number | null): number | null {
  return n === null ? null : Math.round(n)
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
