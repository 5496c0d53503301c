// What main leaves for the post step (GITHUB_STATE), in one place.
import * as core from '@actions/core'
import type { PersistEntry } from '../engine/setup/tool-cache.js'

export interface MainState {
  /** Where main writes logs and result.json. */
  outDir: string
  artifactName: string
  uploadLogs: boolean
  /** Caches to save in the post step (KraftKit, built kernels). */
  persist: PersistEntry[]
}

const KEY = 'unikraft-compat'

export function saveMainState(state: MainState): void {
  core.saveState(KEY, JSON.stringify(state))
}

/** Set by main once it has uploaded everything itself. */
export function markUploaded(): void {
  core.saveState(`${KEY}-uploaded`, 'true')
}

export function loadMainState(): { state: MainState | null; uploaded: boolean } {
  const text = core.getState(KEY)
  let state: MainState | null
  try {
    state = text ? ({ persist: [], ...JSON.parse(text) } as MainState) : null
  } catch {
    state = null
  }
  return { state, uploaded: core.getState(`${KEY}-uploaded`) === 'true' }
}
