// The tcp probe's logic against real sockets. Where QEMU would answer "did the guest accept?", the VM
// double asks a real server whether it accepted; the real-QEMU test is in qemu-tcp.test.ts.
import { afterEach, describe, expect, it } from '@jest/globals'
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net'
import { parseProbe } from '../../../src/engine/probe/parse-probe.js'
import type { TcpProbeSpec } from '../../../src/engine/probe/probe-types.js'
import { runProbes } from '../../../src/engine/probe/run-probes.js'
import { tcpAttempt } from '../../../src/engine/probe/tcp-probe.js'
import { freePort, startSilentServer } from './servers.js'
import { VmDouble } from './vm-double.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

/** A server that counts the connections it holds open: its accept is the "guest accepted". */
async function acceptingServer(greeting?: string): Promise<{ port: number; open: () => number }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer(s => {
    sockets.add(s)
    s.on('error', () => {})
    s.on('close', () => sockets.delete(s))
    if (greeting) s.write(greeting)
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  cleanups.push(async () => {
    for (const s of sockets) s.destroy()
    await new Promise(r => server.close(r))
  })
  return { port: (server.address() as AddressInfo).port, open: () => sockets.size }
}

const spec = (text = 'tcp:6379'): TcpProbeSpec => parseProbe(text, 'probe[1]') as TcpProbeSpec

describe('tcp probe', () => {
  it('passes only once the guest side reports the connection accepted', async () => {
    const srv = await acceptingServer()
    const r = await tcpAttempt(spec(), {
      host: '127.0.0.1',
      hostPort: srv.port,
      timeoutMs: 2000,
      signal: new AbortController().signal,
      guestAccepted: async () => srv.open() > 0
    })
    expect(r.passed).toBe(true)
    expect(r.evidence.received).toMatch(/^guest accepted \(ESTABLISHED\) after \d+ check\(s\)$/)
  })

  it('fails when the host-side connect succeeds but the guest never accepts', async () => {
    const silent = await startSilentServer()
    cleanups.push(() => silent.close())
    // A bare connect succeeds: this is exactly what QEMU's user networking does for a silent guest.
    await new Promise<void>((resolve, reject) => {
      const s = connect(silent.port, '127.0.0.1', () => {
        s.destroy()
        resolve()
      })
      s.on('error', reject)
    })
    const vm = new VmDouble({ 6379: silent.port }, () => false)
    vm.print('booted, not listening')
    const [r] = await runProbes([spec('tcp:6379 timeout=300ms')], vm, { deadlineMs: 1000 })
    expect(r.passed).toBe(false)
    // The evidence is the last full attempt's (300 ms), not one the deadline cut short.
    expect(r.evidence.note).toMatch(
      /deadline\); last attempt: QEMU accepted the host-side connection, but the guest did not accept it within 300 ms \(SYN_SENT\)$/
    )
    expect(vm.guestAcceptedCalls).toBeGreaterThan(0)
    expect(vm.readyMarks).toEqual([])
  })

  it('passes when the guest sends bytes first, which QEMU never does on its own', async () => {
    const srv = await acceptingServer('SSH-2.0-OpenSSH_9.2\r\n')
    const r = await tcpAttempt(spec('tcp:22'), {
      host: '127.0.0.1',
      hostPort: srv.port,
      timeoutMs: 2000,
      signal: new AbortController().signal,
      guestAccepted: () => new Promise(r => setTimeout(() => r(false), 50))
    })
    expect(r.passed).toBe(true)
    expect(r.evidence.received).toBe('guest sent 21 byte(s) first')
  })

  it('reports when QEMU cannot be asked', async () => {
    const srv = await acceptingServer()
    const r = await tcpAttempt(spec(), {
      host: '127.0.0.1',
      hostPort: srv.port,
      timeoutMs: 2000,
      signal: new AbortController().signal,
      guestAccepted: async () => {
        throw new Error('QMP socket closed')
      }
    })
    expect(r).toMatchObject({
      passed: false,
      evidence: { note: 'could not ask QEMU whether the guest accepted: QMP socket closed' }
    })
  })

  it('reports a refused connect', async () => {
    const r = await tcpAttempt(spec(), {
      host: '127.0.0.1',
      hostPort: await freePort(),
      timeoutMs: 1000,
      signal: new AbortController().signal,
      guestAccepted: async () => true
    })
    expect(r.passed).toBe(false)
    expect(r.evidence.note).toMatch(/^connect failed \(ECONNREFUSED\)/)
  })
})
