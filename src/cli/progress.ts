// Progress per phase: a live spinner line on a terminal, plain timestamped lines otherwise.
// Engine log lines go through the same renderer so they never tear the spinner line.
import type { Logger } from '../engine/logger.js'
import type { ProgressEvent } from '../engine/check/engine-deps.js'
import type { Terminal } from './terminal.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export interface Progress {
  onEvent(e: ProgressEvent): void
  logger: Logger
  stop(): void
}

export function createProgress(
  term: Terminal,
  opts: { quiet: boolean; verbose: boolean; now?: () => number }
): Progress {
  const now = opts.now ?? (() => performance.now())
  const t0 = now()
  const live = term.isTTY && !opts.quiet
  let current: { message: string; since: number } | null = null
  let frame = 0
  let timer: NodeJS.Timeout | undefined
  const stamp = (): string => `[${((now() - t0) / 1000).toFixed(1).padStart(5)}s]`
  const paint = (code: string, s: string): string => (term.colour ? `\x1b[${code}m${s}\x1b[0m` : s)
  const clearLine = (): void => {
    if (live && current) term.err('\r\x1b[2K')
  }
  const drawSpinner = (): void => {
    if (!live || !current) return
    const secs = ((now() - current.since) / 1000).toFixed(1)
    term.err(
      `\r\x1b[2K${paint('36', FRAMES[frame++ % FRAMES.length])} ${current.message} ${paint('2', `${secs}s`)}`
    )
  }
  const line = (text: string): void => {
    if (opts.quiet) return
    clearLine()
    term.err(`${live ? '' : `${stamp()} `}${text}\n`)
    drawSpinner()
  }
  return {
    onEvent(e) {
      if (e.state === 'start') {
        if (!live) line(`${e.phase}: ${e.message}`)
        current = { message: `${e.phase}: ${e.message}`, since: now() }
        if (live && !timer) timer = setInterval(drawSpinner, 100)
        drawSpinner()
        return
      }
      const secs = e.elapsedMs !== undefined ? ` (${(e.elapsedMs / 1000).toFixed(1)}s)` : ''
      const mark = e.state === 'done' ? paint('32', '✓') : paint('31', '✗')
      clearLine()
      current = null
      line(`${mark} ${e.phase}: ${e.message}${secs}`)
    },
    logger: {
      debug: m => {
        if (opts.verbose) line(paint('2', m))
      },
      info: m => {
        if (opts.verbose) line(m)
      },
      warning: m => line(`${paint('33', 'warning:')} ${m}`),
      error: m => line(`${paint('31', 'error:')} ${m}`),
      group: async (_name, fn) => fn()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      clearLine()
      current = null
    }
  }
}
