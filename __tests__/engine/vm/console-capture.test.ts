import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ConsoleCapture, truncationMarker, wholeUtf8Length } from '../../../src/engine/vm/console-capture.js'
import type { ConsoleLine } from '../../../src/engine/vm/vm-types.js'
import { removeDir, tempDir } from './vm-test-support.js'

describe('ConsoleCapture', () => {
  let dir: string
  let t = 0
  beforeEach(async () => {
    dir = await tempDir('console')
    t = 0
  })
  afterEach(() => removeDir(dir))

  const make = (cap?: number): ConsoleCapture =>
    new ConsoleCapture({ path: join(dir, 'console.log'), cap, now: () => t })

  it('keeps the raw bytes and delivers lines without CR/LF, stamped with their arrival', async () => {
    const c = make()
    const lines: ConsoleLine[] = []
    c.onLine(l => lines.push(l))
    t = 5
    c.push(Buffer.from('\x1b[0mPowered by\r\nHel'))
    t = 9
    c.push(Buffer.from('lo\r\nno newline'))
    t = 12
    c.finish()
    expect(await readFile(join(dir, 'console.log'), 'latin1')).toBe(
      '\x1b[0mPowered by\r\nHello\r\nno newline'
    )
    expect(lines).toEqual([
      { n: 1, text: '\x1b[0mPowered by', atMs: 5 },
      { n: 2, text: 'Hello', atMs: 9 },
      { n: 3, text: 'no newline', atMs: 12 }
    ])
    expect(c.firstOutputMs).toBe(5)
    expect(c.text()).toBe('\x1b[0mPowered by\r\nHello\r\nno newline')
  })

  it('replays earlier lines to a late subscriber, then streams', () => {
    const c = make()
    c.push(Buffer.from('a\nb\n'))
    const seen: string[] = []
    const off = c.onLine(l => seen.push(l.text))
    c.push(Buffer.from('c\n'))
    off()
    c.push(Buffer.from('d\n'))
    c.finish()
    expect(seen).toEqual(['a', 'b', 'c'])
  })

  it('does not split a UTF-8 character cut between two chunks', () => {
    const c = make()
    const bytes = Buffer.from('grüß\n')
    const seen: string[] = []
    c.onLine(l => seen.push(l.text))
    c.push(bytes.subarray(0, 3))
    c.push(bytes.subarray(3))
    c.finish()
    expect(seen).toEqual(['grüß'])
  })

  it('stops writing at the cap, marks the cut visibly, and still delivers later lines', async () => {
    const c = make(1024)
    const seen: string[] = []
    c.onLine(l => seen.push(l.text))
    for (let i = 0; i < 100; i++)
      c.push(Buffer.from(`line ${String(i).padStart(3, '0')} ${'x'.repeat(20)}\n`))
    c.push(Buffer.from('UNIKRAFT_COMPAT_EXIT=0\n'))
    c.finish()
    const file = await readFile(join(dir, 'console.log'), 'latin1')
    expect(c.truncated).toBe(true)
    expect(file.length).toBe(1024 + truncationMarker(1024).length)
    expect(file.endsWith(truncationMarker(1024))).toBe(true)
    expect(file).toContain('truncated at 1024 bytes')
    expect(seen.at(-1)).toBe('UNIKRAFT_COMPAT_EXIT=0')
    expect(c.text().endsWith(truncationMarker(1024))).toBe(true)
  })

  it('cuts at the cap between two characters, never inside one', async () => {
    const c = make(1024)
    const seen: string[] = []
    c.onLine(l => seen.push(l.text))
    // 1023 bytes, then a 2-byte character across the cap.
    c.push(Buffer.from(`${'a'.repeat(1023)}ü\n`))
    c.finish()
    const file = await readFile(join(dir, 'console.log'))
    expect(file.equals(Buffer.from('a'.repeat(1023) + truncationMarker(1024)))).toBe(true)
    expect(c.text()).toBe('a'.repeat(1023) + truncationMarker(1024))
    expect(seen).toEqual([`${'a'.repeat(1023)}ü`])
  })

  it('takes back the start of a character written before the cut when the rest would cross the cap', async () => {
    const c = make(1024)
    const euro = Buffer.from('€') // e2 82 ac
    c.push(Buffer.concat([Buffer.from('a'.repeat(1023)), euro.subarray(0, 1)])) // exactly at the cap
    c.push(Buffer.concat([euro.subarray(1), Buffer.from('\n')]))
    c.finish()
    const file = await readFile(join(dir, 'console.log'))
    expect(file.equals(Buffer.from('a'.repeat(1023) + truncationMarker(1024)))).toBe(true)
    expect(c.bytes).toBe(1023)
    expect(c.text()).toBe('a'.repeat(1023) + truncationMarker(1024))
  })

  it('keeps bytes that are not UTF-8 up to the cap exactly', async () => {
    const c = make(1024)
    c.push(Buffer.alloc(2000, 0x80))
    c.finish()
    const file = await readFile(join(dir, 'console.log'))
    expect(file.subarray(0, 1024).equals(Buffer.alloc(1024, 0x80))).toBe(true)
    expect(file.subarray(1024).toString('latin1')).toBe(truncationMarker(1024))
  })
})

describe('wholeUtf8Length', () => {
  const euro = [0xe2, 0x82, 0xac]
  const emoji = [...Buffer.from('😀')]
  it.each<[string, number[], number]>([
    ['empty', [], 0],
    ['ASCII', [0x61, 0x62], 2],
    ['a whole 3-byte character', [0x61, ...euro], 4],
    ['a 3-byte character missing its last byte', [0x61, ...euro.slice(0, 2)], 1],
    ['a lone lead byte', [0x61, 0xc3], 1],
    ['a 4-byte character missing one byte', [0x61, ...emoji.slice(0, 3)], 1],
    ['a whole 4-byte character', emoji, 4],
    ['continuation bytes without a lead', [0x80, 0x80, 0x80, 0x80, 0x80], 5],
    ['a byte that leads nothing', [0x61, 0xff], 2]
  ])('%s', (_name, bytes, whole) => {
    expect(wholeUtf8Length(Buffer.from(bytes))).toBe(whole)
  })
})
