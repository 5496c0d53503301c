// Real servers on 127.0.0.1 for the probe tests: redis-server itself, a node HTTP server, and a TCP
// server that accepts and never answers (what a QEMU-forwarded port looks like before the guest listens).
import { type ChildProcess, spawn } from 'node:child_process'
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net'

export const REDIS_SERVER = '/usr/bin/redis-server'

export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise(r => s.close(r))
  return port
}

export interface Running {
  port: number
  close(): Promise<void>
}

/** Starts redis-server on `port` and resolves once it logged that it accepts connections. */
export async function startRedis(port: number): Promise<Running & { proc: ChildProcess }> {
  const proc = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000)
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer)
        resolve()
      }
    })
    proc.on('exit', code => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}: ${out}`))
    })
  })
  proc.removeAllListeners('exit')
  return {
    port,
    proc,
    close: () =>
      new Promise<void>(resolve => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
        proc.once('exit', () => resolve())
        proc.kill('SIGKILL')
      })
  }
}

/** Accepts every connection and never writes a byte; `accepted` counts them. */
export async function startSilentServer(): Promise<Running & { accepted: () => number }> {
  const sockets = new Set<Socket>()
  let count = 0
  const server: Server = createServer(s => {
    count++
    sockets.add(s)
    s.on('error', () => {})
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => count,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise(r => server.close(r))
    }
  }
}
