// The engine's dependencies as the tests that run whole checks use them: the real runner, clock and
// downloads, a memory logger to read back, a tool cache under the test's own directory, and the
// shared kernel cache (so the Linux baseline kernel is fetched once per machine).
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../../src/engine/clock.js'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import type { EngineDeps } from '../../../src/engine/check/engine-deps.js'
import { createMemoryLogger, type MemoryLogger } from '../../../src/engine/logger.js'
import { createFetchDownloader } from '../../../src/engine/setup/fetch-download.js'
import { createDirectoryToolCache, noopPersistentCache } from '../../../src/engine/setup/tool-cache.js'

export function testEngineDeps(work: string): EngineDeps & { logger: MemoryLogger } {
  return {
    logger: createMemoryLogger(),
    runner: nodeCommandRunner,
    clock: systemClock,
    cacheDir: join(tmpdir(), 'unikraft-compat-test-cache'),
    toolCache: createDirectoryToolCache(join(work, 'tools')),
    persistentCache: noopPersistentCache,
    download: createFetchDownloader(),
    installMissing: false,
    kernelFallback: 'error'
  }
}
