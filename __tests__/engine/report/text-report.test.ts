import { describe, expect, it } from '@jest/globals'
import { renderTextReport, SYSCALL_TEXT_ROWS } from '../../../src/engine/report/text-report.js'
import {
  failingMissingLib,
  failingRngHello,
  HOSTILE,
  infrastructureError,
  passingRedis,
  tracedSyscallGap,
  tracedSyscallGapWithFindings
} from './results.js'

describe('terminal report', () => {
  it('reports a passing run: verdict, probes, notes, timeline and artifacts, without colour', () => {
    const text = renderTextReport(passingRedis(), {
      colour: false,
      outDir: './unikraft-compat-out/redis-0.16.3'
    })
    expect(text).toBe(
      [
        'PASS  redis on Unikraft 0.16.3 (Telesto) under TCG',
        '  redis passed on Unikraft 0.16.3 (Telesto) under TCG: 1/1 probe passed, ready 842 ms after launch.',
        '',
        'Probes',
        '  ✔ redis:6379  passed (31 attempts, 842 ms)',
        '      sent PING · got +PONG',
        '',
        'Findings',
        '  ☑ process.fork-unsupported: the app tried to fork (console log line 41)',
        "      evidence: Can't save in background: fork: Operation not supported",
        '      hint:     Unikraft does not support fork(); disable background saves (save "") or accept the limitation.',
        '  notes: boot.banner: Unikraft booted (0.16.3 Telesto e453b74a)',
        '',
        'Timeline',
        '  setup 2.1 s · build 5.3 s · first output 118 ms after launch · banner 402 ms after launch · ready 842 ms after launch · exit 1.3 s after launch · whole check 8.9 s',
        '',
        'Artifacts in ./unikraft-compat-out/redis-0.16.3: result.json, console.log, qemu-stderr.log, build.log, rootfs-manifest.txt',
        ''
      ].join('\n')
    )
  })

  it('reports a failure with the finding, its evidence and hint, and the baseline', () => {
    const text = renderTextReport(failingRngHello(), { colour: false })
    expect(text).toContain('FAIL  hello-c on Unikraft 0.17.0 under TCG\n')
    expect(text).toContain(
      '  ✖ console:Hello, world  failed (1 attempt, 30.0 s)\n      the VM exited before the pattern appeared\n'
    )
    expect(text).toContain(
      '  ✖ boot.rng-unavailable: no hardware random number generator (console log line 9)\n' +
        '      evidence: [    0.101368] ERR:  [libukrandom] <random.c @   65> Could not initialize the HWRNG (-95)\n' +
        '      hint:     Unikraft 0.17+ needs RDSEED: use QEMU >= 8.1.3 with -cpu max, or KVM.\n'
    )
    expect(text).toContain('Linux baseline: pass. Unikraft compatibility gap: the Linux baseline passed')
  })

  it('reports a preflight failure with its source and no probes section', () => {
    const text = renderTextReport(failingMissingLib(), { colour: false })
    expect(text).toContain('  ✖ loader.missing-library: a shared library is missing (libc.so.6)\n')
    expect(text).toContain('      evidence: /hello needs libc.so.6: not in the root filesystem\n')
    expect(text).not.toContain('Probes')
  })

  it('reports an error with its kind and hint', () => {
    const text = renderTextReport(infrastructureError(), { colour: false })
    expect(text.split('\n').slice(0, 6)).toEqual([
      'ERROR  nginx on Unikraft latest',
      '  The check of nginx could not be carried out: Docker is not running.',
      '',
      'Error (infrastructure)',
      '  Docker is not running: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.',
      '  hint: Start dockerd, or give a directory, tarball or binary: root filesystem.'
    ])
  })

  it('colours the verdict, marks and labels only when asked, and strips colour from the guest either way', () => {
    const hostile = failingRngHello()
    hostile.findings[0].evidence = '\x1b[31mred from the guest\x1b[0m\x1b]0;pwned\x07'
    const coloured = renderTextReport(hostile, { colour: true })
    expect(coloured.startsWith('\x1b[1m\x1b[31mFAIL\x1b[39m\x1b[22m  hello-c')).toBe(true)
    expect(coloured).toContain('\x1b[31m✖\x1b[39m boot.rng-unavailable')
    expect(coloured).toContain('\x1b[36mhint:\x1b[39m')
    expect(coloured).toContain('\x1b[2mevidence:\x1b[22m red from the guest\n')
    expect(coloured).not.toContain('pwned')

    const plain = renderTextReport(hostile, { colour: false })
    expect(plain).not.toMatch(/[\x1b\x07\r]/)
    expect(plain).toContain('      evidence: red from the guest\n')
  })

  it('keeps each entry on its line whatever the text holds', () => {
    const r = failingRngHello()
    r.findings[0].evidence = `line one\nline two\r\n${HOSTILE}`
    const text = renderTextReport(r, { colour: false })
    const evidence = text.split('\n').filter(l => l.startsWith('      evidence: '))
    expect(evidence[0]).toMatch(/^ {6}evidence: line one ⏎ line two ⏎ \| pipe/)
    expect(text).not.toMatch(/\x1b/)
  })
})

