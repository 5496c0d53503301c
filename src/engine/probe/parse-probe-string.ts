// The one-string probe form (`--probe`, the `probe` input, a string in `probes:`):
// `redis[:PORT] [setget]`, `http:PORT/PATH status=200`, `console:/REGEX/i stop=no`, ...
import { ShellWordsError, splitWords } from '../config/shell-words.js'
import { DEFAULT_HTTP_PORT, DEFAULT_REDIS_PORT, isKind, must, wrong } from './probe-forms.js'
import { commandSpec, consoleSpec, exitSpec, httpSpec, redisSpec, tcpSpec } from './probe-specs.js'
import type { ProbeSpec } from './probe-types.js'
import { closingSlash, parseBool, parsePatternValue, parsePort, tokenizeOptions } from './probe-values.js'

export function parseProbeString(raw: string, input: string): ProbeSpec {
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
