// The keyword scanner must hand over exactly the lines a plain (slow) search would pick: lines that
// contain a keyword case-insensitively once escape sequences are removed, with their line numbers,
// however the bytes are chunked.
import { describe, expect, it } from '@jest/globals'
import { stripControls } from '../../../src/engine/diagnose/ansi.js'
import { KeywordAutomaton } from '../../../src/engine/diagnose/keyword-automaton.js'
import { KeywordLineScanner } from '../../../src/engine/diagnose/keyword-scanner.js'
import { prng } from './diagnose-support.js'

const KEYWORDS = ['err:', 'crit:', 'fork', 'page fault', 'function not implemented', 'rip:']
/** Overlapping keywords, where the failure links matter. */
const OVERLAPPING = [...KEYWORDS, 'he', 'she', 'hers']

function scan(
  keywords: string[],
  input: Buffer,
  chunk: () => number,
  deliverAll = false
): { line: number; text: string; matched: boolean }[] {
  const out: { line: number; text: string; matched: boolean }[] = []
  const scanner = new KeywordLineScanner(new KeywordAutomaton(keywords), {
    line: (line, text, matched) => out.push({ line, text, matched })
  })
  scanner.deliverAll = deliverAll
  for (let at = 0; at < input.length;) {
    const n = Math.max(1, chunk())
    scanner.push(input.subarray(at, at + n))
    at += n
  }
  scanner.end()
  return out
}

/** The reference: split, strip escapes, search each keyword (CR ends what a keyword can span). */
function naive(keywords: string[], input: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = []
  const lines = input.split('\n')
  lines.forEach((text, i) => {
    if (i === lines.length - 1 && text === '') return
    const pieces = stripControls(text).toLowerCase().split('\r')
    if (keywords.some(k => pieces.some(p => p.includes(k)))) out.push({ line: i + 1, text })
  })
  return out
}

describe('KeywordLineScanner', () => {
  it('hands over the lines holding a keyword, with their raw line numbers', () => {
    const input = 'nothing here\nERR:  [libx] boom\nplain\nthe app tried to FORK\n[1] CRIT: dump\n'
    expect(scan(KEYWORDS, Buffer.from(input), () => 1000)).toEqual([
      { line: 2, text: 'ERR:  [libx] boom', matched: true },
      { line: 4, text: 'the app tried to FORK', matched: true },
      { line: 5, text: '[1] CRIT: dump', matched: true }
    ])
  })

  it('sees through colour codes and NUL bytes inside a keyword, not across a CR', () => {
    const input = 'E\x1b[31mRR:\x1b[0m x\nfo\0rk\nfo\rrk\n'
    expect(scan(KEYWORDS, Buffer.from(input), () => 1000).map(l => l.line)).toEqual([1, 2])
  })

  it('matches overlapping keywords (Aho-Corasick failure links)', () => {
    expect(scan(['she', 'hers'], Buffer.from('xshers\nushe\nhe\n'), () => 2).map(l => l.line)).toEqual([1, 2])
  })

  it('delivers every line while asked to, saying which ones matched', () => {
    expect(scan(KEYWORDS, Buffer.from('a\nfork\nb'), () => 1, true)).toEqual([
      { line: 1, text: 'a', matched: false },
      { line: 2, text: 'fork', matched: true },
      { line: 3, text: 'b', matched: false }
    ])
  })

  it('agrees with a naive search on random text, whatever the chunking', () => {
    const random = prng(42)
    const alphabet = [
      'e',
      'r',
      ':',
      'c',
      'i',
      't',
      'f',
      'o',
      'k',
      'h',
      's',
      'R',
      'E',
      '\n',
      '\r',
      '\x1b',
      '[',
      '3',
      'm',
      ' ',
      'p',
      'F'
    ]
    for (let round = 0; round < 300; round++) {
      let text = ''
      const length = Math.floor(random() * 400)
      for (let i = 0; i < length; i++) {
        text +=
          random() < 0.1
            ? OVERLAPPING[Math.floor(random() * OVERLAPPING.length)]
            : alphabet[Math.floor(random() * alphabet.length)]
      }
      const want = naive(OVERLAPPING, text)
      const got = scan(OVERLAPPING, Buffer.from(text), () => 1 + Math.floor(random() * 17)).map(
        ({ line, text: t }) => ({ line, text: t })
      )
      expect(got).toEqual(want)
    }
  })

  it('the four-lane scan of big chunks hands over exactly what the one-lane scan does', () => {
    const random = prng(99)
    const words = [
      'fork',
      'ERR:  x',
      'plain',
      '\x1b[1;31mcrit:\x1b[0m',
      'page\rfault',
      'rip:',
      'a\0b',
      'Function not implemented',
      '\x1b]0;t\x07x'
    ]
    for (let round = 0; round < 30; round++) {
      const lines: string[] = []
      const count = 2000 + Math.floor(random() * 3000)
      for (let i = 0; i < count; i++) {
        const n = Math.floor(random() * 4)
        lines.push(Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' '))
      }
      const input = Buffer.from(
        lines.join(random() < 0.5 ? '\n' : '\r\n') + (random() < 0.5 ? '\ntail' : '\n')
      )
      // A sink that asks for context the way the rules do: the 3 lines after a line with "fork".
      const run = (chunk: () => number): { line: number; text: string; matched: boolean }[] => {
        const out: { line: number; text: string; matched: boolean }[] = []
        let want = 0
        const scanner: KeywordLineScanner = new KeywordLineScanner(new KeywordAutomaton(KEYWORDS), {
          line: (line, text, matched) => {
            out.push({ line, text, matched })
            want = text.includes('fork') ? 3 : Math.max(0, want - 1)
            scanner.deliverAll = want > 0
          }
        })
        scanner.deliverAll = false
        for (let at = 0; at < input.length;) {
          const n = Math.max(1, chunk())
          scanner.push(input.subarray(at, at + n))
          at += n
        }
        scanner.end()
        return out
      }
      const lanes = run(() => 200_000)
      const oneLane = run(() => 1 + Math.floor(random() * 5000))
      expect(lanes).toEqual(oneLane)
      expect(lanes.filter(l => l.matched).map(l => l.line)).toEqual(
        naive(KEYWORDS, input.toString('utf8')).map(l => l.line)
      )
    }
  })

  it('rejects keywords it cannot match', () => {
    expect(() => new KeywordAutomaton([''])).toThrow(/empty keyword/)
    expect(() => new KeywordAutomaton(['a\nb'])).toThrow(/control byte/)
  })
})
