// Test helper: loads the action-side adapter lazily, after the test has set RUNNER_* variables.
import type { Logger } from '../../src/engine/logger.js'

export async function createSetupDepsForTest(logger: Logger) {
  const { createActionsSetupDeps } = await import('../../src/action/tool-cache-adapter.js')
  return createActionsSetupDeps(logger)
}
