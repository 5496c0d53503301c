// A small QMP client: JSON lines over QEMU's unix control socket. Capabilities negotiation,
// commands matched to replies by id, and asynchronous events (SHUTDOWN, STOP, GUEST_PANICKED).
import { createConnection, type Socket } from 'node:net'

export interface QmpEvent {
  event: string
  data?: unknown
  timestamp?: { seconds: number; microseconds: number }
}

export class QmpError extends Error {
  override name = 'QmpError'
  constructor(
    message: string,
    readonly errorClass?: string
  ) {
    super(message)
  }
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: Error) => void
  timer?: NodeJS.Timeout
}

export interface QmpConnectOptions {
  /** Give up connecting after this long (the socket appears only once QEMU has parsed its options). */
  timeoutMs: number
  /** Stop retrying early (e.g. QEMU already exited). */
  shouldStop?: () => boolean
  retryMs?: number
}

function connectOnce(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ path })
    s.once('connect', () => {
      s.removeListener('error', reject)
      resolve(s)
    })
    s.once('error', reject)
  })
}

export class QmpClient {
  private buffer = ''
  private nextId = 1
  private readonly pending = new Map<string, Pending>()
  private readonly eventListeners = new Set<(e: QmpEvent) => void>()
  private readonly closeListeners = new Set<() => void>()
  private greetingWaiter: Pending | null = null
  private closed = false
  greeting: unknown = null

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => this.onData(chunk))
    socket.on('error', () => {
      // reported through 'close'
    })
    socket.on('close', () => this.handleClose())
  }

  /** Connects (retrying while the socket does not exist yet), reads the greeting, negotiates. */
  static async connect(path: string, opts: QmpConnectOptions): Promise<QmpClient> {
    const deadline = performance.now() + opts.timeoutMs
    let lastError: unknown
    for (;;) {
      if (opts.shouldStop?.()) throw new QmpError(`QMP: gave up connecting to ${path}`)
      try {
        const socket = await connectOnce(path)
        const client = new QmpClient(socket)
        try {
          await client.negotiate(Math.max(1000, deadline - performance.now()))
        } catch (e) {
          client.close()
          throw e
        }
        return client
      } catch (e) {
        lastError = e
        const code = (e as NodeJS.ErrnoException).code
        if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw e
      }
      if (performance.now() >= deadline) {
        throw new QmpError(`QMP: could not connect to ${path}: ${(lastError as Error)?.message ?? 'timeout'}`)
      }
      await new Promise(r => setTimeout(r, opts.retryMs ?? 10))
    }
  }

  private async negotiate(timeoutMs: number): Promise<void> {
    await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new QmpError('QMP: no greeting')), timeoutMs)
      this.greetingWaiter = {
        resolve: v => {
          clearTimeout(timer)
          resolve(v)
        },
        reject: e => {
          clearTimeout(timer)
          reject(e)
        }
      }
    })
    await this.execute('qmp_capabilities', undefined, { timeoutMs })
  }

  private onData(chunk: string): void {
    this.buffer += chunk
    let nl: number
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim()
      this.buffer = this.buffer.slice(nl + 1)
      if (line) this.onMessage(line)
    }
  }

  private onMessage(line: string): void {
    let msg: Record<string, unknown>
    try {
      msg = JSON.parse(line) as Record<string, unknown>
    } catch {
      return
    }
    if ('QMP' in msg) {
      this.greeting = msg.QMP
      this.greetingWaiter?.resolve(msg.QMP)
      this.greetingWaiter = null
      return
    }
    if (typeof msg.event === 'string') {
      const e = msg as unknown as QmpEvent
      for (const cb of this.eventListeners) {
        try {
          cb(e)
        } catch {
          // a listener's bug must not break the control channel
        }
      }
      return
    }
    const id = typeof msg.id === 'string' ? msg.id : undefined
    const p = id !== undefined ? this.pending.get(id) : undefined
    if (!p || id === undefined) return
    this.pending.delete(id)
    if (p.timer) clearTimeout(p.timer)
    if ('error' in msg) {
      const err = msg.error as { class?: string; desc?: string }
      p.reject(new QmpError(`QMP: ${err.desc ?? 'error'}`, err.class))
    } else {
      p.resolve(msg.return)
    }
  }

  private handleClose(): void {
    if (this.closed) return
    this.closed = true
    const err = new QmpError('QMP: connection closed')
    this.greetingWaiter?.reject(err)
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer)
      p.reject(err)
    }
    this.pending.clear()
    for (const cb of this.closeListeners) cb()
  }

  get isClosed(): boolean {
    return this.closed
  }

  execute<T = unknown>(
    command: string,
    args?: Record<string, unknown>,
    opts: { timeoutMs?: number } = {}
  ): Promise<T> {
    if (this.closed) return Promise.reject(new QmpError('QMP: connection closed'))
    const id = `ukc-${this.nextId++}`
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { resolve: v => resolve(v as T), reject }
      if (opts.timeoutMs !== undefined) {
        p.timer = setTimeout(() => {
          this.pending.delete(id)
          reject(new QmpError(`QMP: '${command}' got no reply within ${opts.timeoutMs} ms`))
        }, opts.timeoutMs)
      }
      this.pending.set(id, p)
      this.socket.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) + '\n')
    })
  }

  /** A human monitor command (e.g. `info usernet`); returns its text output. */
  humanMonitorCommand(commandLine: string, opts: { timeoutMs?: number } = {}): Promise<string> {
    return this.execute<string>('human-monitor-command', { 'command-line': commandLine }, opts)
  }

  onEvent(cb: (e: QmpEvent) => void): () => void {
    this.eventListeners.add(cb)
    return () => this.eventListeners.delete(cb)
  }

  onClose(cb: () => void): () => void {
    if (this.closed) cb()
    else this.closeListeners.add(cb)
    return () => this.closeListeners.delete(cb)
  }

  close(): void {
    this.socket.destroy()
  }
}
