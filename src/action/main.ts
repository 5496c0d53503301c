// The action's main step: read inputs, run the engine, then report to GitHub (outputs, annotations,
// job summary, artifacts). Errors are reported once, here, with the input at fault named.
import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import { access, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { resolveCheckOptions } from '../engine/config/resolve.js'
import { asEnvironmentError, describeError, errorKind, toError } from '../engine/errors.js'
import { shippedKernelStoreDir } from '../engine/version.js'
import { createActionsLogger } from './actions-logger.js'
import { artifactName } from './artifacts.js'
import { escapeLogText } from './log-text.js'
import { readActionInputs } from './inputs.js'
import { markUploaded, saveMainState } from './state.js'

/**
 * What runs a check, loaded once the inputs are known to be good: a wrong input is reported without
 * loading the engine, which keeps the step's cold start short.
 */
async function loadEngine() {
  const [clock, commands, check, annotations, summary, outputs, kvm, vm, artifacts, setup] =
    await Promise.all([
      import('../engine/clock.js'),
      import('../engine/command-runner.js'),
      import('../engine/check/run-check.js'),
      import('../engine/report/annotations.js'),
      import('../engine/report/job-summary.js'),
      import('../engine/report/result-outputs.js'),
      import('../engine/setup/kvm-setup.js'),
      import('../engine/vm/index.js'),
      import('./artifacts.js'),
      import('./tool-cache-adapter.js')
    ])
  return {
    systemClock: clock.systemClock,
    nodeCommandRunner: commands.nodeCommandRunner,
    runCheck: check.runCheck,
    RUN_FILES: check.RUN_FILES,
    planAnnotations: annotations.planAnnotations,
    renderJobSummary: summary.renderJobSummary,
    resultOutputs: outputs.resultOutputs,
    enableKvmForRunner: kvm.enableKvmForRunner,
    stopAllVms: vm.stopAllVms,
    uploadRunArtifacts: artifacts.uploadRunArtifacts,
    createActionsSetupDeps: setup.createActionsSetupDeps
  }
}

/** How long a signal waits for the engine to write result.json before the step ends anyway. */
const SIGNAL_GRACE_MS = 3000

export async function runMain(): Promise<void> {
  const logger = createActionsLogger()
  // A cancelled job sends SIGINT, then SIGTERM: stop the VM and any build, let the engine write
  // result.json (verdict error, kind interrupted; it starts nothing new), then end as the signal asks
  // (listening took its default action away; a swallowed signal would run the whole check on). The
  // wait for the engine is bounded: the runner kills the step 7.5 s after SIGINT. The post step
  // uploads the logs.
  const abort = new AbortController()
  let mainEnded = (): void => {}
  const ended = new Promise<void>(resolve => (mainEnded = resolve))
  let stopAllVms = async (): Promise<void> => {}
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!abort.signal.aborted) abort.abort(signal)
    void stopAllVms()
      .then(() => Promise.race([ended, new Promise(r => setTimeout(r, SIGNAL_GRACE_MS).unref())]))
      .finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
      })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    const options = await resolveCheckOptions(readActionInputs(), {
      cwd: workspace,
      shippedKernelStore: shippedKernelStoreDir()
    })
    const name = artifactName({
      app: options.appId,
      version: options.unikraftVersion,
      guest: options.guest,
      arch: options.arch,
      override: options.artifactName ?? undefined
    })
    const outDir = join(process.env.RUNNER_TEMP || tmpdir(), 'unikraft-compat', runDirName(name))
    saveMainState({ outDir, artifactName: name, uploadLogs: options.uploadLogs, persist: [] })
    const engine = await loadEngine()
    stopAllVms = engine.stopAllVms
    const {
      systemClock,
      nodeCommandRunner,
      runCheck,
      RUN_FILES,
      planAnnotations,
      renderJobSummary,
      resultOutputs
    } = engine
    const { enableKvmForRunner, uploadRunArtifacts, createActionsSetupDeps } = engine

    const kvm = await enableKvmForRunner({ runner: nodeCommandRunner, logger })
    if (kvm.attempted) logger.info(`KVM: ${kvm.detail}`)
    const setup = createActionsSetupDeps(logger)
    const run = await runCheck(options, outDir, {
      logger,
      runner: nodeCommandRunner,
      clock: systemClock,
      cacheDir: join(process.env.RUNNER_TOOL_CACHE || join(tmpdir(), 'tool-cache'), 'unikraft-compat'),
      tempDir: process.env.RUNNER_TEMP || undefined,
      ...setup,
      installMissing: true,
      kernelFallback: 'error',
      signal: abort.signal
    })
    // Interrupted: result.json is written; nothing more is reported, the signal ends the step.
    if (abort.signal.aborted) return
    saveMainState({ outDir, artifactName: name, uploadLogs: options.uploadLogs, persist: run.persist })
    const { result } = run

    for (const [k, v] of Object.entries(resultOutputs(result))) core.setOutput(k, v)
    core.setOutput('result-file', run.resultFile)
    const consolePath = join(outDir, RUN_FILES.console)
    // No boot (preflight stopped it, setup failed): no console log to point at.
    if (await exists(consolePath)) core.setOutput('console-log', consolePath)

    const rel = (p: string | null): string | undefined => (p ? relative(workspace, p) : undefined)
    const text = async (p: string | null): Promise<string | undefined> =>
      p ? readFile(p, 'utf8').catch(() => undefined) : undefined
    const { annotations, overflow } = planAnnotations(result.findings, {
      dockerfile: rel(options.dockerfile),
      kraftfile: rel(options.kraftfile),
      configFile: rel(options.configFile),
      dockerfileText: await text(options.dockerfile),
      options
    })
    for (const a of annotations) {
      const props = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn }
      if (a.level === 'error') core.error(a.message, props)
      else if (a.level === 'warning') core.warning(a.message, props)
      else core.notice(a.message, props)
    }
    const consoleLog = await text(consolePath)
    await core.summary.addRaw(renderJobSummary(result, { consoleLog, overflow }), true).write()

    if (options.uploadLogs) {
      const uploaded = await uploadRunArtifacts({ name, dir: outDir, files: result.artifacts }, logger)
      if (uploaded) {
        core.setOutput('artifact-id', String(uploaded.id))
        if (uploaded.url) core.setOutput('artifact-url', uploaded.url)
      }
      markUploaded()
    }

    core.info(escapeLogText(result.summary))
    if (result.verdict !== 'pass' && options.failOn === 'error') {
      core.setFailed([result.summary, result.error?.hint].filter(Boolean).join(' '))
    }
  } catch (thrown) {
    const err = toError(asEnvironmentError(thrown))
    const kind = errorKind(err)
    core.setFailed(
      kind === 'bug'
        ? `unikraft-compat internal error (please report): ${err.stack ?? err.message}`
        : describeError(err)
    )
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    mainEnded()
  }
}

/**
 * The run directory's name: the artifact name when it is a plain one, else made filesystem-safe and
 * short (an `artifact-name` can be any length and hold any character), kept unique by a hash.
 */
export function runDirName(artifact: string): string {
  const safe = artifact
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 80)
  if (safe === artifact) return safe
  return `${safe || 'run'}-${createHash('sha256').update(artifact).digest('hex').slice(0, 12)}`
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false
  )
}
