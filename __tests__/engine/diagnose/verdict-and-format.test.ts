// The differential verdict (Unikraft against the Linux baseline), the CLI's output formats and exit
// status, parseBanner, and the documentation of every finding id.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parseBanner } from '../../../src/engine/diagnose/banner.js'
import { FINDING_IDS, FINDINGS } from '../../../src/engine/diagnose/catalog.js'
import { diagnose } from '../../../src/engine/diagnose/diagnose.js'
import { differential } from '../../../src/engine/diagnose/differential.js'
import type { Finding } from '../../../src/engine/finding.js'
import { exitCodeFor, formatFindingsJson, formatFindingsText } from '../../../src/engine/diagnose/format.js'
import { MORE_LOGS, readLog } from './diagnose-support.js'

const baseline = (name: string): Buffer => readFileSync(new URL(name, `file://${MORE_LOGS}`))

describe('differential', () => {
  const linuxOk = diagnose({ console: baseline('linux-baseline-exit-0.log'), guest: 'linux' })
  const linuxMissingLib = diagnose({ console: baseline('linux-baseline-missing-lib.log'), guest: 'linux' })
  const ukMissingLib = diagnose({ console: readLog('elfloader-missing-lib') })
  const ukSyscalls = diagnose({ console: readLog('elfloader-strace-unsupported-syscall') })
  const ukClean = diagnose({ console: readLog('elfloader-static-hello') })

  it('Unikraft fails, Linux passes: a Unikraft compatibility gap', () => {
    const v = differential({ findings: ukSyscalls }, { findings: linuxOk })
    expect(v.kind).toBe('unikraft-gap')
    expect(v.summary).toMatch(
      /^Unikraft compatibility gap: .*syscall\.unsupported \(io_uring_setup, kexec_load\)/
    )
    expect(v.unikraft.passed).toBe(false)
    expect(v.linux.passed).toBe(true)
  })

  it('both fail: the app or its root filesystem is broken, with what they share', () => {
    const v = differential({ findings: ukMissingLib }, { findings: linuxMissingLib })
    expect(v.kind).toBe('app-broken')
    expect(v.summary).toMatch(/^The app or its root filesystem is broken: it fails on the Linux baseline too/)
    expect(v.summary).toContain('Linux: loader.missing-library (libc.so.6), app.exit-status (127)')
    expect(v.common).toEqual(['loader.missing-library (libc.so.6)'])
  })

  it('both pass, or only the baseline fails', () => {
    expect(differential({ findings: ukClean }, { findings: linuxOk }).kind).toBe('both-pass')
    expect(differential({ findings: ukClean }, { findings: linuxMissingLib }).kind).toBe(
      'baseline-only-failure'
    )
  })

  it('an explicit verdict wins, and allowed findings do not fail a side', () => {
    expect(differential({ findings: ukClean, passed: false }, { findings: linuxOk }).kind).toBe(
      'unikraft-gap'
    )
    const allowed = ukSyscalls.map(f =>
      f.severity === 'error' ? { ...f, severity: 'note' as const, allowed: true } : f
    )
    expect(differential({ findings: allowed }, { findings: linuxOk }).kind).toBe('both-pass')
  })

  it('a side that could not be carried out makes it inconclusive, never "the app is broken"', () => {
    const noNet = 'the Linux baseline guest had no network: the kernel has no virtio_net'
    const v = differential(
      { findings: ukMissingLib, passed: false },
      { findings: [], passed: false, error: noNet }
    )
    expect(v.kind).toBe('inconclusive')
    expect(v.summary).toBe(`No comparison: the Linux baseline run could not be carried out (${noNet}).`)
    expect(
      differential({ findings: [], passed: false, error: 'QEMU aborted' }, { findings: linuxOk }).summary
    ).toBe('No comparison: the Unikraft run could not be carried out (QEMU aborted).')
  })
})

