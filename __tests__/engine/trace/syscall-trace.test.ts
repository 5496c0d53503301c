// Trace parsing and alignment on real traces of one program (__fixtures__/traces): Unikraft 0.16.3's
// syscall shim on the console, Linux's strace -f, and strace run here and now on a program built here.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { alignTraces } from '../../../src/engine/trace/align.js'
import { parseCallLine, parseTrace } from '../../../src/engine/trace/syscall-trace.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../__fixtures__/traces/${name}`, import.meta.url), 'latin1')
const UNIKRAFT = fixture('unikraft-0.16.3-trace-hello3.log')
const LINUX = fixture('linux-strace-hello3.txt')

describe('parseTrace', () => {
  it("reads Unikraft's shim lines out of a whole console log (firmware noise, CRLF, NULs)", () => {
    const t = parseTrace(UNIKRAFT)
    expect(t.unreadable).toBe(0)
    expect(t.calls.map(c => c.name)).toEqual([
      'brk',
      'brk',
      'arch_prctl',
      'set_tid_address',
      'set_robust_list',
      'rseq',
      'prlimit64',
      'readlink',
      'getrandom',
      'brk',
      'brk',
      'brk',
      'mprotect',
      'newfstatat',
      'ioctl',
      'write',
      'exit_group'
    ])
    const by = (n: string) => t.calls.find(c => c.name === n)!
    expect(by('set_robust_list').outcome).toEqual({ kind: 'error', errno: 'ENOSYS', code: 38 })
    expect(by('readlink')).toMatchObject({
      args: '"/proc/self/exe", <out>buf:0x40023ec60, 4096',
      outcome: { kind: 'error', errno: 'ENOENT', code: 2 }
    })
    expect(by('mprotect').outcome).toEqual({ kind: 'ok', value: 'OK' })
    expect(by('write').outcome).toEqual({ kind: 'ok', value: '6' })
    expect(by('exit_group')).toMatchObject({ args: '3', outcome: { kind: 'none' } })
  })

  it("reads strace -f's lines with their pids", () => {
    const t = parseTrace(LINUX)
    expect(t.calls[0]).toMatchObject({ name: 'execve', pid: 29796, outcome: { kind: 'ok', value: '0' } })
    expect(t.calls.find(c => c.name === 'readlink')).toMatchObject({ outcome: { kind: 'ok', value: '9' } })
    expect(t.calls.at(-1)).toMatchObject({ name: 'exit_group', args: '3', outcome: { kind: 'none' } })
    expect(
      parseCallLine(
        '[pid  4242] openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)',
        1
      )
    ).toMatchObject({ pid: 4242, name: 'openat', outcome: { kind: 'error', errno: 'ENOENT', code: 2 } })
  })

  it('finds a call behind app output printed without a newline, and ignores app lines that are not calls', () => {
    expect(parseCallLine('exit3: about to return 3exit_group(3) = ?', 7)).toMatchObject({
      name: 'exit_group',
      args: '3',
      line: 7
    })
    expect(parseCallLine('hellowrite(fd:1, "hello\\x0A", 6) = 6', 1)).toMatchObject({
      name: 'write',
      outcome: { kind: 'ok', value: '6' }
    })
    expect(parseCallLine('\x1b[0mwrite(fd:1, "x", 1) = 1\r', 1)).toMatchObject({ name: 'write' })
    for (const line of [
      'Ready to accept connections',
      'total = 3 (ok)',
      'notacall(1) = 2',
      'write(fd:1, "hel'
    ]) {
      expect(parseCallLine(line, 1)).toBeNull()
    }
  })

  it('survives garbage and a cut trace: no throw, unreadable lines counted, maxCalls honoured', () => {
    let seed = 7
    const noise = Buffer.from(
      Array.from({ length: 200_000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) & 0xff)
    ).toString('latin1')
    const t = parseTrace(noise + UNIKRAFT.slice(0, UNIKRAFT.lastIndexOf('write(') + 12))
    expect(t.calls.at(-1)?.name).toBe('ioctl') // the cut write( line is not a call
    expect(parseTrace('write(1, "x", 1) = \nread(0,  = -1 ENOENT').unreadable).toBe(2)
    const capped = parseTrace(UNIKRAFT, { maxCalls: 5 })
    expect(capped).toMatchObject({ truncated: true })
    expect(capped.calls).toHaveLength(5)
  })
})

