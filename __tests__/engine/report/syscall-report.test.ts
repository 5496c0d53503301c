import { describe, expect, it } from '@jest/globals'
import type { SyscallsSection } from '../../../src/engine/report/result.js'
import {
  divergenceEvidence,
  divergenceSentence,
  syscallRows,
  traceFacts
} from '../../../src/engine/report/syscall-report.js'
import { divergenceFinding, tracedSyscallGap } from './results.js'

const section = (): SyscallsSection => tracedSyscallGap().syscalls!
const text = (s: SyscallsSection): string =>
  divergenceSentence(s)
    .map(p => ('code' in p ? `\`${p.code}\`` : p.text))
    .join('')

describe('syscallRows', () => {
  it('lists every call either side made, problems first, with its status on Unikraft', () => {
    const s = section()
    s.sides.unikraft!.calls.push({ syscall: 'read', count: 5, failed: 2, errnos: ['EAGAIN'] })
    s.sides.linux!.calls.push(
      { syscall: 'read', count: 5, failed: 0, errnos: [] },
      { syscall: 'arch_prctl', count: 1, failed: 0, errnos: [] }
    )
    s.sides.unikraft!.calls.push({ syscall: 'stat', count: 1, failed: 1, errnos: ['ENOENT'] })
    s.sides.linux!.calls.push({ syscall: 'stat', count: 1, failed: 1, errnos: ['ENOENT'] })
    expect(syscallRows(s).map(r => [r.syscall, r.linux, r.unikraft, r.status, r.problem])).toEqual([
      ['openat', 2, 2, 'ENOSYS ×2 (first divergence)', true],
      ['read', 5, 5, 'EAGAIN ×2, 3 ok', true],
      ['rseq', 0, 1, 'ENOSYS ×1 (tolerated)', false],
      ['stat', 1, 1, 'ENOENT ×1', false],
      ['arch_prctl', 1, 0, 'not called', false],
      ['brk', 1, 1, 'ok', false],
      ['exit_group', 1, 1, 'ok', false]
    ])
  })

  it('calls what Linux made after Unikraft stopped "not reached"', () => {
    const s = section()
    s.sides.linux!.calls.push({ syscall: 'write', count: 1, failed: 0, errnos: [] })
    s.divergence = {
      kind: 'not-reached',
      syscall: 'write',
      args: '1, "Hello, world\\n", 13',
      linux: '13',
      unikraft: null,
      linuxIndex: 3,
      unikraftIndex: null
    }
    s.unsupported = []
    s.sides.unikraft!.calls = s.sides.unikraft!.calls.filter(
      c => c.syscall !== 'rseq' && c.syscall !== 'openat'
    )
    expect(syscallRows(s)[0]).toMatchObject({ syscall: 'write', status: 'not reached (first divergence)' })
    expect(text(s)).toBe(
      '`write(1, "Hello, world\\n", 13)` returned 13 on Linux (call 4); Unikraft never reached it (its trace ends after 5 calls).'
    )
  })
})

describe('divergence wording', () => {
  it('says what each side returned, and what could not be compared', () => {
    const s = section()
    expect(text(s)).toBe(
      '`openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY)` returned 3 on Linux and ENOSYS (-38) on Unikraft (call 2 on Linux, call 3 on Unikraft).'
    )
    expect(text({ ...s, divergence: null })).toBe(
      'No divergence: as far as both traces go, Unikraft answered the calls as Linux did.'
    )
    expect(text({ ...s, divergence: null, traced: { unikraft: false, linux: false } })).toBe(
      'No comparison with Linux: neither side was traced.'
    )
  })

  it("takes the two trace lines from the finding's evidence, else from the divergence", () => {
    const d = section().divergence!
    expect(divergenceEvidence(d, divergenceFinding())).toEqual({
      linux: 'baseline/strace.log line 14: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = 3',
      unikraft:
        'unikraft-trace/console.log line 22: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = Function not implemented (-38)'
    })
    expect(divergenceEvidence(d, { ...divergenceFinding(), evidence: 'something else' })).toEqual({
      linux: 'openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = 3 (call 2)',
      unikraft: 'openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = ENOSYS (-38) (call 3)'
    })
  })

  it('states how much each side traced', () => {
    expect(traceFacts(section())).toBe(
      'Linux 4 calls (cut short: counts are a lower bound; 1 unreadable line) · Unikraft 5 calls'
    )
  })
})
