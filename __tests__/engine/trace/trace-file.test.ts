// Traces read from files and byte streams (parseTraceFile, TraceParser): the same calls as
// parseTrace on the same text, whatever the chunk boundaries; bounded by maxBytes; garbage counted,
// never thrown.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseTrace, type ParsedTrace } from '../../../src/engine/trace/syscall-trace.js'
import { LINE_MAX, parseTraceFile, TraceParser } from '../../../src/engine/trace/trace-file.js'

const FIXTURES = new URL('../../../__fixtures__/traces/', import.meta.url).pathname
const UNIKRAFT = join(FIXTURES, 'unikraft-0.16.3-trace-hello3.log')
const LINUX = join(FIXTURES, 'linux-strace-hello3.txt')

/** The parts of a parse that parseTrace and the file reader must agree on. */
const same = (t: ParsedTrace) => ({ calls: t.calls, unreadable: t.unreadable, truncated: t.truncated })

/** Pushes `bytes` in pieces of the given sizes (cycled). */
function pushed(bytes: Buffer, sizes: number[], opts = {}) {
  const p = new TraceParser(opts)
  for (let off = 0, k = 0; off < bytes.length; k++) {
    const n = sizes[k % sizes.length]
    p.push(bytes.subarray(off, off + n))
    off += n
  }
  return p.end()
}

