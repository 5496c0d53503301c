// Asks a QEMU that kraft started whether the guest accepted a forwarded connection: kraft gives QEMU
// an HMP monitor at `<state>/qemu_mon.sock` (`-monitor unix:...,server,nowait`), and `info usernet`
// lists each forwarded connection as TCP[SYN_SENT] until the guest accepts it, then TCP[ESTABLISHED].
import { connect } from 'node:net'

export interface UsernetRow {
  protocol: string
  state: string
  srcAddress: string
  srcPort: number
  destAddress: string
  destPort: number
}

/** Rows of `info usernet` (QEMU 7.2 format: `TCP[SYN_SENT]  12  127.0.0.1 18082  10.0.2.15  80  0  0`). */
export function parseUsernet(text: string): UsernetRow[] {
  const rows: UsernetRow[] = []
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\w+)\[([A-Z_0-9]+)\]\s+(-?\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)/.exec(line)
    if (!m) continue
    rows.push({
      protocol: m[1],
      state: m[2],
      srcAddress: m[4],
      srcPort: Number(m[5]),
      destAddress: m[6],
      destPort: Number(m[7])
    })
  }
  return rows
}

/** Whether any TCP connection to `guestPort` is ESTABLISHED in the guest. */
export function guestAcceptedFrom(rows: UsernetRow[], guestPort: number): boolean {
  return rows.some(r => r.protocol === 'TCP' && r.state === 'ESTABLISHED' && r.destPort === guestPort)
}

/** Runs one HMP command on a monitor socket and returns its output (between the prompts). */
export function hmpCommand(socketPath: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath)
    let buf = ''
    let sent = false
    const timer = setTimeout(
      () => finish(new Error(`QEMU monitor ${socketPath} did not answer within ${timeoutMs} ms`)),
      timeoutMs
    )
    function finish(err: Error | null, out?: string): void {
      clearTimeout(timer)
      sock.destroy()
      if (err) reject(err)
      else resolve(out ?? '')
    }
    sock.setEncoding('utf8')
    sock.on('error', err => finish(err))
    sock.on('data', (d: string) => {
      buf += d
      if (!sent) {
        if (buf.includes('(qemu) ')) {
          sent = true
          buf = ''
          sock.write(`${command}\n`)
        }
        return
      }
      const end = buf.lastIndexOf('(qemu) ')
      if (end >= 0) finish(null, buf.slice(0, end).replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''))
    })
  })
}
