// The engine's Logger backed by @actions/core: groups fold in the log, warnings become annotations.
import * as core from '@actions/core'
import type { Logger } from '../engine/logger.js'

export function createActionsLogger(): Logger {
  return {
    debug: m => core.debug(m),
    info: m => core.info(m),
    warning: m => core.warning(m),
    error: m => core.error(m),
    group: (name, fn) => core.group(name, fn)
  }
}
