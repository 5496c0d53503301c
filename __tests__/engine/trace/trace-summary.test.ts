// result.json's `syscalls` section from real traces of one program (__fixtures__/traces) and from
// small hand-made ones; every section built must be one the published schema accepts.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { syscallsSchema } from '../../../src/engine/report/result-schema.js'
import { schemaProblems } from '../../../src/engine/report/result-validate.js'
import { alignTraces } from '../../../src/engine/trace/align.js'
import { type ParsedTrace, parseTrace } from '../../../src/engine/trace/syscall-trace.js'
import {
  divergenceOf,
  summarizeSide,
  syscallsSection,
  unsupportedCalls
} from '../../../src/engine/trace/trace-summary.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../__fixtures__/traces/${name}`, import.meta.url), 'latin1')
const UNIKRAFT = parseTrace(fixture('unikraft-0.16.3-trace-hello3.log'))
const LINUX = parseTrace(fixture('linux-strace-hello3.txt'))

/** A trace from `name(args) = result` lines, as Unikraft's shim prints them. */
const trace = (...lines: string[]): ParsedTrace => parseTrace(lines.join('\n'))

describe('summarizeSide', () => {
  it('counts each system call of a real Unikraft trace, its failures and errnos, in order of first call', () => {
    const s = summarizeSide(UNIKRAFT)
    expect(s).toMatchObject({ count: 17, truncated: false, unreadable: 0 })
    expect(s.calls.map(c => c.syscall)).toEqual([
      'brk',
      'arch_prctl',
      'set_tid_address',
      'set_robust_list',
      'rseq',
      'prlimit64',
      'readlink',
      'getrandom',
      'mprotect',
      'newfstatat',
      'ioctl',
      'write',
      'exit_group'
    ])
    const by = (n: string) => s.calls.find(c => c.syscall === n)
    expect(by('brk')).toEqual({ syscall: 'brk', count: 5, failed: 0, errnos: [] })
    expect(by('set_robust_list')).toEqual({
      syscall: 'set_robust_list',
      count: 1,
      failed: 1,
      errnos: ['ENOSYS']
    })
    expect(by('readlink')).toEqual({ syscall: 'readlink', count: 1, failed: 1, errnos: ['ENOENT'] })
    // exit_group does not return: no failure.
    expect(by('exit_group')).toEqual({ syscall: 'exit_group', count: 1, failed: 0, errnos: [] })
    expect(s.calls.reduce((n, c) => n + c.count, 0)).toBe(s.count)
  })

  it('lists each errno once, in order, and keeps the truncation and unreadable counts of the trace', () => {
    const t = parseTrace(
      [
        'openat(AT_FDCWD, "/a", O_RDONLY) = No such file or directory (-2)',
        'openat(AT_FDCWD, "/b", O_RDONLY) = Permission denied (-13)',
        'openat(AT_FDCWD, "/c", O_RDONLY) = No such file or directory (-2)',
        'openat(AT_FDCWD, "/d", O_RDONLY) = 3',
        'read(3, garbage',
        'close(3) = 0',
        'close(4) = 0'
      ].join('\n'),
      { maxCalls: 5 }
    )
    expect(summarizeSide(t)).toEqual({
      count: 5,
      truncated: true,
      unreadable: 0,
      calls: [
        { syscall: 'openat', count: 4, failed: 3, errnos: ['ENOENT', 'EACCES'] },
        { syscall: 'close', count: 1, failed: 0, errnos: [] }
      ]
    })
    expect(summarizeSide(trace()).calls).toEqual([])
  })
})

describe('divergenceOf', () => {
  it("words alignTraces' same-call divergence as a different result, with its indexes", () => {
    const a = alignTraces(LINUX.calls, UNIKRAFT.calls, { unikraftStopped: false })
    expect(divergenceOf(a)).toEqual({
      kind: 'different-result',
      syscall: 'readlink',
      // strace's decoded arguments, not the shim's numbers (see align.ts)
      args: '"/proc/self/exe", "/tmp/st/h", 4096',
      linux: '9',
      unikraft: 'ENOENT (-2)',
      linuxIndex: 8,
      unikraftIndex: 7
    })
  })

  it('calls a same-call divergence where Unikraft answered ENOSYS unsupported', () => {
    const linux = trace('brk(0) = 0x1000', 'openat(AT_FDCWD, "/etc/x", O_RDONLY) = 3', 'exit_group(0) = ?')
    const uk = trace(
      'brk(0x0) = 0x1000',
      'openat(AT_FDCWD, "/etc/x", O_RDONLY) = Function not implemented (-38)',
      'exit_group(0) = ?'
    )
    expect(divergenceOf(alignTraces(linux.calls, uk.calls, { unikraftStopped: false }))).toMatchObject({
      kind: 'unsupported',
      syscall: 'openat',
      linux: '3',
      unikraft: 'ENOSYS (-38)',
      linuxIndex: 1,
      unikraftIndex: 1
    })
  })

  it('calls a call Unikraft never made because it had stopped not reached, with no Unikraft side', () => {
    const linux = trace('brk(0) = 0x1000', 'write(1, "hi", 2) = 2', 'exit_group(0) = ?')
    const uk = trace('brk(0x0) = 0x1000')
    expect(divergenceOf(alignTraces(linux.calls, uk.calls, { unikraftStopped: true }))).toEqual({
      kind: 'not-reached',
      syscall: 'write',
      args: '1, "hi", 2',
      linux: '2',
      unikraft: null,
      linuxIndex: 1,
      unikraftIndex: null
    })
  })

  it('is null when the traces agree', () => {
    expect(divergenceOf(alignTraces(LINUX.calls, LINUX.calls, { unikraftStopped: false }))).toBeNull()
  })
})

