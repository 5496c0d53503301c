// POSIX word splitting for one-string commands (`cmd: "redis-server --save ''"`, `command:ARGV` probes):
// quotes and backslashes only. No shell ever runs, so nothing is expanded: `$HOME`, `*`, `~`, `#` and
// `|` stay literal characters of a word.
import { badInput } from '../errors.js'

export class ShellWordsError extends Error {
  override name = 'ShellWordsError'
  /** Index in the input where the problem starts (the opening quote, the trailing backslash). */
  readonly index: number
  constructor(message: string, index: number) {
    super(message)
    this.index = index
  }
}

const BLANK = /[ \t\n]/

/**
 * Splits `s` into words the way a POSIX shell tokenizes a simple command, without any expansion:
 * - blanks (space, tab, newline) separate words; quoted empty strings (`''`, `""`) are words;
 * - '...' keeps everything literally; "..." keeps everything except that a backslash escapes
 *   `\`, `"`, `$`, `` ` `` and removes a backslash-newline;
 * - outside quotes a backslash makes the next character literal; backslash-newline is removed.
 * An unterminated quote or a trailing backslash throws a ShellWordsError.
 */
export function splitWords(s: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < s.length) {
    const c = s[i]
    if (BLANK.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end < 0) throw new ShellWordsError(`unterminated single quote at position ${i + 1}`, i)
      word += s.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      const start = i
      i++
      for (;;) {
        if (i >= s.length)
          throw new ShellWordsError(`unterminated double quote at position ${start + 1}`, start)
        const d = s[i]
        if (d === '"') break
        if (d === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1])) {
          if (s[i + 1] !== '\n') word += s[i + 1]
          i += 2
        } else {
          word += d
          i++
        }
      }
      inWord = true
      i++
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new ShellWordsError(`trailing backslash at position ${i + 1}`, i)
      if (s[i + 1] !== '\n') {
        word += s[i + 1]
        inWord = true
      }
      i += 2
    } else {
      word += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}

/** splitWords for a named input: a malformed string is a ConfigurationError naming it. */
export function splitWordsFor(input: string, s: string): string[] {
  try {
    return splitWords(s)
  } catch (e) {
    if (e instanceof ShellWordsError) {
      throw badInput(input, `words split like a POSIX shell does, with balanced quotes (${e.message})`, s)
    }
    throw e
  }
}
