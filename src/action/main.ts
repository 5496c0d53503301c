// The action's main step: read inputs, run the engine, then report to GitHub (outputs, annotations,
// job summary, artifacts). Errors are reported once, here, with the input at fault named.
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { systemClock } from '../engine/clock.js'
import { nodeCommandRunner } from '../engine/command-runner.js'
import { RUN_FILES, runCheck } from '../engine/check/run-check.js'
import { resolveCheckOptions } from '../engine/config/resolve.js'
import { describeError, errorKind, toError } from '../engine/errors.js'
import { planAnnotations } from '../engine/report/annotations.js'
import { renderJobSummary } from '../engine/report/job-summary.js'
import { resultOutputs } from '../engine/report/result-outputs.js'
import { enableKvmForRunner } from '../engine/setup/kvm-setup.js'
import { stopAllVms } from '../engine/vm/index.js'
import { createActionsLogger } from './actions-logger.js'
import { artifactName, uploadRunArtifacts } from './artifacts.js'
import { UPLOADED_FILES } from './uploaded-files.js'
import { readActionInputs } from './inputs.js'
import { markUploaded, saveMainState } from './state.js'
import { createActionsSetupDeps } from './tool-cache-adapter.js'

export async function runMain(): Promise<void> {
  const logger = createActionsLogger()
  // A cancelled job sends SIGINT, then SIGTERM: stop the VM; the post step uploads the logs.
  const onSignal = (): void => void stopAllVms()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    const options = await resolveCheckOptions(readActionInputs(), { cwd: workspace })
    const name = artifactName({
      app: options.appName,
      version: options.unikraftVersion,
      guest: options.guest,
      arch: options.arch,
      override: options.artifactName ?? undefined
    })
    const outDir = join(process.env.RUNNER_TEMP || tmpdir(), 'unikraft-compat', name)
    saveMainState({ outDir, artifactName: name, uploadLogs: options.uploadLogs, persist: [] })

    const kvm = await enableKvmForRunner({ runner: nodeCommandRunner, logger })
    if (kvm.attempted) logger.info(`KVM: ${kvm.detail}`)
    const setup = createActionsSetupDeps(logger)
    const run = await runCheck(options, outDir, {
      logger,
      runner: nodeCommandRunner,
      clock: systemClock,
      cacheDir: join(process.env.RUNNER_TOOL_CACHE || join(tmpdir(), 'tool-cache'), 'unikraft-compat'),
      ...setup,
      installMissing: true,
      kernelFallback: 'error'
    })
    saveMainState({ outDir, artifactName: name, uploadLogs: options.uploadLogs, persist: run.persist })
    const { result } = run

    for (const [k, v] of Object.entries(resultOutputs(result))) core.setOutput(k, v)
    core.setOutput('result-file', run.resultFile)
    core.setOutput('console-log', join(outDir, RUN_FILES.console))

    const rel = (p: string | null): string | undefined => (p ? relative(workspace, p) : undefined)
    const text = async (p: string | null): Promise<string | undefined> =>
      p ? readFile(p, 'utf8').catch(() => undefined) : undefined
    const { annotations, overflow } = planAnnotations(result.findings, {
      dockerfile: rel(options.dockerfile),
      kraftfile: rel(options.kraftfile),
      configFile: rel(options.configFile),
      dockerfileText: await text(options.dockerfile),
      configText: await text(options.configFile)
    })
    for (const a of annotations) {
      const props = { title: a.title, file: a.file, startLine: a.startLine }
      if (a.level === 'error') core.error(a.message, props)
      else if (a.level === 'warning') core.warning(a.message, props)
      else core.notice(a.message, props)
    }
    const consoleLog = await text(join(outDir, RUN_FILES.console))
    await core.summary.addRaw(renderJobSummary(result, { consoleLog, overflow }), true).write()

    if (options.uploadLogs) {
      const uploaded = await uploadRunArtifacts({ name, dir: outDir, files: UPLOADED_FILES }, logger)
      if (uploaded) {
        core.setOutput('artifact-id', String(uploaded.id))
        if (uploaded.url) core.setOutput('artifact-url', uploaded.url)
      }
      markUploaded()
    }

    core.info(result.summary)
    if (result.verdict !== 'pass' && options.failOn === 'error') core.setFailed(result.summary)
  } catch (thrown) {
    const err = toError(thrown)
    const kind = errorKind(err)
    core.setFailed(
      kind === 'bug'
        ? `unikraft-compat internal error (please report): ${err.stack ?? err.message}`
        : describeError(err)
    )
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
