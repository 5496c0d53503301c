import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import {
  codeFence,
  escapeMarkdownInline,
  escapeMarkdownWithCode,
  escapeXml,
  stripAnsi,
  truncateText
} from '../../../src/engine/report/text-escape.js'

describe('stripAnsi', () => {
  it('removes the terminal reset, colours, OSC titles and CRs of a real console log', async () => {
    const raw = await readFile(new URL('./logs/helloworld-tcg-no-rdseed.log', import.meta.url), 'utf8')
    expect(raw).toMatch(/\x1bc\x1b\[\?7l\x1b\[2J\x1b\[0mSeaBIOS/)
    const clean = stripAnsi(raw)
    expect(clean).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
    expect(clean.split('\n')[0]).toBe('SeaBIOS (version 1.16.2-debian-1.16.2-1)')
  })

  it.each([
    ['CSI colour', '\x1b[1;31mERR\x1b[0m', 'ERR'],
    ['OSC title ended by BEL', 'a\x1b]0;title\x07b', 'ab'],
    ['OSC ended by ST', 'a\x1b]8;;http://x\x1b\\b', 'ab'],
    ['charset selection', '\x1b(Bx', 'x'],
    ['8-bit CSI', '\x9b31mx', 'x'],
    ['a lone trailing ESC', 'x\x1b', 'x'],
    ['tabs and newlines kept', 'a\tb\nc\r\n', 'a\tb\nc\n']
  ])('handles %s', (_name, input, output) => {
    expect(stripAnsi(input)).toBe(output)
  })

  it('is linear on a long line of escape starts (no catastrophic backtracking)', () => {
    const evil = '\x1b['.repeat(200_000) + '1'.repeat(200_000)
    const t = Date.now()
    stripAnsi(evil)
    // A correctness bound, not a timing target: quadratic behaviour here would take minutes.
    expect(Date.now() - t).toBeLessThan(10_000)
  })
})

describe('markdown escaping', () => {
  it.each([
    ['a pipe', 'a | b', 'a \\| b'],
    ['backticks', '`code`', '\\`code\\`'],
    ['HTML', '<script>alert(1)</script>', '&lt;script&gt;alert\\(1\\)&lt;/script&gt;'],
    ['a command substitution', '$(touch x)', '\\$\\(touch x\\)'],
    ['an entity', '&amp;', '&amp;amp;'],
    ['emphasis and links', '*a* _b_ [c](d) ![e](f)', '\\*a\\* \\_b\\_ \\[c\\]\\(d\\) \\!\\[e\\]\\(f\\)'],
    ['newlines (a table row is one line)', 'a\nb\r\nc', 'a b c']
  ])('escapes %s', (_name, input, output) => {
    expect(escapeMarkdownInline(input)).toBe(output)
  })

  it.each([
    [
      'a command in a hint',
      'run `addr2line -e <image>.dbg <RIP>` now',
      'run <code>addr2line -e &lt;image&gt;.dbg &lt;RIP&gt;</code> now'
    ],
    [
      'a hostile detail inside the code',
      'copy `</code><img src=x>` in',
      'copy <code>&lt;/code&gt;&lt;img src=x&gt;</code> in'
    ],
    ['an unpaired backtick', 'a ` b', 'a \\` b'],
    ['no backticks', 'x_y', 'x\\_y']
  ])('renders %s with <code> and escapes the rest', (_name, input, output) => {
    expect(escapeMarkdownWithCode(input)).toBe(output)
  })

  it('fences with more backticks than any run inside', () => {
    expect(codeFence('a ``` b ```` c', 'text')).toBe('`````text\na ``` b ```` c\n`````')
    expect(codeFence('plain\n')).toBe('```\nplain\n```')
  })
})

describe('XML escaping', () => {
  it('escapes the five specials and drops characters XML 1.0 forbids', () => {
    expect(escapeXml(`<a href="x">&'</a>\x00\x1b\ud800ok`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;ok'
    )
  })
})

describe('truncateText', () => {
  it('keeps short text and marks a cut', () => {
    expect(truncateText('abc', 3)).toBe('abc')
    expect(truncateText('abcdef', 4)).toBe('abc…')
  })
})
