import { describe, expect, it } from '@jest/globals'
import { renderTextReport } from '../../../src/engine/report/text-report.js'
import { failingMissingLib, failingRngHello, HOSTILE, infrastructureError, passingRedis } from './results.js'

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
