import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { ShellWordsError, splitWords, splitWordsFor } from '../../../src/engine/config/shell-words.js'

describe('splitWords', () => {
  it.each<[string, string[]]>([
    ['redis-server --port 6379', ['redis-server', '--port', '6379']],
    ['  a \t b\nc  ', ['a', 'b', 'c']],
    ['', []],
    ['   ', []],
    [`redis-server --save ''`, ['redis-server', '--save', '']],
    [`a "" b`, ['a', '', 'b']],
    [`'hello world'`, ['hello world']],
    [`"hello world"`, ['hello world']],
    [`it"'"s' 'ok`, [`it's ok`]],
    [`'a\\b'`, ['a\\b']],
    [`"a\\"b"`, ['a"b']],
    [`"a\\$b \\\\ \\x"`, ['a$b \\ \\x']],
    [`a\\ b`, ['a b']],
    [`a\\'b`, [`a'b`]],
    ['a\\\nb', ['ab']],
    [`"a\\\nb"`, ['ab']],
    [`pre"mid"'post'`, ['premidpost']],
    ['echo $HOME ~ *.txt', ['echo', '$HOME', '~', '*.txt']],
    ['a|b ; c > d # e', ['a|b', ';', 'c', '>', 'd', '#', 'e']],
    [`sh -c 'curl -f http://$HOST:$PORT_80/'`, ['sh', '-c', 'curl -f http://$HOST:$PORT_80/']]
  ])('%j splits to %j', (input, words) => {
    expect(splitWords(input)).toEqual(words)
  })

  it.each([
    [`echo 'unterminated`, 'unterminated single quote at position 6'],
    [`echo "unterminated`, 'unterminated double quote at position 6'],
    [`echo "a\\"`, 'unterminated double quote at position 6'],
    ['echo \\', 'trailing backslash at position 6']
  ])('%j is an error: %s', (input, message) => {
    expect(() => splitWords(input)).toThrow(new ShellWordsError(message, 0))
  })

  it('names the input when splitting for a config value', () => {
    expect(() => splitWordsFor('cmd', `nginx -g 'daemon off;`)).toThrow(ConfigurationError)
    expect(() => splitWordsFor('cmd', `nginx -g 'daemon off;`)).toThrow(
      `Input 'cmd' must be words split like a POSIX shell does, with balanced quotes (unterminated single quote at position 10), got 'nginx -g 'daemon off;'`
    )
  })
})
