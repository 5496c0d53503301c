// The engine's setup interfaces (ToolCache, Downloader, PersistentCache) over GitHub's toolkit:
// @actions/tool-cache within a job (RUNNER_TOOL_CACHE), @actions/cache across runs (cache-store.ts,
// where every failure is already a warning).
import * as tc from '@actions/tool-cache'
import { InfrastructureError, toError } from '../engine/errors.js'
import type { Logger } from '../engine/logger.js'
import type { Downloader, PersistentCache, ToolCache } from '../engine/setup/tool-cache.js'
import { createActionsCache } from './cache-store.js'

export const actionsToolCache: ToolCache = {
  // tc.find returns '' on a miss.
  find: (tool, version, arch) => tc.find(tool, version, arch) || null,
  cacheDir: (srcDir, tool, version, arch) => tc.cacheDir(srcDir, tool, version, arch)
}

/** tc.downloadTool (with its retries on 5xx and network errors), errors as InfrastructureError. */
export const actionsDownloader: Downloader = async (url, dest) => {
  try {
    await tc.downloadTool(url, dest)
  } catch (thrown) {
    const err = toError(thrown)
    const status = thrown instanceof tc.HTTPError ? thrown.httpStatusCode : undefined
    throw new InfrastructureError(
      `could not download ${url}: ${status !== undefined ? `HTTP ${status}` : err.message}`,
      status === 404
        ? 'check that this release and file exist'
        : 'retry the job, or check the runner network',
      { cause: err }
    )
  }
}

export function actionsPersistentCache(logger: Logger): PersistentCache {
  return createActionsCache(logger)
}

/** Everything installKraftkit / ensureUnikraftKernel need from GitHub, in one place. */
export function createActionsSetupDeps(logger: Logger): {
  toolCache: ToolCache
  download: Downloader
  persistentCache: PersistentCache
} {
  return {
    toolCache: actionsToolCache,
    download: actionsDownloader,
    persistentCache: actionsPersistentCache(logger)
  }
}
