// Runs programs from argv arrays, never through a shell: no input is ever interpreted by one.
import { spawn } from 'node:child_process'
import { InfrastructureError } from './errors.js'

export interface RunOptions {
  cwd?: string
  /** Replaces the environment when `replaceEnv` is set, else is merged over process.env. */
  env?: Record<string, string | undefined>
  replaceEnv?: boolean
  /** Written to the program's stdin, which is then closed. */
  input?: string | Buffer
  /** Kill (SIGTERM, then SIGKILL after 2 s) when exceeded. */
  timeoutMs?: number
  signal?: AbortSignal
  /** Called for each complete line of stdout / stderr as it arrives. */
  onStdoutLine?: (line: string) => void
  onStderrLine?: (line: string) => void
  /** Keep at most this many bytes of each stream in the result (the tail). Default 16 MiB. */
  maxBuffer?: number
  /** Called with the child's pid once it runs (to leave a pid file another process can act on). */
  onSpawn?: (pid: number) => void
}

export interface RunResult {
  argv: readonly string[]
  /** Exit status, or null when killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
  durationMs: number
}

export interface CommandRunner {
  run(argv: readonly string[], opts?: RunOptions): Promise<RunResult>
}

export class CommandNotFoundError extends InfrastructureError {
  constructor(
    readonly program: string,
    hint?: string
  ) {
    super(`'${program}' is not installed or not on PATH`, hint)
  }
}

function lineSplitter(cb: ((line: string) => void) | undefined): (chunk: string, end?: boolean) => void {
  let rest = ''
  return (chunk, end) => {
    if (!cb) return
    rest += chunk
    const parts = rest.split('\n')
    rest = parts.pop() ?? ''
    for (const p of parts) cb(p.replace(/\r$/, ''))
    if (end && rest) {
      cb(rest)
      rest = ''
    }
  }
}

export const nodeCommandRunner: CommandRunner = {
  run(argv, opts = {}) {
    if (argv.length === 0) throw new Error('command runner: empty argv')
    const [program, ...args] = argv
    const max = opts.maxBuffer ?? 16 * 1024 * 1024
    const started = performance.now()
    return new Promise<RunResult>((resolve, reject) => {
      const env = opts.replaceEnv ? opts.env : { ...process.env, ...opts.env }
      const child = spawn(program, args, {
        cwd: opts.cwd,
        env: env as NodeJS.ProcessEnv,
        shell: false,
        stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
      })
      if (opts.onSpawn) child.once('spawn', () => child.pid !== undefined && opts.onSpawn?.(child.pid))
      let stdout = ''
      let stderr = ''
      let timedOut = false
      const outLines = lineSplitter(opts.onStdoutLine)
      const errLines = lineSplitter(opts.onStderrLine)
      const out = child.stdout!
      const err = child.stderr!
      out.setEncoding('utf8')
      err.setEncoding('utf8')
      out.on('data', (d: string) => {
        stdout = (stdout + d).slice(-max)
        outLines(d)
      })
      err.on('data', (d: string) => {
        stderr = (stderr + d).slice(-max)
        errLines(d)
      })
      let killTimer: NodeJS.Timeout | undefined
      const kill = (): void => {
        child.kill('SIGTERM')
        killTimer = setTimeout(() => child.kill('SIGKILL'), 2000)
      }
      const timer =
        opts.timeoutMs !== undefined
          ? setTimeout(() => {
              timedOut = true
              kill()
            }, opts.timeoutMs)
          : undefined
      const onAbort = (): void => kill()
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      child.on('error', err => {
        if (timer) clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') reject(new CommandNotFoundError(program))
        else
          reject(
            new InfrastructureError(`could not start '${program}': ${err.message}`, undefined, { cause: err })
          )
      })
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer)
        if (killTimer) clearTimeout(killTimer)
        opts.signal?.removeEventListener('abort', onAbort)
        outLines('', true)
        errLines('', true)
        resolve({ argv, code, signal, stdout, stderr, timedOut, durationMs: performance.now() - started })
      })
      if (opts.input !== undefined && child.stdin) {
        child.stdin.on('error', () => {})
        child.stdin.end(opts.input)
      }
    })
  }
}
