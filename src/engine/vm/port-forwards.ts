// Forwarded guest TCP ports: checked as input, then given host ports on 127.0.0.1 (a free one
// unless the caller named it). The mapping is what probes connect to and what reports show.
import { createServer, type Server } from 'node:net'
import { ConfigurationError, badInput } from '../errors.js'
import type { HostForward } from './qemu-argv.js'
import type { PortForward } from './vm-types.js'

export const HOST_ADDRESS = '127.0.0.1'

function validPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535
}

/** Throws a ConfigurationError for a port outside 1..65535 or a guest or host port given twice. */
export function validatePortForwards(ports: readonly PortForward[], input = 'ports'): void {
  const guests = new Set<number>()
  const hosts = new Set<number>()
  for (const p of ports) {
    if (!validPort(p.guest)) throw badInput(input, 'TCP ports from 1 to 65535', String(p.guest))
    if (p.host !== undefined && p.host !== 0 && !validPort(p.host)) {
      throw badInput(input, 'host ports from 1 to 65535 (or 0 for a free one)', String(p.host))
    }
    if (guests.has(p.guest))
      throw new ConfigurationError(input, `Input '${input}' names guest port ${p.guest} twice`)
    guests.add(p.guest)
    if (p.host) {
      if (hosts.has(p.host))
        throw new ConfigurationError(input, `Input '${input}' names host port ${p.host} twice`)
      hosts.add(p.host)
    }
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ host: HOST_ADDRESS, port, exclusive: true }, () => resolve(server))
  })
}

function close(server: Server): Promise<void> {
  return new Promise(resolve => server.close(() => resolve()))
}

/**
 * Picks the host side of each forward. Free ports come from the kernel (bind to port 0); all probe
 * sockets stay open until every port is chosen so no two forwards get the same one. A named host
 * port that is taken is the caller's to change. QEMU binds them a moment later: another process
 * could take one in between, which then shows as QEMU failing to set up the forward.
 */
export async function allocateHostPorts(
  ports: readonly PortForward[],
  input = 'ports'
): Promise<HostForward[]> {
  validatePortForwards(ports, input)
  const servers: Server[] = []
  try {
    const out: HostForward[] = []
    for (const p of ports) {
      let server: Server
      try {
        server = await listen(p.host ?? 0)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        throw new ConfigurationError(
          input,
          `Input '${input}': host port ${p.host} on ${HOST_ADDRESS} is not available (${code ?? String(e)}); ` +
            `choose another host port or give only the guest port to get a free one`
        )
      }
      servers.push(server)
      const address = server.address()
      if (address === null || typeof address === 'string') throw new Error('port allocation: no TCP address')
      out.push({ host: address.port, guest: p.guest })
    }
    return out
  } finally {
    await Promise.all(servers.map(close))
  }
}
