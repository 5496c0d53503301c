// One TCP request/response exchange with a hard deadline: connect, send, read until the reply is whole.
// Reports exactly how it ended, because with QEMU's user networking "connected" proves nothing:
// QEMU accepts the host side itself, and only a reply shows the guest is there.
import { connect } from 'node:net'

export interface ExchangeResult {
  /** The host-side connect succeeded (QEMU alone can make this true). */
  connected: boolean
  received: Buffer
  /** complete: `isComplete` said so; closed: the peer closed first; error: connect or socket error. */
  end: 'complete' | 'timeout' | 'closed' | 'error' | 'aborted'
  /** The socket error code or message, for `error`. */
  error?: string
}

export interface ExchangeOptions {
  host: string
  port: number
  payload: Buffer
  /** Whether the bytes so far hold the whole reply (a throw counts as whole: the caller will see why). */
  isComplete: (received: Buffer) => boolean
  timeoutMs: number
  signal?: AbortSignal
}

export function exchange(opts: ExchangeOptions): Promise<ExchangeResult> {
  return new Promise(resolve => {
    let connected = false
    let received = Buffer.alloc(0)
    let settled = false
    const socket = connect({ host: opts.host, port: opts.port })
    const finish = (end: ExchangeResult['end'], error?: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      socket.destroy()
      resolve({ connected, received, end, ...(error === undefined ? {} : { error }) })
    }
    const timer = setTimeout(() => finish('timeout'), opts.timeoutMs)
    const onAbort = (): void => finish('aborted')
    if (opts.signal?.aborted) return finish('aborted')
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    socket.setNoDelay(true)
    socket.on('connect', () => {
      connected = true
      socket.write(opts.payload)
    })
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d])
      let whole: boolean
      try {
        whole = opts.isComplete(received)
      } catch {
        whole = true
      }
      if (whole) finish('complete')
    })
    socket.on('end', () => finish('closed'))
    socket.on('close', () => finish('closed'))
    socket.on('error', (e: NodeJS.ErrnoException) => finish('error', e.code ?? e.message))
  })
}

/** Bytes as they read in evidence: printable text, control bytes escaped, capped. */
export function showBytes(b: Buffer | string, max = 300): string {
  const s = typeof b === 'string' ? b : b.toString('utf8')
  const shown = s.replace(/[\x00-\x1f\x7f]/g, c =>
    c === '\r'
      ? '\\r'
      : c === '\n'
        ? '\\n'
        : c === '\t'
          ? '\\t'
          : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  )
  return shown.length > max ? `${shown.slice(0, max)}... (${s.length} chars)` : shown
}