describe('unsupportedCalls', () => {
  it("counts every call Unikraft answered ENOSYS, in order of the first, marking glibc's tolerated probes", () => {
    const uk = trace(
      'rseq(0x1, 32, 0, 0x53053053) = Function not implemented (-38)',
      'pidfd_open(1, 0) = Function not implemented (-38)',
      'openat(AT_FDCWD, "/x", O_RDONLY) = No such file or directory (-2)',
      'pidfd_open(2, 0) = Function not implemented (-38)'
    )
    expect(unsupportedCalls(uk)).toEqual([
      { syscall: 'rseq', count: 1, tolerated: true },
      { syscall: 'pidfd_open', count: 2, tolerated: false }
    ])
    expect(unsupportedCalls(UNIKRAFT)).toEqual(
      alignTraces(LINUX.calls, UNIKRAFT.calls, { unikraftStopped: false }).unsupported
    )
  })
})

describe('syscallsSection', () => {
  it('builds the whole section from two real traces and their alignment, and the schema accepts it', () => {
    const alignment = alignTraces(LINUX.calls, UNIKRAFT.calls, { unikraftStopped: false })
    const s = syscallsSection({ unikraft: UNIKRAFT, linux: LINUX, alignment })
    expect(s).toMatchObject({
      traced: { unikraft: true, linux: true },
      notes: [],
      sides: { unikraft: { count: 17 }, linux: { count: 17 } },
      divergence: { kind: 'different-result', syscall: 'readlink' },
      unsupported: [
        { syscall: 'set_robust_list', count: 1, tolerated: true },
        { syscall: 'rseq', count: 1, tolerated: true }
      ]
    })
    expect(s.sides.linux?.calls[0]).toEqual({ syscall: 'execve', count: 1, failed: 0, errnos: [] })
    expect(schemaProblems(syscallsSchema, JSON.parse(JSON.stringify(s)))).toEqual([])
  })

  it('says which side ran untraced, keeps the notes, and names no divergence without both sides', () => {
    const alignment = alignTraces([], UNIKRAFT.calls, { unikraftStopped: false })
    const s = syscallsSection({
      unikraft: UNIKRAFT,
      linux: null,
      alignment,
      notes: ['no Linux trace: strace is not installed']
    })
    expect(s).toMatchObject({
      traced: { unikraft: true, linux: false },
      notes: ['no Linux trace: strace is not installed'],
      sides: { linux: null },
      divergence: null
    })
    expect(s.unsupported.map(u => u.syscall)).toEqual(['set_robust_list', 'rseq'])
    expect(schemaProblems(syscallsSchema, s)).toEqual([])
  })

  it('records a trace that could not be taken at all as untraced sides and a note', () => {
    const s = syscallsSection({
      unikraft: null,
      linux: null,
      notes: ['the kernel store has no trace kernel for Unikraft 0.17.0: the run was not traced']
    })
    expect(s).toEqual({
      traced: { unikraft: false, linux: false },
      notes: ['the kernel store has no trace kernel for Unikraft 0.17.0: the run was not traced'],
      sides: { unikraft: null, linux: null },
      divergence: null,
      unsupported: []
    })
    expect(schemaProblems(syscallsSchema, s)).toEqual([])
  })

  it('does not claim Unikraft never reached a call when its trace was cut before it', () => {
    const linux = trace('brk(0) = 0x1000', 'write(1, "hi", 2) = 2', 'exit_group(0) = ?')
    const uk = parseTrace(['brk(0x0) = 0x1000', 'write(1, "hi", 2) = 2'].join('\n'), { maxCalls: 1 })
    const alignment = alignTraces(linux.calls, uk.calls, { unikraftStopped: true })
    expect(alignment.divergence?.kind).toBe('unreached')
    const s = syscallsSection({ unikraft: uk, linux, alignment, notes: ['the Unikraft trace was cut'] })
    expect(s.divergence).toBeNull()
    expect(s.notes).toEqual([
      'the Unikraft trace was cut',
      'the Unikraft trace was cut before write: whether Unikraft reached it is unknown'
    ])
    expect(s.sides.unikraft).toMatchObject({ count: 1, truncated: true })
  })
})
