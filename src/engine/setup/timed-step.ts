// Runs one setup step inside a log group and measures it, for the summary's timeline.
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'

export interface StepTiming {
  name: string
  /** ms on the clock's origin, so steps line up on one timeline. */
  startMs: number
  durationMs: number
  ok: boolean
}

export async function timedStep<T>(
  name: string,
  fn: () => Promise<T>,
  deps: { logger: Logger; clock: Clock; timings?: StepTiming[] }
): Promise<T> {
  const startMs = deps.clock.now()
  let ok = false
  try {
    const value = await deps.logger.group(name, fn)
    ok = true
    return value
  } finally {
    const durationMs = Math.round(deps.clock.now() - startMs)
    deps.timings?.push({ name, startMs: Math.round(startMs), durationMs, ok })
    deps.logger.info(`${name}: ${ok ? 'done' : 'failed'} in ${(durationMs / 1000).toFixed(1)} s`)
  }
}