let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ukc-trace-file-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('parseTraceFile', () => {
  it('reads the real traces exactly as parseTrace does, in any chunk size', async () => {
    for (const path of [UNIKRAFT, LINUX]) {
      const want = same(parseTrace(readFileSync(path, 'latin1')))
      expect(want.calls.length).toBeGreaterThan(15)
      for (const chunkBytes of [undefined, 1, 7, 64]) {
        const got = await parseTraceFile(path, { chunkBytes })
        expect(same(got)).toEqual(want)
        expect(got).toMatchObject({ truncatedBy: null, binaryLines: 0, error: null, notes: [] })
        expect(got.bytesRead).toBe(readFileSync(path).length)
      }
    }
  })

  it('carries a line cut in the middle, and a UTF-8 character cut in the middle, to the next chunk', () => {
    const text =
      'hello\nwrite(1, "日本語 😀", 15) = 15\r\n[pid 7] openat(AT_FDCWD, "/été", O_RDONLY) = -1 ENOENT (No such file)\nexit_group(0) = ?'
    const bytes = Buffer.from(text, 'utf8')
    const want = same(parseTrace(text))
    expect(want.calls.map(c => c.args)).toEqual(['1, "日本語 😀", 15', 'AT_FDCWD, "/été", O_RDONLY', '0'])
    // Every split point: one byte at a time, and two pieces cut at each byte.
    expect(same(pushed(bytes, [1]))).toEqual(want)
    for (let cut = 1; cut < bytes.length; cut++)
      expect(same(pushed(bytes, [cut, bytes.length]))).toEqual(want)
    expect(pushed(bytes, [3]).calls.map(c => c.line)).toEqual([2, 3, 4])
  })

  it('stops at maxBytes: truncated, says where, keeps only what came before', async () => {
    const unit = readFileSync(LINUX)
    const path = join(dir, 'long.txt')
    writeFileSync(path, Buffer.concat(Array.from({ length: 200 }, () => unit))) // 200 KB
    const maxBytes = 10 * unit.length + 100 // the cut falls inside a line
    const r = await parseTraceFile(path, { maxBytes, chunkBytes: 4096 })
    expect(r).toMatchObject({
      truncated: true,
      truncatedBy: 'maxBytes',
      bytesRead: maxBytes,
      fileBytes: 200 * unit.length
    })
    // The ten whole copies, and the whole lines of the eleventh: not the line the limit cut.
    const one = parseTrace(unit.toString('latin1')).calls.length
    expect(r.calls.length).toBe(10 * one + 1)
    expect(r.calls.at(-1)?.name).toBe('execve')
    expect(r.notes).toEqual([
      `the trace was cut after ${(maxBytes / 1024).toFixed(1)} KiB of ${((200 * unit.length) / 1024).toFixed(1)} KiB (${10 * one + 1} calls read): the rest was not read`
    ])
    // A file of exactly maxBytes is whole.
    const exact = await parseTraceFile(path, { maxBytes: 200 * unit.length, chunkBytes: 4096 })
    expect(exact).toMatchObject({ truncated: false, truncatedBy: null })
    expect(exact.calls.length).toBe(200 * one)
  })

  it('stops at maxCalls like parseTrace, and says so', async () => {
    const r = await parseTraceFile(LINUX, { maxCalls: 5 })
    expect(same(r)).toEqual(same(parseTrace(readFileSync(LINUX, 'latin1'), { maxCalls: 5 })))
    expect(r).toMatchObject({ truncated: true, truncatedBy: 'maxCalls' })
    expect(r.notes[0]).toMatch(/^the trace was cut after 5 calls/)
  })

  it('reads a line longer than LINE_MAX by its last LINE_MAX bytes (a call sits at the end of its line)', () => {
    const bytes = Buffer.concat([
      Buffer.from('read(0) = 1\n'),
      Buffer.alloc(3 * LINE_MAX, 'x'),
      Buffer.from('write(1, "tail", 4) = 4\nclose(3) = 0\n')
    ])
    const r = pushed(bytes, [65536])
    expect(r.calls.map(c => [c.name, c.line, c.text])).toEqual([
      ['read', 1, 'read(0) = 1'],
      ['write', 2, 'write(1, "tail", 4) = 4'],
      ['close', 3, 'close(3) = 0']
    ])
  })

  it('garbage, binary and invalid UTF-8: no throw, no calls, counted, and a note', async () => {
    let seed = 11
    const noise = Buffer.from(
      Array.from({ length: 300_000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24)
    )
    const path = join(dir, 'noise.bin')
    writeFileSync(path, noise)
    const r = await parseTraceFile(path, { chunkBytes: 65536 })
    expect(r.calls).toEqual([])
    expect(r.binaryLines).toBeGreaterThan(100)
    expect(r.error).toBeNull()
    expect(r.notes[0]).toMatch(
      /^the trace could not be read: no system call in 293\.0 KiB \(\d+ lines are not text/
    )
    // Lines that look like calls but are cut or garbled are unreadable.
    const garbled = Buffer.concat([
      Buffer.from('write(1, "x", 1) = \n\0\0read(0, \xff\xfe = -1 E\n', 'latin1'),
      Buffer.from([0x6f, 0x70, 0x65, 0x6e, 0x28, 0xc3, 0x28, 0x20, 0x3d, 0x20, 0x0a]) // open(\xc3( = \n
    ])
    const g = pushed(garbled, [5])
    expect(g).toMatchObject({ unreadable: 2, binaryLines: 2 })
    expect(g.calls).toEqual([])
    expect(g.notes[0]).toMatch(/could not be read: .*2 lines are not text, 2 lines look like calls/)
    // NULs and a few binary lines among real calls do not hide them.
    const mixed = Buffer.concat([noise.subarray(0, 5000), Buffer.from('\n'), readFileSync(UNIKRAFT)])
    expect(pushed(mixed, [333]).calls.map(c => c.name)).toEqual(
      parseTrace(readFileSync(UNIKRAFT, 'latin1')).calls.map(c => c.name)
    )
  })

  it('a file that cannot be read: no throw, the reason as a note', async () => {
    const missing = await parseTraceFile(join(dir, 'nope.log'))
    expect(missing).toMatchObject({ calls: [], truncated: false, bytesRead: 0 })
    expect(missing.error).toMatch(/ENOENT/)
    expect(missing.notes[0]).toMatch(/^the trace could not be read: ENOENT/)
    const directory = await parseTraceFile(dir)
    expect(directory.error).toMatch(/EISDIR/)
  })
})
