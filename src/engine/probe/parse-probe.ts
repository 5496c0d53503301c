// Turns the user's probes (the one-string form of `--probe`/`probe`, or a config-file object) into
// validated ProbeSpecs. Every mistake is one ConfigurationError naming the input and the accepted form,
// raised before anything boots. docs/probes.md documents both forms.
import { ConfigurationError, badInput } from '../errors.js'
import { ShellWordsError, splitWords } from '../config/shell-words.js'
import { findProgram } from '../find-program.js'
import type { HeaderMatch, PatternSpec, ProbeKind, ProbeSpec, StatusSpec } from './probe-types.js'
import {
  type OptionToken,
  type Parsed,
  closingSlash,
  formatPattern,
  parseBool,
  parseDuration,
  parsePatternValue,
  parsePort,
  parseStatuses,
  tokenizeOptions
} from './probe-values.js'

export const DEFAULT_REDIS_PORT = 6379
export const DEFAULT_HTTP_PORT = 80
export const DEFAULT_ATTEMPT_TIMEOUT_MS = { redis: 1000, http: 2000, tcp: 1000 } as const

/** The one-string forms, for messages and docs. */
export const STRING_FORMS: Record<ProbeKind, string> = {
  redis: 'redis[:PORT] [setget] [timeout=1s]',
  http: 'http[:PORT][/PATH] [status=2xx] [body=REGEX] [header=NAME:REGEX] [method=GET] [timeout=2s]',
  tcp: 'tcp:PORT [timeout=1s]',
  console: 'console:REGEX [stop=yes|no] or console:/REGEX/FLAGS [stop=yes|no]',
  exit: 'exit:CODE (0..255)',
  command: 'command:ARGV (words split like a POSIX shell, no shell runs)'
}

/** The structured (config file) forms. */
export const OBJECT_FORMS: Record<ProbeKind, string> = {
  redis: '{kind: redis, port?: PORT, setget?: BOOL, timeout?: DURATION}',
  http: '{kind: http, port?: PORT, path?: /PATH, method?: GET, status?: 2xx, body?: REGEX, headers?: {NAME: REGEX}, timeout?: DURATION}',
  tcp: '{kind: tcp, port: PORT, timeout?: DURATION}',
  console: '{kind: console, regex: REGEX, stop?: BOOL}',
  exit: '{kind: exit, code: CODE}',
  command: '{kind: command, argv: [PROGRAM, ARG...] or command: "WORDS", retry?: BOOL, timeout?: DURATION}'
}

const KINDS = Object.keys(STRING_FORMS) as ProbeKind[]

function isKind(k: string): k is ProbeKind {
  return (KINDS as string[]).includes(k)
}

function allForms(): string {
  return `one of ${KINDS.map(k => STRING_FORMS[k]).join('; ')}, or a {kind: ...} object`
}

function wrong(
  input: string,
  kind: ProbeKind | null,
  got: unknown,
  reason: string,
  structured = false
): ConfigurationError {
  const form = kind === null ? allForms() : structured ? OBJECT_FORMS[kind] : STRING_FORMS[kind]
  return badInput(input, `${form} (${reason})`, got)
}

/** Parses one probe, from the string form or a config-file object. */
export function parseProbe(input: string | object, inputName: string): ProbeSpec {
  if (typeof input === 'string') return parseProbeString(input, inputName)
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    return parseProbeObject(input as Record<string, unknown>, inputName)
  }
  throw wrong(
    inputName,
    null,
    input,
    `a probe is a string or an object, got ${Array.isArray(input) ? 'a list' : typeof input}`
  )
}

/** Parses a list of probes, naming each `<listName>[i]` (1-based) in errors. */
export function parseProbes(inputs: readonly (string | object)[], listName = 'probe'): ProbeSpec[] {
  return inputs.map((p, i) => parseProbe(p, `${listName}[${i + 1}]`))
}

/** The guest ports the probes talk to, in first-use order: the runner forwards them automatically. */
export function guestPortsOf(specs: readonly ProbeSpec[]): number[] {
  const ports: number[] = []
  for (const s of specs) {
    if ((s.kind === 'redis' || s.kind === 'http' || s.kind === 'tcp') && !ports.includes(s.port))
      ports.push(s.port)
  }
  return ports
}

function must<T>(p: Parsed<T>, input: string, kind: ProbeKind, got: unknown, structured = false): T {
  if ('error' in p) throw wrong(input, kind, got, p.error, structured)
  return p.ok
}

// ---- the one-string form ----

