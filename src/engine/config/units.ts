// Parsers for the small value languages of inputs: sizes, durations, booleans, port lists, K=V lines.
import { badInput, ConfigurationError } from '../errors.js'

export { parseMemory } from '../vm/memory.js'

/** `60s`, `2m`, `1m30s`, `500ms`, `90` (seconds) -> ms. */
/** The longest duration anywhere (a check's deadline, a probe's attempt): Node's timers end at 24.8 days. */
export const MAX_DURATION_MS = 24 * 3_600_000

/** The one duration grammar, for inputs, config keys and probe options alike. */
export const DURATION_FORM = 'a duration like 60s, 2m, 1m30s or 500ms (a bare number is seconds), at most 24h'

/**
 * `500ms`, `2s`, `1.5s`, `2m`, `1m30s`, `1h`, or a bare number of seconds (`90`, or 90 from YAML):
 * milliseconds, or null when it is not a duration, not positive, or longer than MAX_DURATION_MS.
 */
export function durationMs(value: string | number): number | null {
  let total = 0
  if (typeof value === 'number') total = value * 1000
  else {
    const s = value.trim()
    if (/^\d+(?:\.\d+)?$/.test(s)) total = Number(s) * 1000
    else {
      const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy
      let matched = 0
      let m: RegExpExecArray | null
      while ((m = re.exec(s))) {
        const n = Number(m[1])
        total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000
        matched = re.lastIndex
      }
      if (!s || matched !== s.length) return null
    }
  }
  if (!Number.isFinite(total) || total < 1 || total > MAX_DURATION_MS) return null
  return Math.round(total)
}

export function parseDuration(value: string | number, input = 'timeout'): number {
  const ms = durationMs(value)
  if (ms === null) throw badInput(input, DURATION_FORM, String(value))
  return ms
}

/** The one boolean grammar (inputs, config keys, probe options): true/yes/on/1, false/no/off/0. */
export function booleanValue(value: string | boolean): boolean | null {
  if (typeof value === 'boolean') return value
  const v = value.trim().toLowerCase()
  if (v === 'true' || v === 'yes' || v === 'on' || v === '1') return true
  if (v === 'false' || v === 'no' || v === 'off' || v === '0') return false
  return null
}

export function parseBoolean(value: string, input: string): boolean {
  const b = booleanValue(value)
  if (b === null) throw badInput(input, 'true or false', value)
  return b
}

/** The one port grammar: a whole number from 1 to 65535 (blanks around it allowed), or null. */
export function portNumber(value: string | number): number | null {
  const t = String(value).trim()
  const n = Number(t)
  return /^\d+$/.test(t) && n >= 1 && n <= 65535 ? n : null
}

export function parseChoice<T extends string>(value: string, input: string, choices: readonly T[]): T {
  const v = value.trim() as T
  if (!choices.includes(v)) throw badInput(input, `one of ${choices.join(', ')}`, value)
  return v
}

export function parsePortNumber(value: string, input: string): number {
  const n = portNumber(value)
  if (n === null) throw badInput(input, 'a TCP port from 1 to 65535', value)
  return n
}

/** Lines or comma-separated items, blanks dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map(s => s.trim())
    .filter(s => s !== '')
}

export interface PortMapping {
  guest: number
  host?: number
}

/** `8080`, `18080:80` -> mappings; duplicates of a guest port are an error. */
export function parsePorts(items: readonly string[], input = 'ports'): PortMapping[] {
  const out: PortMapping[] = []
  for (const item of items) {
    const parts = item.split(':')
    if (parts.length > 2) throw badInput(input, 'GUEST or HOST:GUEST ports (1 to 65535)', item)
    const guest = parsePortNumber(parts[parts.length - 1], input)
    const host = parts.length === 2 ? parsePortNumber(parts[0], input) : undefined
    if (out.some(p => p.guest === guest)) {
      throw new ConfigurationError(input, `Input '${input}' names guest port ${guest} twice`)
    }
    if (host !== undefined && out.some(p => p.host === host)) {
      throw new ConfigurationError(input, `Input '${input}' names host port ${host} twice`)
    }
    out.push(host === undefined ? { guest } : { guest, host })
  }
  return out
}

/** `K=V` lines -> map. */
export function parseEnvLines(items: readonly string[], input = 'env'): Record<string, string> {
  const env: Record<string, string> = {}
  for (const item of items) {
    const eq = item.indexOf('=')
    const key = eq > 0 ? item.slice(0, eq) : ''
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw badInput(input, 'lines of NAME=value', item)
    env[key] = item.slice(eq + 1)
  }
  return env
}
