// The structured probe form of the config file: `{kind: http, port: 8080, path: /health}`.
import type { ConfigurationError } from '../errors.js'
import { ShellWordsError, splitWords } from '../config/shell-words.js'
import { DEFAULT_HTTP_PORT, DEFAULT_REDIS_PORT, isKind, must, wrong } from './probe-forms.js'
import { commandSpec, consoleSpec, exitSpec, httpSpec, redisSpec, tcpSpec } from './probe-specs.js'
import type { ProbeKind, ProbeSpec } from './probe-types.js'
import { type OptionToken, parseBool, parseDuration, parsePatternValue, parsePort } from './probe-values.js'

export function parseProbeObject(obj: Record<string, unknown>, input: string): ProbeSpec {
  const kindValue = obj.kind
  if (typeof kindValue !== 'string' || !isKind(kindValue.toLowerCase())) {
    throw wrong(
      input,
      null,
      obj,
      kindValue === undefined ? 'the object has no kind' : `unknown probe kind '${String(kindValue)}'`
    )
  }
  const kind = kindValue.toLowerCase() as ProbeKind
  const fail = (reason: string): ConfigurationError => wrong(input, kind, obj, reason, true)
  const keys: Record<ProbeKind, string[]> = {
    redis: ['port', 'setget', 'timeout'],
    http: ['port', 'path', 'method', 'status', 'body', 'headers', 'timeout'],
    tcp: ['port', 'timeout'],
    console: ['regex', 'stop'],
    exit: ['code'],
    command: ['argv', 'command', 'retry', 'timeout']
  }
  for (const key of Object.keys(obj)) {
    if (key !== 'kind' && !keys[kind].includes(key)) {
      throw fail(`unknown key '${key}' (accepted: kind, ${keys[kind].join(', ')})`)
    }
  }
  const str = (key: string): string | undefined => {
    const v = obj[key]
    if (v === undefined || v === null) return undefined
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    throw fail(`'${key}' must be a single value`)
  }
  const port = (dflt?: number): number => {
    const v = str('port')
    if (v === undefined) {
      if (dflt === undefined) throw fail("'port' is required")
      return dflt
    }
    return must(parsePort(v), input, kind, obj, true)
  }
  const bool = (key: string, dflt: boolean): boolean => {
    const v = obj[key]
    if (v === undefined || v === null) return dflt
    if (typeof v !== 'boolean' && typeof v !== 'string') throw fail(`'${key}' must be true or false`)
    return must(parseBool(v), input, kind, obj, true)
  }
  const timeout = (): OptionToken[] => {
    const v = obj.timeout
    if (v === undefined || v === null) return []
    if (typeof v === 'number')
      return [{ key: 'timeout', value: `${must(parseDuration(v), input, kind, obj, true)}ms` }]
    return [{ key: 'timeout', value: str('timeout')! }]
  }

  switch (kind) {
    case 'redis': {
      const setget = bool('setget', false)
      return redisSpec(
        input,
        port(DEFAULT_REDIS_PORT),
        [...timeout(), { key: 'setget', value: String(setget) }],
        obj,
        true
      )
    }
    case 'tcp':
      return tcpSpec(input, port(), timeout(), obj, true)
    case 'http': {
      const path = str('path') ?? '/'
      const opts: OptionToken[] = [...timeout()]
      const method = str('method')
      if (method !== undefined) opts.push({ key: 'method', value: method })
      const status = obj.status
      if (status !== undefined && status !== null) {
        if (!(typeof status === 'string' || typeof status === 'number' || Array.isArray(status))) {
          throw fail("'status' must be a code, a class like 2xx, or a list of them")
        }
        const statuses = Array.isArray(status) ? status.map(String).join(',') : String(status)
        opts.push({ key: 'status', value: statuses })
      }
      const body = str('body')
      if (body !== undefined) opts.push({ key: 'body', value: body })
      const headers = obj.headers
      if (headers !== undefined && headers !== null) {
        if (typeof headers !== 'object' || Array.isArray(headers))
          throw fail("'headers' must be a map of NAME: REGEX")
        for (const [name, re] of Object.entries(headers as Record<string, unknown>)) {
          if (typeof re !== 'string') throw fail(`headers.${name} must be a regular expression string`)
          opts.push({ key: 'header', value: `${name}:${re}` })
        }
      }
      return httpSpec(input, port(DEFAULT_HTTP_PORT), path, opts, obj, true)
    }
    case 'console': {
      const re = str('regex')
      if (re === undefined) throw fail("'regex' is required")
      return consoleSpec(input, must(parsePatternValue(re), input, kind, obj, true), bool('stop', true))
    }
    case 'exit': {
      const code = str('code')
      if (code === undefined) throw fail("'code' is required")
      return exitSpec(input, /^\d+$/.test(code) ? Number(code) : NaN, obj, true)
    }
    case 'command': {
      let argv: string[]
      if (obj.argv !== undefined && obj.command !== undefined)
        throw fail("give either 'argv' or 'command', not both")
      if (obj.argv !== undefined) {
        if (!Array.isArray(obj.argv) || !obj.argv.every(a => typeof a === 'string')) {
          throw fail("'argv' must be a list of strings")
        }
        argv = obj.argv as string[]
      } else {
        const cmd = str('command')
        if (cmd === undefined) throw fail("'argv' or 'command' is required")
        try {
          argv = splitWords(cmd)
        } catch (e) {
          if (e instanceof ShellWordsError) throw fail(e.message)
          throw e
        }
      }
      const t = timeout()
      const ms = t.length ? must(parseDuration(t[0].value!), input, kind, obj, true) : null
      return commandSpec(input, argv, bool('retry', false), ms, obj, true)
    }
  }
}
