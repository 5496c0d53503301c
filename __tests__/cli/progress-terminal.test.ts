import { describe, expect, it } from '@jest/globals'
import { createProgress } from '../../src/cli/progress.js'
import { createCapturingTerminal, createTerminal } from '../../src/cli/terminal.js'

describe('terminal', () => {
  it('never colours with NO_COLOR, nor when not on a terminal', () => {
    expect(createTerminal({ NO_COLOR: '1' }).colour).toBe(false)
    // jest's stdio is not a TTY
    expect(createTerminal({}).colour).toBe(false)
  })
})

describe('progress', () => {
  it('writes plain timestamped lines per phase when not on a terminal', () => {
    let t = 0
    const term = createCapturingTerminal({ isTTY: false })
    const p = createProgress(term, { quiet: false, verbose: false, now: () => t })
    p.onEvent({ phase: 'build', state: 'start', message: 'Building the root filesystem' })
    t = 1500
    p.onEvent({ phase: 'build', state: 'done', message: 'Building the root filesystem', elapsedMs: 1500 })
    p.logger.warning('careful')
    p.logger.info('only with --verbose')
    p.stop()
    expect(term.stderr).toBe(
      '[  0.0s] build: Building the root filesystem\n' +
        '[  1.5s] ✓ build: Building the root filesystem (1.5s)\n' +
        '[  1.5s] warning: careful\n'
    )
    expect(term.stderr).not.toMatch(/\x1b/)
  })
  it('draws a live spinner line on a terminal and clears it', () => {
    const term = createCapturingTerminal({ isTTY: true, colour: false })
    const p = createProgress(term, { quiet: false, verbose: false, now: () => 0 })
    p.onEvent({ phase: 'boot', state: 'start', message: 'Booting' })
    p.stop()
    expect(term.stderr).toContain('\r\x1b[2K')
    expect(term.stderr).toContain('boot: Booting')
  })
  it('prints nothing with --quiet', () => {
    const term = createCapturingTerminal({ isTTY: false })
    const p = createProgress(term, { quiet: true, verbose: true })
    p.onEvent({ phase: 'setup', state: 'start', message: 'x' })
    p.logger.warning('w')
    p.stop()
    expect(term.stderr).toBe('')
  })
})