describe('alignTraces', () => {
  it('the same program on both sides: the first divergence that matters is readlink(/proc/self/exe)', () => {
    const a = alignTraces(parseTrace(LINUX).calls, parseTrace(UNIKRAFT).calls, { unikraftStopped: false })
    // glibc's set_robust_list and rseq differ too, but glibc copes: they are not the divergence.
    expect(a.divergence).toMatchObject({
      kind: 'same-call',
      syscall: 'readlink',
      linux: '9',
      unikraft: 'ENOENT (-2)',
      linuxIndex: 8,
      unikraftIndex: 7
    })
    expect(a.divergence?.evidence.unikraft?.text).toBe(
      'readlink("/proc/self/exe", <out>buf:0x40023ec60, 4096) = No such file or directory (-2)'
    )
    expect(a.divergence?.evidence.linux.text).toMatch(
      /^readlink\("\/proc\/self\/exe", "\/tmp\/st\/h", 4096\) += 9$/
    )
    expect(a.unsupported).toEqual([
      { syscall: 'set_robust_list', count: 1, tolerated: true },
      { syscall: 'rseq', count: 1, tolerated: true }
    ])
    // execve (Linux only) and ioctl (Unikraft only) are skipped; everything else pairs up.
    expect(a.matched).toBe(16)
  })

  it('Unikraft stopped early: the first call it never reached', () => {
    const uk = parseTrace(UNIKRAFT).calls
    const cut = uk.slice(
      0,
      uk.findIndex(c => c.name === 'newfstatat')
    )
    const fixedReadlink = cut.map(c =>
      c.name === 'readlink' ? { ...c, outcome: { kind: 'ok' as const, value: '9' } } : c
    )
    const a = alignTraces(parseTrace(LINUX).calls, fixedReadlink, { unikraftStopped: true })
    expect(a.divergence).toMatchObject({
      kind: 'unreached',
      syscall: 'newfstatat',
      unikraft: null,
      unikraftIndex: null
    })
  })

  it('strace run here on a program built here aligns with the recorded Unikraft trace the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ukc-strace-'))
    try {
      writeFileSync(join(dir, 'h.c'), fixture('hello3.c'))
      expect(spawnSync('gcc', ['-static-pie', '-O2', '-o', join(dir, 'h'), join(dir, 'h.c')]).status).toBe(0)
      const r = spawnSync('strace', ['-f', '-o', join(dir, 'trace.txt'), join(dir, 'h')])
      expect(r.status).toBe(3)
      const linux = parseTrace(readFileSync(join(dir, 'trace.txt'), 'latin1')).calls
      const a = alignTraces(linux, parseTrace(UNIKRAFT).calls, { unikraftStopped: false })
      expect(a.divergence).toMatchObject({ syscall: 'readlink', unikraft: 'ENOENT (-2)' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('two long traces with scattered extra calls on each side still pair up around them', () => {
    const base = parseTrace(LINUX).calls.filter(c => c.name !== 'execve')
    const linux = Array.from({ length: 2000 }, (_, n) => base[n % base.length])
    const uk = linux.flatMap((c, n) => (n % 97 === 0 ? [{ ...c, name: 'ioctl' }, c] : [c]))
    const a = alignTraces(linux, uk, { unikraftStopped: false })
    expect(a.matched).toBe(2000)
    expect(a.divergence).toBeNull()
  })
})
