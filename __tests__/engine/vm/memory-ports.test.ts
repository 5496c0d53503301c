import { createServer, type Server } from 'node:net'
import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { parseMemory } from '../../../src/engine/vm/memory.js'
import { allocateHostPorts, validatePortForwards } from '../../../src/engine/vm/port-forwards.js'
import type { PortForward } from '../../../src/engine/vm/vm-types.js'

describe('parseMemory', () => {
  it.each([
    ['256M', 256],
    ['256m', 256],
    ['256Mi', 256],
    ['256MiB', 256],
    ['1G', 1024],
    ['2GiB', 2048],
    ['8M', 8],
    ['512', 512],
    [' 64M ', 64]
  ])('%j is %d MiB', (text, mib) => {
    expect(parseMemory(text)).toBe(mib)
  })

  it.each([['12 parsecs'], ['4M'], ['0'], ['1.5G'], ['256K'], ['-1G'], [''], ['M']])(
    '%j is rejected',
    text => {
      expect(() => parseMemory(text)).toThrow(ConfigurationError)
      expect(() => parseMemory(text)).toThrow(
        `Input 'memory' must be a size like 256M or 1G (at least 8M), got '${text}'`
      )
    }
  )

  it('names the input it was given', () => {
    expect(() => parseMemory('x', 'baseline.memory')).toThrow(/Input 'baseline\.memory'/)
  })
})

describe('validatePortForwards', () => {
  it.each<[string, PortForward[], RegExp]>([
    ['guest port 0', [{ guest: 0 }], /TCP ports from 1 to 65535, got '0'/],
    ['guest port 65536', [{ guest: 65536 }], /got '65536'/],
    ['a fractional port', [{ guest: 80.5 }], /got '80.5'/],
    ['host port 70000', [{ guest: 80, host: 70000 }], /host ports from 1 to 65535/],
    ['a guest port twice', [{ guest: 80 }, { guest: 80, host: 9000 }], /guest port 80 twice/],
    [
      'a host port twice',
      [
        { guest: 80, host: 9000 },
        { guest: 81, host: 9000 }
      ],
      /host port 9000 twice/
    ]
  ])('%s', (_name, ports, message) => {
    expect(() => validatePortForwards(ports)).toThrow(message)
    expect(() => validatePortForwards(ports)).toThrow(ConfigurationError)
  })

  it('accepts distinct ports and host 0 (pick one)', () => {
    expect(() =>
      validatePortForwards([{ guest: 80, host: 0 }, { guest: 6379 }, { guest: 1, host: 65535 }])
    ).not.toThrow()
  })
})

describe('allocateHostPorts', () => {
  it('gives each guest port its own free host port', async () => {
    const got = await allocateHostPorts([{ guest: 80 }, { guest: 6379 }, { guest: 22, host: 0 }])
    expect(got.map(f => f.guest)).toEqual([80, 6379, 22])
    const hosts = got.map(f => f.host)
    expect(new Set(hosts).size).toBe(3)
    for (const h of hosts) expect(h).toBeGreaterThanOrEqual(1)
  })

  it('keeps a named host port and reports a taken one as the caller’s to change', async () => {
    const server: Server = await new Promise(r => {
      const s = createServer()
      s.listen(0, '127.0.0.1', () => r(s))
    })
    try {
      const taken = (server.address() as { port: number }).port
      await expect(allocateHostPorts([{ guest: 80, host: taken }])).rejects.toThrow(
        new RegExp(`host port ${taken} on 127.0.0.1 is not available`)
      )
      server.close()
      await new Promise(r => server.once('close', r))
      expect(await allocateHostPorts([{ guest: 80, host: taken }])).toEqual([{ guest: 80, host: taken }])
    } finally {
      server.close()
    }
  })
})
