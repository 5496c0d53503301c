// A named step of a check: announced to the front (progress), grouped in the log, timed once.
import { throwIfInterrupted } from '../errors.js'
import type { EngineDeps, Phase } from './engine-deps.js'

export interface Timed<T> {
  value: T
  /** How long the phase took, in ms (the clock of the deps). */
  ms: number
}

export type PhaseRunner = <T>(name: Phase, message: string, fn: () => Promise<T>) => Promise<Timed<T>>

/** Runs phases for one check; a signal stops the check between phases (nothing new starts). */
export function phaseRunner(deps: Pick<EngineDeps, 'clock' | 'logger' | 'progress' | 'signal'>): PhaseRunner {
  return async (name, message, fn) => {
    throwIfInterrupted(deps.signal, name)
    const t0 = deps.clock.now()
    deps.progress?.({ phase: name, state: 'start', message })
    try {
      const value = await deps.logger.group(message, fn)
      const ms = deps.clock.now() - t0
      deps.progress?.({ phase: name, state: 'done', message, elapsedMs: ms })
      return { value, ms }
    } catch (err) {
      deps.progress?.({ phase: name, state: 'failed', message, elapsedMs: deps.clock.now() - t0 })
      throw err
    }
  }
}
