// The action's post step (runs always, also after a failed or cancelled main): stops any VM main
// left, uploads the logs main did not get to, and saves caches. Its own problems are warnings only.
import * as core from '@actions/core'
import { join } from 'node:path'
import { toError } from '../engine/errors.js'
import { listRunFiles, RUN_FILES } from '../engine/run-files.js'
import { removeScratchDirs } from '../engine/check/scratch.js'
import { killFromPidFile, killVmFromPidFile } from '../engine/vm/index.js'
import { createActionsLogger } from './actions-logger.js'
import { uploadRunArtifacts } from './artifacts.js'
import { createActionsCache } from './cache-store.js'
import { loadMainState } from './state.js'

export async function runPost(): Promise<void> {
  const logger = createActionsLogger()
  try {
    const { state, uploaded } = loadMainState()
    if (!state) {
      core.info('unikraft-compat: main did not start a check; nothing to clean up')
      return
    }
    for (const pidFile of [
      join(state.outDir, RUN_FILES.qemuPid),
      join(state.outDir, RUN_FILES.baselineDir, RUN_FILES.qemuPid)
    ]) {
      const k = await killVmFromPidFile(pidFile)
      if (k.killed) core.warning(`stopped a VM main left running (pid ${k.pid})`)
    }
    // A main killed during its Docker build leaves the client (and the build) running.
    const build = await killFromPidFile(join(state.outDir, RUN_FILES.dockerBuildPid), {
      program: 'docker',
      group: false
    })
    if (build.killed) core.warning(`stopped a docker build main left running (pid ${build.pid})`)
    await removeScratchDirs(process.env.RUNNER_TEMP)
    if (state.uploadLogs && !uploaded) {
      core.info('unikraft-compat: main did not upload its logs (cancelled or failed); uploading them now')
      await uploadRunArtifacts(
        { name: state.artifactName, dir: state.outDir, files: await listRunFiles(state.outDir) },
        logger
      )
    }
    if (state.persist.length > 0) {
      const cache = createActionsCache(logger)
      for (const p of state.persist) await cache.save(p.paths, p.key)
    }
  } catch (thrown) {
    core.warning(`unikraft-compat post step: ${toError(thrown).message}`)
  }
}
