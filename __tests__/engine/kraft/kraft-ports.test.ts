// Host ports of `runner: kraft` come from the VM layer's allocation (vm/port-forwards.ts), which
// holds every chosen port until all are chosen. Under a kernel that hands a port that was just
// closed to the next bind(0) (Linux may), choosing them one by one and closing each gives two
// forwards the same host port. node:net is replaced by such a kernel's port table here; the stub
// kraft records the `kraft run` argv and starts nothing.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { EventEmitter } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KraftVmSpec } from '../../../src/engine/kraft/kraft-runner.js'
import type { PortForward } from '../../../src/engine/vm/vm-types.js'
import { stubKraft } from './kraft-stub-runner.js'

/** The lowest free port from FIRST on, as a kernel that reuses ports at once would give it. */
const FIRST = 41000
const bound = new Set<number>()

class FakeServer extends EventEmitter {
  private port: number | null = null
  listen(...args: unknown[]): this {
    const cb = args.find((a): a is () => void => typeof a === 'function')
    const first = args[0]
    const wanted = typeof first === 'number' ? first : ((first as { port?: number }).port ?? 0)
    let port = wanted
    if (wanted === 0) for (port = FIRST; bound.has(port); port++);
    queueMicrotask(() => {
      if (bound.has(port)) {
        this.emit('error', Object.assign(new Error(`listen EADDRINUSE ${port}`), { code: 'EADDRINUSE' }))
        return
      }
      bound.add(port)
      this.port = port
      cb?.()
    })
    return this
  }
  address(): { address: string; family: string; port: number } | null {
    return this.port === null ? null : { address: '127.0.0.1', family: 'IPv4', port: this.port }
  }
  close(cb?: () => void): this {
    if (this.port !== null) bound.delete(this.port)
    this.port = null
    queueMicrotask(() => cb?.())
    return this
  }
}

const realNet = await import('node:net')
jest.unstable_mockModule('node:net', () => ({
  ...realNet,
  default: { ...realNet, createServer: () => new FakeServer() },
  createServer: () => new FakeServer()
}))
const { startKraftVm } = await import('../../../src/engine/kraft/kraft-runner.js')
const { createMemoryLogger } = await import('../../../src/engine/logger.js')
const { systemClock } = await import('../../../src/engine/clock.js')

describe('host ports of kraft run', () => {
  let work: string
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'ukc-kr-ports-'))
    bound.clear()
  })
  afterEach(() => rm(work, { recursive: true, force: true }))

  it.each<[string, PortForward[]]>([
    ['two free ones', [{ guest: 80 }, { guest: 443 }]],
    ['a named one and a free one', [{ guest: 80, host: FIRST }, { guest: 443 }]],
    ['a free one and a named one', [{ guest: 80 }, { guest: 443, host: FIRST + 1 }, { guest: 6379 }]]
  ])('two forwards never share a host port (%s)', async (_name, ports) => {
    const spec: KraftVmSpec = {
      kraftPath: 'kraft',
      target: join(work, 'kernel'),
      cmd: [],
      env: {},
      memoryMiB: 64,
      ports,
      accel: 'tcg',
      timeoutMs: 60_000,
      outDir: join(work, 'out'),
      runtimeDir: join(work, 'rt')
    }
    const kraft = stubKraft()
    const vm = await startKraftVm(spec, {
      runner: kraft.runner,
      logger: createMemoryLogger(),
      clock: systemClock
    })
    const result = await vm.done
    const run = kraft.calls.find(c => c[1] === 'run')!
    const forwards = run.flatMap((a, i) => (a === '-p' ? [run[i + 1]] : []))
    const hosts = forwards.map(f => Number(f.split(':')[0]))
    expect(forwards.map(f => Number(f.split(':')[1]))).toEqual(ports.map(p => p.guest))
    expect(new Set(hosts).size).toBe(ports.length)
    // (the ports came from the fake kernel, so this is its allocation being tested)
    for (const h of hosts) {
      expect(h).toBeGreaterThanOrEqual(FIRST)
      expect(h).toBeLessThan(FIRST + ports.length)
    }
    for (const p of ports) if (p.host) expect(result.ports[p.guest]).toBe(p.host)
    expect(Object.values(result.ports).sort()).toEqual([...hosts].sort())
    // Every probe socket was closed again, for kraft's QEMU to bind.
    expect(bound.size).toBe(0)
  })
})
