// Host services (config key `services`): programs the guest talks to, started on the host before
// the boot and stopped after it. The guest reaches the host's 127.0.0.1:PORT as 10.0.2.2:PORT.
import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { badInput } from '../errors.js'

export type ServiceSpec =
  /** Serves a directory over HTTP GET/HEAD. */
  | { kind: 'http'; dir: string; port: number }
  /** Runs a program (argv, no shell) and waits until it accepts on the port. */
  | { kind: 'command'; argv: string[]; port: number }

const ACCEPTED = '{ http: DIR, port: N } or { command: [PROGRAM, ARG...], port: N }'

export function parseServices(
  value: unknown,
  configPath: string,
  label: (i: number) => string
): ServiceSpec[] {
  if (value == null) return []
  if (!Array.isArray(value)) throw badInput(label(-1), `a list of ${ACCEPTED}`, value)
  const seen = new Set<number>()
  return value.map((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw badInput(label(i), ACCEPTED, item)
    const o = item as Record<string, unknown>
    const keys = Object.keys(o).filter(k => k !== 'port')
    const port = o.port
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw badInput(label(i), `${ACCEPTED} with a port from 1 to 65535`, item)
    }
    if (seen.has(port)) throw badInput(label(i), 'services on distinct ports', item)
    seen.add(port)
    if (keys.length === 1 && keys[0] === 'http' && typeof o.http === 'string') {
      const dir = resolve(dirname(configPath), o.http)
      if (!existsSync(dir) || !statSync(dir).isDirectory())
        throw badInput(label(i), 'an http service whose directory exists', o.http)
      return { kind: 'http', dir, port }
    }
    if (
      keys.length === 1 &&
      keys[0] === 'command' &&
      Array.isArray(o.command) &&
      o.command.length > 0 &&
      o.command.every(w => typeof w === 'string')
    ) {
      return { kind: 'command', argv: o.command as string[], port }
    }
    throw badInput(label(i), ACCEPTED, item)
  })
}
