// The engine's Logger backed by @actions/core: groups fold in the log, warnings become annotations.
import * as core from '@actions/core'
import type { Logger } from '../engine/logger.js'
import { escapeLogText } from './log-text.js'

export function createActionsLogger(): Logger {
  return {
    // Commands (debug, warning, error, group) escape their data; plain output goes through escapeLogText.
    debug: m => core.debug(m),
    info: m => core.info(escapeLogText(m)),
    warning: m => core.warning(m),
    error: m => core.error(m),
    group: (name, fn) => core.group(name, fn)
  }
}
