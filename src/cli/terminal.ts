// The terminal as an injected effect: where output goes, whether it is a TTY, whether colour is on.

export interface Terminal {
  out(text: string): void
  err(text: string): void
  /** stderr is a terminal (spinner, live progress). */
  isTTY: boolean
  /** Colour: only on a terminal and never with NO_COLOR. */
  colour: boolean
  columns: number
}

export function createTerminal(env: NodeJS.ProcessEnv = process.env): Terminal {
  const isTTY = process.stderr.isTTY === true
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== ''
  return {
    out: t => process.stdout.write(t),
    err: t => process.stderr.write(t),
    isTTY,
    colour: isTTY && process.stdout.isTTY === true && !noColor && env.TERM !== 'dumb',
    columns: process.stderr.columns ?? 100
  }
}

/** A Terminal that records what was written; for tests. */
export function createCapturingTerminal(
  opts: Partial<Terminal> = {}
): Terminal & { stdout: string; stderr: string } {
  const t = {
    stdout: '',
    stderr: '',
    out(text: string) {
      t.stdout += text
    },
    err(text: string) {
      t.stderr += text
    },
    isTTY: false,
    colour: false,
    columns: 100,
    ...opts
  }
  return t
}