describe('terminal report: system calls', () => {
  it('shows the divergence first, then the calls in aligned columns, then the notes', () => {
    const text = renderTextReport(tracedSyscallGapWithFindings(), { colour: false })
    const lines = text.split('\n')
    const start = lines.indexOf('System calls (Unikraft compared with Linux)')
    // Right after the verdict and the summary, before the probes and the other findings.
    expect(start).toBe(3)
    expect(lines.slice(start, start + 15)).toEqual([
      'System calls (Unikraft compared with Linux)',
      '  ✖ syscall.divergence: the system call where Unikraft differs from Linux (openat) (Unikraft trace line 22)',
      '      divergence: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) returned 3 on Linux and ENOSYS (-38) on Unikraft (call 2 on Linux, call 3 on Unikraft).',
      '      linux:      baseline/strace.log line 14: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = 3',
      '      unikraft:   unikraft-trace/console.log line 22: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = Function not implemented (-38)',
      expect.stringMatching(
        /^ {6}hint: {7}The first system call where Unikraft differs from Linux: openat returned 3/
      ),
      '',
      '  System call  Linux  Unikraft  Status on Unikraft',
      '  openat           2         2  ENOSYS ×2 (first divergence)',
      '  rseq             —         1  ENOSYS ×1 (tolerated)',
      '  brk              1         1  ok',
      '  exit_group       1         1  ok',
      '  traced: Linux 4 calls (cut short: counts are a lower bound; 1 unreadable line) · Unikraft 5 calls',
      '  note: linux trace truncated at 64 MiB',
      ''
    ])
    expect(lines.indexOf('Probes')).toBeGreaterThan(start)
    // The divergence is not listed again among the findings; the ENOSYS finding is.
    expect(text.match(/syscall\.divergence:/g)).toHaveLength(1)
    expect(text).toContain('  ✖ syscall.unsupported: system calls returned ENOSYS (openat)\n')
  })

  it('says "not traced" for a side that ran untraced, with the note saying why', () => {
    const r = tracedSyscallGap()
    r.syscalls = {
      ...r.syscalls!,
      traced: { unikraft: false, linux: true },
      notes: ['no trace kernel for Unikraft 0.17.0: it ran untraced'],
      sides: { ...r.syscalls!.sides, unikraft: null },
      divergence: null,
      unsupported: []
    }
    const text = renderTextReport(r, { colour: false })
    expect(text).toContain(
      [
        'System calls (Unikraft compared with Linux)',
        '  No comparison with Linux: the Unikraft side was not traced.',
        '',
        '  System call  Linux    Unikraft  Status on Unikraft',
        '  brk              1  not traced  not traced',
        '  openat           2  not traced  not traced',
        '  exit_group       1  not traced  not traced',
        '  traced: Linux 4 calls (cut short: counts are a lower bound; 1 unreadable line) · Unikraft not traced',
        '  note: no trace kernel for Unikraft 0.17.0: it ran untraced',
        ''
      ].join('\n')
    )
  })

  it('bounds the table and says how many calls it left out', () => {
    const r = tracedSyscallGap()
    r.syscalls!.sides.unikraft!.calls.push(
      ...Array.from({ length: 30 }, (_, i) => ({ syscall: `call${i}`, count: 1, failed: 0, errnos: [] }))
    )
    const text = renderTextReport(r, { colour: false })
    const rows = text.split('\n').filter(l => /^ {2}(call\d+|openat|rseq|brk|exit_group) /.test(l))
    expect(rows).toHaveLength(SYSCALL_TEXT_ROWS)
    expect(text).toContain(
      `  … ${34 - SYSCALL_TEXT_ROWS} more system calls not shown (none with a problem); result.json lists every one.\n`
    )
  })

  it('keeps hostile trace text on its line, without control sequences, long args cut; colours only its own', () => {
    const r = tracedSyscallGapWithFindings()
    const s = r.syscalls!
    s.sides.unikraft!.calls[1].syscall = '\x1b[2Jrseq\nnext'
    s.divergence = { ...s.divergence!, args: `${HOSTILE}\n${'A'.repeat(10_000)}` }
    s.notes = [`${HOSTILE}\nsecond line`]
    r.findings[0].evidence = `Linux (${HOSTILE}); Unikraft (\x1b]0;pwned\x07x\ny)`
    for (const colour of [false, true]) {
      const text = renderTextReport(r, { colour })
      expect(text).not.toContain('pwned')
      expect(text).not.toMatch(/\x1b(?!\[(?:1|2|22|31|32|33|36|39)m)/)
      const lines = text.split('\n')
      const divergence = lines.find(l => l.includes('divergence:') && l.includes('openat('))!
      expect(divergence.length).toBeLessThan(700)
      expect(divergence).toContain('…')
      expect(lines.find(l => l.includes('unikraft:'))).toMatch(/ {3}x ⏎ y$/)
      expect(lines.some(l => l.includes('rseq ⏎ next'))).toBe(true)
      expect(lines.some(l => l.includes('second line') && l.includes('note:'))).toBe(true)
    }
    const coloured = renderTextReport(r, { colour: true })
    expect(coloured).toContain('\x1b[31mENOSYS ×2 (first divergence)\x1b[39m')
  })
})