function parseProbeString(raw: string, input: string): ProbeSpec {
  const text = raw.trim()
  const head = /^([A-Za-z]+)(:|(?=\s)|$)/.exec(text)
  const kindWord = head?.[1].toLowerCase() ?? ''
  if (!head || !isKind(kindWord)) {
    const shown = text.split(/[:\s]/)[0]
    throw wrong(input, null, raw, shown ? `unknown probe kind '${shown}'` : 'the probe is empty')
  }
  const kind = kindWord
  const hasColon = head[2] === ':'
  const rest = text.slice(head[0].length)
  const need = (ok: boolean, reason: string): void => {
    if (!ok) throw wrong(input, kind, raw, reason)
  }

  switch (kind) {
    case 'redis':
    case 'http':
    case 'tcp': {
      const [target, optText] = splitFirstWord(rest)
      need(!hasColon || target !== '', `nothing after '${kind}:'`)
      need(kind !== 'tcp' || hasColon, 'tcp needs a port')
      const opts = must(tokenizeOptions(hasColon ? optText : rest), input, kind, raw)
      if (kind === 'redis') {
        const port = target === '' ? DEFAULT_REDIS_PORT : must(parsePort(target), input, kind, raw)
        return redisSpec(input, port, opts, raw)
      }
      if (kind === 'tcp') return tcpSpec(input, must(parsePort(target), input, kind, raw), opts, raw)
      const slash = target.indexOf('/')
      const portText = slash < 0 ? target : target.slice(0, slash)
      const path = slash < 0 ? '/' : target.slice(slash)
      need(portText !== '' || target === '', `write http:PORT/PATH, e.g. http:80${path}`)
      const port = portText === '' ? DEFAULT_HTTP_PORT : must(parsePort(portText), input, kind, raw)
      return httpSpec(input, port, path, opts, raw)
    }
    case 'console': {
      need(hasColon && rest.trim() !== '', 'a regular expression after console:')
      let patternText = rest
      let optText = ''
      if (rest.startsWith('/')) {
        const end = closingSlash(rest)
        need(
          end >= 0,
          `'${rest}' starts a /REGEX/FLAGS without its closing slash (write \\/ to match a leading slash)`
        )
        const after = /^[A-Za-z]*/.exec(rest.slice(end + 1))![0]
        patternText = rest.slice(0, end + 1 + after.length)
        optText = rest.slice(patternText.length)
        need(
          optText === '' || /^\s/.test(optText),
          `text after the /REGEX/FLAGS must be options like stop=no`
        )
      } else {
        // The plain form's regex runs to the end, except a trailing stop option (people write it).
        const trailing = /^(.*?)(\s+stop=\S*)$/.exec(rest)
        if (trailing) [patternText, optText] = [trailing[1], trailing[2]]
      }
      const pattern = must(parsePatternValue(patternText), input, kind, raw)
      const opts = must(tokenizeOptions(optText), input, kind, raw)
      let stop = true
      for (const o of opts) {
        need(o.key === 'stop', `unknown option '${o.key}' (accepted: stop)`)
        stop = o.value === null ? true : must(parseBool(o.value), input, kind, raw)
      }
      return consoleSpec(input, pattern, stop)
    }
    case 'exit': {
      need(!hasColon || /^\d+$/.test(rest.trim()), `exit status '${rest.trim()}' must be a number 0..255`)
      need(rest.trim() === '' || hasColon, 'write exit:CODE')
      return exitSpec(input, hasColon ? Number(rest.trim()) : 0, raw, false)
    }
    case 'command': {
      need(hasColon, 'write command:PROGRAM ARGS...')
      let argv: string[]
      try {
        argv = splitWords(rest)
      } catch (e) {
        if (e instanceof ShellWordsError) throw wrong(input, kind, raw, e.message)
        throw e
      }
      return commandSpec(input, argv, false, null, raw, false)
    }
  }
}

function splitFirstWord(s: string): [string, string] {
  const m = /^\S*/.exec(s)!
  return [m[0], s.slice(m[0].length)]
}

// ---- the structured form ----

