import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { parseTrace } from '../../../src/engine/trace/syscall-trace.js'
import { parseTraceFile } from '../../../src/engine/trace/trace-file.js'

// strace -f as it prints two threads whose calls overlap (strace 6.1 on Debian 12).
const INTERLEAVED = [
  '101   read(3,  <unfinished ...>',
  '102   write(1, "tick\\n", 5) = 5',
  '101   <... read resumed>"hello", 4096) = 5',
  '102   futex(0x7f00, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>',
  '101   wait4(-1,  <unfinished ...>',
  '102   <... futex resumed>) = -1 EAGAIN (Resource temporarily unavailable)',
  '101   <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 102',
  '101   exit_group(0)                     = ?'
].join('\n')

const dir = mkdtempSync(join(tmpdir(), 'ukc-scanner-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('calls strace split across threads (<unfinished ...> / <... resumed>)', () => {
  const expected = [
    { name: 'write', pid: 102, outcome: { kind: 'ok', value: '5' } },
    { name: 'read', pid: 101, outcome: { kind: 'ok', value: '5' } },
    { name: 'futex', pid: 102, outcome: { kind: 'error', errno: 'EAGAIN' } },
    { name: 'wait4', pid: 101, outcome: { kind: 'ok', value: '102' } },
    { name: 'exit_group', pid: 101, outcome: { kind: 'none' } }
  ]
  it('reads each from its second half, at that line, with its result; the first half is no call and no garbage', () => {
    const t = parseTrace(INTERLEAVED)
    expect(t.calls).toMatchObject(expected)
    expect(t.calls.map(c => c.line)).toEqual([2, 3, 6, 7, 8])
    expect(t.calls[1].args).toBe('…"hello", 4096')
    expect(t.unreadable).toBe(0)
  })
  it('the same from a file read in small chunks', async () => {
    const f = join(dir, 'interleaved.txt')
    writeFileSync(f, INTERLEAVED)
    const t = await parseTraceFile(f, { chunkBytes: 7 })
    expect(t.calls).toMatchObject(expected)
  })
  it('an app line with " = " and no call in it is still no call', () => {
    expect(parseTrace('x = 5\nresumed> = 3\n<... nosuchcall resumed>) = 1').calls).toEqual([])
  })
})
