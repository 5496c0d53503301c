// The Logger every engine module writes through. The action backs it with GitHub's core toolkit
// (groups, annotations), the CLI with the terminal; tests capture it.

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  /** Runs fn inside a named, collapsible section (a log group on GitHub). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** A Logger that writes plain lines to a stream (stderr by default). */
export function createConsoleLogger(
  opts: { verbose?: boolean; write?: (line: string) => void } = {}
): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'))
  return {
    debug: m => {
      if (opts.verbose) write(`debug: ${m}`)
    },
    info: m => write(m),
    warning: m => write(`warning: ${m}`),
    error: m => write(`error: ${m}`),
    group: async (name, fn) => {
      write(`== ${name}`)
      return fn()
    }
  }
}

/** A Logger that remembers everything; for tests and for collecting warnings into results. */
export interface MemoryLogger extends Logger {
  readonly lines: { level: 'debug' | 'info' | 'warning' | 'error'; message: string }[]
}

export function createMemoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = []
  return {
    lines,
    debug: message => lines.push({ level: 'debug', message }),
    info: message => lines.push({ level: 'info', message }),
    warning: message => lines.push({ level: 'warning', message }),
    error: message => lines.push({ level: 'error', message }),
    group: async (name, fn) => {
      lines.push({ level: 'info', message: `== ${name}` })
      return fn()
    }
  }
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warning: () => {},
  error: () => {},
  group: (_name, fn) => fn()
}
