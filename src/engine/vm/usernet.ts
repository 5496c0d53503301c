// Reading QEMU's `info usernet`: which forwarded connections the guest itself has accepted.
// QEMU's user networking accepts the host side at once; only the slirp TCP state of the connection
// to the guest tells a listening guest (ESTABLISHED and later) from a silent one (SYN_SENT).
//   TCP[SYN_SENT]       9       127.0.0.1 18555       10.0.2.15  8080     0     0

export interface UsernetConnection {
  protocol: string
  state: string
  fd: number
  srcAddress: string
  srcPort: number
  destAddress: string
  destPort: number
}

const ROW = /^\s*(TCP|UDP)\[([A-Z0-9_]+)\]\s+(-?\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)/

export function parseUsernet(text: string): UsernetConnection[] {
  const out: UsernetConnection[] = []
  for (const line of text.split(/\r?\n/)) {
    const m = ROW.exec(line)
    if (!m) continue
    out.push({
      protocol: m[1],
      state: m[2],
      fd: Number(m[3]),
      srcAddress: m[4],
      srcPort: Number(m[5]),
      destAddress: m[6],
      destPort: Number(m[7])
    })
  }
  return out
}

/** States a connection reaches only after the guest answered the SYN. */
const ACCEPTED_STATES = new Set([
  'ESTABLISHED',
  'CLOSE_WAIT',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT'
])

/**
 * True when some forwarded TCP connection to `guestPort` has been accepted by the guest. Forwarded
 * connections have the guest as destination; the guest's own outgoing connections do not.
 */
export function guestAcceptedIn(text: string, guestPort: number, guestAddress = '10.0.2.15'): boolean {
  return parseUsernet(text).some(
    c =>
      c.protocol === 'TCP' &&
      c.destAddress === guestAddress &&
      c.destPort === guestPort &&
      ACCEPTED_STATES.has(c.state)
  )
}
