// The tcp probe. QEMU's user networking accepts the host-side connection whether or not the guest
// listens, so a connect proves nothing. Readiness is what QEMU itself reports: the forwarded connection
// is ESTABLISHED in `info usernet` (the guest answered the SYN) rather than SYN_SENT. The connection
// is held open while we ask, so the state we read is our own connection's (or a later one's).
// Bytes from the guest prove it too. A server that accepts and closes at once without a byte is
// indistinguishable here from one that is not there.
import { connect } from 'node:net'
import type { AttemptContext, AttemptOutcome } from './attempt.js'
import type { TcpProbeSpec } from './probe-types.js'

/** How often to ask QEMU again while our connection waits for the guest. */
const RECHECK_MS = 10

export interface TcpAttemptContext extends AttemptContext {
  /** The VM handle's check: has the guest itself accepted a connection to this guest port? */
  guestAccepted: (guestPort: number) => Promise<boolean>
}

export function tcpAttempt(spec: TcpProbeSpec, ctx: TcpAttemptContext): Promise<AttemptOutcome> {
  const sent = `connect 127.0.0.1:${ctx.hostPort} (guest port ${spec.port}), then QEMU info usernet`
  return new Promise(resolve => {
    let settled = false
    let connected = false
    let checks = 0
    const socket = connect({ host: ctx.host, port: ctx.hostPort })
    const finish = (passed: boolean, note?: string, received?: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      socket.destroy()
      resolve({ passed, evidence: { sent, ...(received ? { received } : {}), ...(note ? { note } : {}) } })
    }
    const timer = setTimeout(
      () =>
        finish(
          false,
          connected
            ? `QEMU accepted the host-side connection, but the guest did not accept it within ${ctx.timeoutMs} ms (SYN_SENT)`
            : `connect did not complete within ${ctx.timeoutMs} ms`,
          connected ? `${checks} checks: not established` : undefined
        ),
      ctx.timeoutMs
    )
    const onAbort = (): void => finish(false, 'attempt abandoned')
    if (ctx.signal.aborted) return onAbort()
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    const check = async (): Promise<void> => {
      while (!settled) {
        checks++
        let accepted: boolean
        try {
          accepted = await ctx.guestAccepted(spec.port)
        } catch (e) {
          return finish(false, `could not ask QEMU whether the guest accepted: ${(e as Error).message}`)
        }
        if (settled) return
        if (accepted) return finish(true, undefined, `guest accepted (ESTABLISHED) after ${checks} check(s)`)
        await new Promise(r => setTimeout(r, RECHECK_MS))
      }
    }
    socket.on('connect', () => {
      connected = true
      void check()
    })
    // Bytes can only come from the guest (QEMU sends none of its own): that is acceptance too.
    socket.on('data', (d: Buffer) => finish(true, undefined, `guest sent ${d.length} byte(s) first`))
    socket.on('close', () =>
      finish(
        false,
        connected
          ? 'QEMU accepted the host-side connection, then closed it: nothing accepted it in the guest'
          : 'connection closed before it was made'
      )
    )
    socket.on('error', (e: NodeJS.ErrnoException) =>
      finish(false, `connect failed (${e.code ?? e.message}): nothing listens on the forwarded host port`)
    )
  })
}