describe('output for `unikraft-compat diagnose LOG [--json]`', () => {
  const findings = diagnose({ console: readLog('elfloader-missing-interp') })

  it('JSON has exactly { findings: [ { id, severity, line, evidence, detail, hint } ] }', () => {
    const parsed = JSON.parse(formatFindingsJson(findings)) as { findings: Record<string, unknown>[] }
    expect(Object.keys(parsed)).toEqual(['findings'])
    for (const f of parsed.findings)
      expect(Object.keys(f)).toEqual(['id', 'severity', 'line', 'evidence', 'detail', 'hint'])
    expect(parsed.findings[0]).toMatchObject({
      id: 'loader.missing-interpreter',
      severity: 'error',
      line: 15,
      detail: '/lib64/ld-linux-x86-64.so.2'
    })
    expect(JSON.parse(formatFindingsJson([]))).toEqual({ findings: [] })
  })

  it('text names each finding, its line, evidence and hint', () => {
    const text = formatFindingsText(findings)
    expect(text).toContain('error   loader.missing-interpreter (/lib64/ld-linux-x86-64.so.2) at line 15')
    expect(text).toContain('hint: Copy the dynamic loader /lib64/ld-linux-x86-64.so.2')
    expect(formatFindingsText([])).toBe('no findings\n')
  })

  it('exits 1 with an error finding, 0 without one or when it was allowed', () => {
    expect(exitCodeFor(findings)).toBe(1)
    expect(exitCodeFor(diagnose({ console: readLog('redis-ping-run1') }))).toBe(0)
    const allowed: Finding[] = findings.map(f => ({ ...f, allowed: true }))
    expect(exitCodeFor(allowed)).toBe(0)
  })
})

describe('parseBanner', () => {
  it('reads every real banner, and prefers the banner to the Info line', () => {
    expect(parseBanner(readLog('helloworld-tcg'))).toEqual({
      version: '0.17.0',
      codename: 'Calypso',
      commit: '484ff209',
      full: '0.17.0~484ff209',
      form: 'ascii'
    })
    expect(parseBanner(readLog('helloworld-info-tcg'))?.form).toBe('ascii')
    expect(parseBanner(readLog('helloworld-tcg-no-rdseed'))).toBeNull()
    expect(parseBanner('Info: [libkvmplat] Unikraft Telesto (0.16.3~e453b74a)')).toMatchObject({
      form: 'info',
      version: '0.16.3'
    })
    expect(parseBanner('Powered by Unikraft Calypso (0.17.0~484ff209)')).toMatchObject({
      form: 'minimal',
      codename: 'Calypso'
    })
  })

  it('does not take look-alikes for a banner', () => {
    expect(parseBanner('OS: Unikraft 5.15.148-Telesto')).toBeNull()
    expect(parseBanner('Unikraft Crash - Calypso (0.17.0~1)')).toBeNull()
    expect(parseBanner('Redis 7.0.15 (00000000/0) 64 bit')).toBeNull()
    expect(parseBanner('Calypso 0.17.0~484ff209')).toBeNull() // a version line needs the banner before it
  })
})

describe('the finding catalog', () => {
  const doc = readFileSync(new URL('../../../docs/findings.md', import.meta.url), 'utf8')

  it.each(FINDING_IDS)('%s is documented in docs/findings.md with its severity and a hint', id => {
    const row = doc.split('\n').find(l => l.startsWith(`| \`${id}\` |`))
    expect(row).toBeDefined()
    expect(row).toContain(FINDINGS[id].severity)
    expect(FINDINGS[id].hint(null).length).toBeGreaterThan(20)
    expect(FINDINGS[id].hint('x').length).toBeGreaterThan(20)
  })

  it('documents no id the code does not know', () => {
    const documented = [...doc.matchAll(/^\| `([a-z]+\.[a-z-]+)` \|/gm)].map(m => m[1])
    expect([...documented].sort()).toEqual([...FINDING_IDS].sort())
  })
})
