// The probe grammar's shared vocabulary: the kinds, their defaults, the accepted forms (for messages
// and docs), and the one error every parser raises (naming the input and the accepted form).
import { ConfigurationError, badInput } from '../errors.js'
import type { ProbeKind } from './probe-types.js'
import type { Parsed } from './probe-values.js'

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

export const KINDS = Object.keys(STRING_FORMS) as ProbeKind[]

export function isKind(k: string): k is ProbeKind {
  return (KINDS as string[]).includes(k)
}

function allForms(): string {
  return `one of ${KINDS.map(k => STRING_FORMS[k]).join('; ')}, or a {kind: ...} object`
}

export function wrong(
  input: string,
  kind: ProbeKind | null,
  got: unknown,
  reason: string,
  structured = false
): ConfigurationError {
  const form = kind === null ? allForms() : structured ? OBJECT_FORMS[kind] : STRING_FORMS[kind]
  return badInput(input, `${form} (${reason})`, got)
}

export function must<T>(p: Parsed<T>, input: string, kind: ProbeKind, got: unknown, structured = false): T {
  if ('error' in p) throw wrong(input, kind, got, p.error, structured)
  return p.ok
}
