// Hostile input: a 1 MB line, long runs of the characters patterns are built from, repeated partial
// matches of every rule, and fuzzing (random bytes, mutated real logs) with a seeded PRNG. Every
// input must finish with well-formed findings, and the streamed result must equal the one-shot one.
// (No time limits here: a noisy machine would make them flaky; the 1 s budget is checked in bench/.)
import { describe, expect, it } from '@jest/globals'
import { CONSOLE_KEYWORDS } from '../../../src/engine/diagnose/console-keywords.js'
import { ConsoleNormalizer, normalizeConsole } from '../../../src/engine/diagnose/console-normalizer.js'
import { diagnose } from '../../../src/engine/diagnose/diagnose.js'
import { parseBanner } from '../../../src/engine/diagnose/banner.js'
import { diagnoseInChunks, expectWellFormed, expectations, find, prng, readLog } from './diagnose-support.js'

const MB = 1024 * 1024

function lineCount(text: string | Buffer): number {
  return text.toString('utf8').split('\n').length
}

describe('pathological inputs', () => {
  const PARTIALS = [
    '[',
    '(',
    '\x1b',
    '\x1b[',
    '\x1b]',
    '\r',
    '\0',
    '~',
    ': ',
    '[ 0.1] ',
    'ERR:  [',
    'CRIT: [lib] ',
    'Powered by\n',
    'Booting from ',
    'Booting from ROM..',
    'Unhandled Trap 1 (',
    'Cannot handle write page fault at 0x',
    ': Failed to execute ',
    'Failed to load program interpreter ',
    ': cannot open shared object file',
    'Assertion `',
    'Assertion failure: ',
    'Function not implemented',
    'errno=38 ',
    'syscall "',
    'io_uring_setup(',
    ') = ',
    'fork',
    'RIP: ',
    'Unikraft Calypso (0.17.0',
    'Calypso 0.17.0~',
    "can't execute '",
    'qemu: ',
    'UNIKRAFT_COMPAT_EXIT=',
    'main returned '
  ]

  it.each(PARTIALS)('100k repetitions of %j on one line finish with sane output', partial => {
    const log = partial.repeat(Math.ceil(100_000 / partial.length))
    const findings = diagnose({ console: log })
    expectWellFormed(findings, lineCount(log))
    expect(findings.filter(f => f.id === 'kernel.error').length).toBeLessThanOrEqual(10)
  })

  it.each(PARTIALS)('100k repetitions of %j each on its own line finish with sane output', partial => {
    const log = `${partial}\n`.repeat(20_000)
    expectWellFormed(diagnose({ console: log }), lineCount(log))
  })

  it('diagnoses a 1 MB single-line log and still finds what it holds', () => {
    const line = `${'x'.repeat(MB - 100)} weak main() called. Symbol was not replaced!`
    const findings = diagnose({ console: line })
    expect(find(findings, 'entry.weak-main')).toMatchObject({ line: 1 })
    expect(find(findings, 'entry.weak-main')?.evidence.length).toBeLessThanOrEqual(500)
  })

  it('finds a keyword in a line longer than the scanner keeps, cut at a piece boundary', () => {
    // 3 MB of one line, the keyword straddling every plausible boundary of the pieces.
    const filler = 'y'.repeat(64 * 1024 - 8)
    const line = `${filler}weak main() called ${'z'.repeat(3 * MB)} Assertion failure: x == y`
    const findings = diagnose({ console: `first\n${line}\nlast\n` })
    expect(find(findings, 'entry.weak-main')?.line).toBe(2)
    expect(find(findings, 'crash.assertion')).toMatchObject({ line: 2, detail: 'x == y' })
  })

  it('a 1 MB line made of keywords finishes and reports each kind once', () => {
    const line = CONSOLE_KEYWORDS.join(' ').repeat(Math.ceil(MB / CONSOLE_KEYWORDS.join(' ').length))
    const findings = diagnose({ console: line })
    expectWellFormed(findings, 1)
    const keys = findings.map(f => `${f.id} ${f.detail}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('the normalizer and parseBanner cope with the same inputs', () => {
    for (const partial of PARTIALS) {
      const text = partial.repeat(Math.ceil(100_000 / partial.length))
      const segments = normalizeConsole(text)
      for (const s of segments) expect(s.text.trim()).not.toBe('')
      expect(() => parseBanner(text)).not.toThrow()
    }
  })

  it('the normalizer keeps memory bounded: a 3 MB line comes out in pieces with one line number', () => {
    const n = new ConsoleNormalizer()
    const out = [...n.push('a'.repeat(3 * MB)), ...n.push('\nnext\n'), ...n.end()]
    expect(out.filter(s => s.line === 1).length).toBeGreaterThanOrEqual(3)
    expect(out.find(s => s.text === 'next')?.line).toBe(2)
  })
})

describe('fuzzing', () => {
  const logs = Object.keys(expectations).map(name => readLog(name))
  const random = prng(20261128)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]

  function randomBytes(n: number): Buffer {
    const b = Buffer.alloc(n)
    for (let i = 0; i < n; i++) b[i] = Math.floor(random() * 256)
    return b
  }

  /** A real log with bytes flipped, ranges deleted or duplicated, keywords and junk spliced in. */
  function mutate(log: Buffer): Buffer {
    let b = Buffer.from(log)
    const edits = 1 + Math.floor(random() * 8)
    for (let e = 0; e < edits && b.length > 0; e++) {
      const at = Math.floor(random() * b.length)
      const kind = Math.floor(random() * 5)
      if (kind === 0) b[at] = Math.floor(random() * 256)
      else if (kind === 1) b = Buffer.concat([b.subarray(0, at), b.subarray(at + Math.floor(random() * 200))])
      else if (kind === 2) b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + 300), b.subarray(at)])
      else if (kind === 3)
        b = Buffer.concat([b.subarray(0, at), Buffer.from(pick(CONSOLE_KEYWORDS)), b.subarray(at)])
      else b = Buffer.concat([b.subarray(0, at), randomBytes(1 + Math.floor(random() * 64)), b.subarray(at)])
    }
    return b
  }

  it('3000 random and mutated inputs never throw, and streaming equals one-shot', () => {
    for (let i = 0; i < 3000; i++) {
      const input = i % 3 === 0 ? randomBytes(Math.floor(random() * 4096)) : mutate(pick(logs))
      const whole = diagnose({ console: input })
      expectWellFormed(whole, lineCount(input))
      if (i % 10 === 0) {
        const maxChunk = 1 + Math.floor(random() * 300)
        expect(diagnoseInChunks(input, () => 1 + Math.floor(random() * maxChunk))).toEqual(whole)
      }
    }
  })

  it('random run contexts never throw', () => {
    const events = ['SHUTDOWN', 'GUEST_PANICKED', 'STOP', 'RESET']
    const ends = [
      'exited',
      'crashed',
      'panicked',
      'stopped',
      'killed',
      'deadline',
      'boot-timeout',
      'qemu-error'
    ]
    for (let i = 0; i < 500; i++) {
      const findings = diagnose({
        console: mutate(pick(logs)),
        qemuStderr: mutate(pick(logs)).toString('utf8'),
        qemuExit: pick([null, 0, 1, 83, 85, 137, -1]),
        qmpEvents: events.filter(() => random() < 0.3).map(event => ({ event })),
        vmEnd: pick(ends),
        guest: pick(['unikraft', 'linux'] as const),
        probes: [{ passed: random() < 0.5, kind: 'tcp', target: '6379' }]
      })
      expect(Array.isArray(findings)).toBe(true)
    }
  })
})
