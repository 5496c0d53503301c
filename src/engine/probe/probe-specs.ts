// Builders shared by both probe forms: they check the options, fill in the defaults and give each
// probe its canonical target (`redis:6379`, `http:80/health`), the form results and findings show.
import type { ConfigurationError } from '../errors.js'
import { findProgram } from '../find-program.js'
import { DEFAULT_ATTEMPT_TIMEOUT_MS, must, wrong } from './probe-forms.js'
import type { HeaderMatch, PatternSpec, ProbeKind, ProbeSpec, StatusSpec } from './probe-types.js'
import {
  type OptionToken,
  type Parsed,
  formatPattern,
  parseBool,
  parseDuration,
  parsePatternValue,
  parseStatuses
} from './probe-values.js'

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

export function redisSpec(
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

export function tcpSpec(
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

export function httpSpec(
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

export function consoleSpec(input: string, pattern: PatternSpec, stop: boolean): ProbeSpec {
  return { kind: 'console', input, target: `console:${formatPattern(pattern)}`, pattern, stop }
}

export function exitSpec(input: string, code: number, got: unknown, structured: boolean): ProbeSpec {
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    throw wrong(input, 'exit', got, 'the exit status must be a number 0..255', structured)
  }
  return { kind: 'exit', input, target: `exit:${code}`, code }
}

export function commandSpec(
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
