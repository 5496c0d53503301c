import { describe, expect, it } from '@jest/globals'
import type { Clock } from '../../../src/engine/clock.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { timedStep, type StepTiming } from '../../../src/engine/setup/timed-step.js'

function steppingClock(): Clock & { advance(ms: number): void } {
  let t = 1000
  return {
    now: () => t,
    wallTime: () => new Date(0),
    sleep: async ms => {
      t += ms
    },
    advance(ms) {
      t += ms
    }
  }
}

describe('timedStep', () => {
  it('runs the step in a log group and records its time', async () => {
    const clock = steppingClock()
    const logger = createMemoryLogger()
    const timings: StepTiming[] = []
    const v = await timedStep('KraftKit', async () => (clock.advance(1500), 42), { logger, clock, timings })
    expect(v).toBe(42)
    expect(timings).toEqual([{ name: 'KraftKit', startMs: 1000, durationMs: 1500, ok: true }])
    expect(logger.lines.map(l => l.message)).toEqual(['== KraftKit', 'KraftKit: done in 1.5 s'])
  })

  it('records a failed step and rethrows its error unchanged', async () => {
    const clock = steppingClock()
    const timings: StepTiming[] = []
    const boom = new Error('boom')
    await expect(
      timedStep(
        'QEMU',
        async () => {
          clock.advance(200)
          throw boom
        },
        { logger: createMemoryLogger(), clock, timings }
      )
    ).rejects.toBe(boom)
    expect(timings).toEqual([{ name: 'QEMU', startMs: 1000, durationMs: 200, ok: false }])
  })
})
