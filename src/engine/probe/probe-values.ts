// Value parsers shared by the string and structured probe forms: ports, durations, booleans,
// HTTP statuses, regexes (`REGEX` or `/REGEX/FLAGS`) and the `key=value` option tokenizer.
// Each returns a value or a short reason string (`{ error }`), so the caller can name the input and form.
import { booleanValue, DURATION_FORM, durationMs, portNumber } from '../config/units.js'
import type { PatternSpec, StatusSpec } from './probe-types.js'

export type Parsed<T> = { ok: T } | { error: string }

const ALLOWED_FLAGS = /^[imsu]*$/

export function parsePort(text: string | number): Parsed<number> {
  const n = portNumber(text)
  if (n !== null) return { ok: n }
  const s = String(text)
  return /^\s*\d+\s*$/.test(s)
    ? { error: `port ${s} is outside 1..65535` }
    : { error: `port '${s}' is not a number` }
}

/** The duration grammar of every input (config/units.ts): a bare number is seconds in both forms. */
export function parseDuration(value: string | number): Parsed<number> {
  const ms = durationMs(value)
  return ms === null ? { error: `duration '${value}' must be ${DURATION_FORM}` } : { ok: ms }
}

export function parseBool(value: string | boolean): Parsed<boolean> {
  const b = booleanValue(value)
  return b === null ? { error: `'${value}' is not yes/no` } : { ok: b }
}

/** `200`, `2xx`, `200,204,3xx`. */
export function parseStatuses(value: string | number | (string | number)[]): Parsed<StatusSpec[]> {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',')
  const out: StatusSpec[] = []
  for (const raw of items) {
    const item = raw.trim().toLowerCase()
    if (/^[1-5]\d\d$/.test(item)) out.push({ exact: Number(item) })
    else if (/^[1-5]xx$/.test(item)) out.push({ class: Number(item[0]) })
    else return { error: `status '${raw}' must be a code like 200 or a class like 2xx` }
  }
  return out.length > 0 ? { ok: out } : { error: 'status is empty' }
}

export function statusMatches(specs: StatusSpec[], status: number): boolean {
  return specs.some(s => ('exact' in s ? s.exact === status : Math.floor(status / 100) === s.class))
}

export function formatStatuses(specs: StatusSpec[]): string {
  return specs.map(s => ('exact' in s ? String(s.exact) : `${s.class}xx`)).join(',')
}

export function compilePattern(p: PatternSpec): RegExp {
  return new RegExp(p.source, p.flags)
}

export function formatPattern(p: PatternSpec): string {
  return `/${p.source}/${p.flags}`
}

/** Validates a regex source and flags. */
export function makePattern(source: string, flags = ''): Parsed<PatternSpec> {
  if (source === '') return { error: 'the regular expression is empty' }
  if (!ALLOWED_FLAGS.test(flags)) return { error: `regex flags '${flags}' must be among i, m, s, u` }
  try {
    new RegExp(source, flags)
  } catch (e) {
    return { error: `malformed regular expression: ${(e as Error).message}` }
  }
  return { ok: { source, flags } }
}

/**
 * Finds the end of a `/REGEX/FLAGS` literal starting at `text[0] === '/'`, like JavaScript does:
 * a `/` after a backslash or inside `[...]` does not close it. Returns the index of the closing `/`.
 */
export function closingSlash(text: string): number {
  let inClass = false
  for (let i = 1; i < text.length; i++) {
    const c = text[i]
    if (c === '\\') i++
    else if (c === '[') inClass = true
    else if (c === ']') inClass = false
    else if (c === '/' && !inClass) return i
  }
  return -1
}

/** `/REGEX/FLAGS` when it starts with a slash, else the whole text is the regex (no flags). */
export function parsePatternValue(text: string): Parsed<PatternSpec> {
  if (text.startsWith('/')) {
    const end = closingSlash(text)
    if (end < 0) return { error: `'${text}' starts a /REGEX/ without its closing slash` }
    const p = makePattern(text.slice(1, end), text.slice(end + 1))
    if ('error' in p && !ALLOWED_FLAGS.test(text.slice(end + 1))) {
      return { error: `${p.error}; a leading / starts /REGEX/FLAGS: write \\/ to match a literal slash` }
    }
    return p
  }
  return makePattern(text)
}

export interface OptionToken {
  key: string
  /** null for a bare word (`setget`). */
  value: string | null
}

/**
 * Splits `key=value key2='a value' flag` into tokens. Values run to the next blank; a value may be
 * wrapped in '...' or "..." to hold blanks. Backslashes are kept as written, so regexes survive.
 */
export function tokenizeOptions(text: string): Parsed<OptionToken[]> {
  const out: OptionToken[] = []
  let i = 0
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++
      continue
    }
    const keyMatch = /^[A-Za-z][\w-]*/.exec(text.slice(i))
    if (!keyMatch) return { error: `option '${text.slice(i).split(/\s/)[0]}' must look like key=value` }
    const key = keyMatch[0].toLowerCase()
    i += keyMatch[0].length
    if (i >= text.length || /\s/.test(text[i])) {
      out.push({ key, value: null })
      continue
    }
    if (text[i] !== '=')
      return { error: `option '${text.slice(i - key.length).split(/\s/)[0]}' must look like key=value` }
    i++
    let value: string
    const q = text[i]
    if (q === "'" || q === '"') {
      const end = text.indexOf(q, i + 1)
      if (end < 0)
        return { error: `option '${key}' has an unterminated ${q === "'" ? 'single' : 'double'} quote` }
      value = text.slice(i + 1, end)
      i = end + 1
      if (i < text.length && !/\s/.test(text[i]))
        return { error: `option '${key}' has text after its closing quote` }
    } else {
      const m = /^\S*/.exec(text.slice(i))
      value = m ? m[0] : ''
      i += value.length
    }
    out.push({ key, value })
  }
  return { ok: out }
}