function parseProbeObject(obj: Record<string, unknown>, input: string): ProbeSpec {
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

// ---- builders shared by both forms: options, validation and the canonical target ----

function optionError(input: string, kind: ProbeKind, got: unknown, structured: boolean, accepted: string[]) {
  return (o: OptionToken): ConfigurationError =>
    wrong(input, kind, got, `unknown option '${o.key}' (accepted: ${accepted.join(', ')})`, structured)
}

function attemptTimeout(
  o: OptionToken,
  input: string,
  kind: ProbeKind,
  got: unknown,
  structured: boolean
): number {
  if (o.value === null) throw wrong(input, kind, got, 'timeout needs a value like 2s', structured)
  return must(parseDuration(o.value), input, kind, got, structured)
}

function redisSpec(
  input: string,
  port: number,
  opts: OptionToken[],
  got: unknown,
  structured = false
): ProbeSpec {
  let setGet = false
  let attemptTimeoutMs: number = DEFAULT_ATTEMPT_TIMEOUT_MS.redis
  const unknown = optionError(input, 'redis', got, structured, ['setget', 'timeout'])
  for (const o of opts) {
    if (o.key === 'setget')
      setGet = o.value === null ? true : must(parseBool(o.value), input, 'redis', got, structured)
    else if (o.key === 'timeout') attemptTimeoutMs = attemptTimeout(o, input, 'redis', got, structured)
    else throw unknown(o)
  }
  return { kind: 'redis', input, target: `redis:${port}`, port, setGet, attemptTimeoutMs }
}

function tcpSpec(
  input: string,
  port: number,
  opts: OptionToken[],
  got: unknown,
  structured = false
): ProbeSpec {
  let attemptTimeoutMs: number = DEFAULT_ATTEMPT_TIMEOUT_MS.tcp
  const unknown = optionError(input, 'tcp', got, structured, ['timeout'])
  for (const o of opts) {
    if (o.key === 'timeout') attemptTimeoutMs = attemptTimeout(o, input, 'tcp', got, structured)
    else throw unknown(o)
  }
  return { kind: 'tcp', input, target: `tcp:${port}`, port, attemptTimeoutMs }
}

function httpSpec(
  input: string,
  port: number,
  path: string,
  opts: OptionToken[],
  got: unknown,
  structured = false
): ProbeSpec {
  const m = (p: Parsed<unknown>): void => void must(p, input, 'http', got, structured)
  if (!path.startsWith('/') || /\s/.test(path))
    m({ error: `path '${path}' must start with / and have no blanks` })
  let method = 'GET'
  let status: StatusSpec[] = [{ class: 2 }]
  let body: PatternSpec | null = null
  const headers: HeaderMatch[] = []
  let attemptTimeoutMs: number = DEFAULT_ATTEMPT_TIMEOUT_MS.http
  const unknown = optionError(input, 'http', got, structured, [
    'status',
    'body',
    'header',
    'method',
    'timeout'
  ])
  for (const o of opts) {
    if (!['status', 'body', 'header', 'method', 'timeout'].includes(o.key)) throw unknown(o)
    if (o.value === null || o.value === '') {
      m({ error: `option '${o.key}' needs a value` })
      continue
    }
    const v = o.value
    if (o.key === 'timeout') attemptTimeoutMs = attemptTimeout(o, input, 'http', got, structured)
    else if (o.key === 'method') {
      if (!/^[A-Za-z]+$/.test(v)) m({ error: `method '${v}' must be a word like GET or HEAD` })
      method = v.toUpperCase()
    } else if (o.key === 'status') status = must(parseStatuses(v), input, 'http', got, structured)
    else if (o.key === 'body') body = must(parsePatternValue(v), input, 'http', got, structured)
    else {
      const colon = v.indexOf(':')
      const name = colon < 0 ? '' : v.slice(0, colon).trim()
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) m({ error: `header '${v}' must look like NAME:REGEX` })
      const pattern = must(parsePatternValue(v.slice(colon + 1).trim()), input, 'http', got, structured)
      headers.push({ name: name.toLowerCase(), pattern })
    }
  }
  return {
    kind: 'http',
    input,
    target: `http:${port}${path}`,
    port,
    path,
    method,
    status,
    body,
    headers,
    attemptTimeoutMs
  }
}

function consoleSpec(input: string, pattern: PatternSpec, stop: boolean): ProbeSpec {
  return { kind: 'console', input, target: `console:${formatPattern(pattern)}`, pattern, stop }
}

function exitSpec(input: string, code: number, got: unknown, structured: boolean): ProbeSpec {
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    throw wrong(input, 'exit', got, 'the exit status must be a number 0..255', structured)
  }
  return { kind: 'exit', input, target: `exit:${code}`, code }
}

function commandSpec(
  input: string,
  argv: string[],
  retry: boolean,
  attemptTimeoutMs: number | null,
  got: unknown,
  structured: boolean
): ProbeSpec {
  if (argv.length === 0 || argv[0] === '') throw wrong(input, 'command', got, 'no program given', structured)
  if (findProgram(argv[0]) === null) {
    throw wrong(
      input,
      'command',
      got,
      `program '${argv[0]}' does not exist or is not executable (PATH is searched)`,
      structured
    )
  }
  return {
    kind: 'command',
    input,
    target: `command:${argv.map(quoteWord).join(' ')}`,
    argv,
    retry,
    attemptTimeoutMs
  }
}

/** Quotes a word so splitWords gives it back. */
export function quoteWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`
}
