// The engine's dependencies as the CLI provides them: the machine's programs, a cache directory
// under ~/.cache, installs with apt when missing, and the Linux baseline when no Unikraft kernel
// can be had (said plainly in the report).
import { systemClock } from '../engine/clock.js'
import { nodeCommandRunner } from '../engine/command-runner.js'
import type { EngineDeps, ProgressEvent } from '../engine/check/engine-deps.js'
import type { Logger } from '../engine/logger.js'
import { createFetchDownloader } from '../engine/setup/fetch-download.js'
import {
  createDirectoryToolCache,
  defaultCacheRoot,
  noopPersistentCache
} from '../engine/setup/tool-cache.js'

export function cliEngineDeps(
  logger: Logger,
  progress: (e: ProgressEvent) => void,
  signal: AbortSignal
): EngineDeps {
  return {
    logger,
    runner: nodeCommandRunner,
    clock: systemClock,
    cacheDir: defaultCacheRoot(),
    toolCache: createDirectoryToolCache(),
    persistentCache: noopPersistentCache,
    download: createFetchDownloader(),
    installMissing: true,
    kernelFallback: 'linux',
    progress,
    signal
  }
}
