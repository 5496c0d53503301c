// The 16 real Unikraft console logs (and the project's own Linux baseline and QEMU captures) must
// classify as expected.json says, with the expected detail, version, codename and exit status; clean
// runs must carry no error finding; every finding must point at the raw log line it quotes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { normalizeLine } from '../../../src/engine/diagnose/console-normalizer.js'
import { diagnose } from '../../../src/engine/diagnose/diagnose.js'
import type { RunContext } from '../../../src/engine/diagnose/run-rules.js'
import {
  MORE_LOGS,
  allLogNames,
  diagnoseInChunks,
  errors,
  expectWellFormed,
  expectations,
  find,
  prng,
  readLog
} from './diagnose-support.js'

const names = Object.keys(expectations).sort()

/** The run as the check pipeline sees it: QEMU's stderr is the log when QEMU itself failed. */
function asRun(name: string): { console: Buffer | string } & RunContext {
  const log = readLog(name)
  const e = expectations[name]
  const qemuFailed = e.qemu_exit === 1
  return {
    console: qemuFailed ? '' : log,
    qemuStderr: qemuFailed ? log.toString('utf8') : '',
    qemuExit: e.qemu_exit < 0 ? null : e.qemu_exit
  }
}

describe('the real Unikraft logs', () => {
  it('are all listed in expected.json', () => {
    expect(allLogNames()).toEqual(names)
    expect(names).toHaveLength(17)
  })

  describe.each(names)('%s', name => {
    const e = expectations[name]

    it.each([
      ['the log alone (unikraft-compat diagnose LOG)', () => diagnose({ console: readLog(name) })],
      ['the whole run (stderr, exit status)', () => diagnose(asRun(name))]
    ])(`produces ${e.expect} from %s`, (_how, run) => {
      const findings = run()
      const f = find(findings, e.expect)
      expect(f).toBeDefined()
      if (!f) return
      if (e.detail !== undefined) expect(f.detail?.split(', ')).toContain(e.detail)
      if (e.version !== undefined) expect(find(findings, 'boot.banner')?.data?.version).toBe(e.version)
      if (e.codename !== undefined) expect(find(findings, 'boot.banner')?.data?.codename).toBe(e.codename)
      if (e.exit_status !== undefined) {
        const exit = find(findings, 'app.exit-status')
        expect(exit?.detail).toBe(String(e.exit_status))
        expect(exit?.severity).toBe(e.exit_status === 0 ? 'note' : 'error')
      }
      expectWellFormed(findings, readLog(name).toString('utf8').split('\n').length)
    })

    const clean = e.verdict_hint === 'clean' || name === 'nginx' || name === 'redis-ping-run1'
    if (clean) {
      it('is a clean run: no error finding', () => {
        expect(errors(diagnose({ console: readLog(name) }))).toEqual([])
        expect(errors(diagnose(asRun(name)))).toEqual([])
      })
    } else if (e.expect !== 'boot.banner') {
      it(`fails: ${e.expect} is an error`, () => {
        expect(find(diagnose({ console: readLog(name) }), e.expect)?.severity).toBe('error')
      })
    }

    it('quotes, as evidence, the raw log line its line number points at', () => {
      const raw = readLog(name).toString('utf8').split('\n')
      for (const f of diagnose({ console: readLog(name) })) {
        if (f.line === null) continue
        const segments = normalizeLine(raw[f.line - 1])
        expect(segments.map(s => s.trim())).toContain(f.evidence.trim())
      }
    })

    it('gives the same findings whatever the chunking of the stream', () => {
      const whole = diagnose({ console: readLog(name) })
      const random = prng(name.length * 7919)
      for (const max of [1, 3, 17, 4096]) {
        expect(diagnoseInChunks(readLog(name), () => 1 + Math.floor(random() * max))).toEqual(whole)
      }
    })
  })

  it('reads the version from the ASCII-art banner and the Info-level line alike', () => {
    const info = find(diagnose({ console: readLog('helloworld-info-tcg') }), 'boot.banner')
    expect(info?.data).toEqual({ version: '0.17.0', codename: 'Calypso', commit: '484ff209' })
    expect(info?.detail).toBe('Calypso 0.17.0~484ff209')
    const ascii = find(diagnose({ console: readLog('elfloader-static-hello') }), 'boot.banner')
    expect(ascii?.data).toEqual({ version: '0.16.3', codename: 'Telesto', commit: 'e453b74a' })
    expect(ascii?.line).toBe(14)
  })

  it('points the glued first line at its raw line number (BIOS text before it)', () => {
    const rng = find(diagnose({ console: readLog('helloworld-tcg-no-rdseed') }), 'boot.rng-unavailable')
    expect(rng?.line).toBe(8)
    expect(rng?.evidence).toMatch(/^\[ +0\.101368\] ERR: {2}\[libukrandom\]/)
    expect(rng?.detail).toBe('-95 (EOPNOTSUPP)')
  })

  it('names every unsupported system call and keeps the ones glibc tolerates as a note', () => {
    const findings = diagnose({ console: readLog('elfloader-strace-unsupported-syscall') })
    const unsupported = find(findings, 'syscall.unsupported')
    expect(unsupported?.detail).toBe('io_uring_setup, kexec_load')
    expect(unsupported?.severity).toBe('error')
    const tolerated = find(findings, 'syscall.tolerated')
    expect(tolerated?.detail).toBe('set_robust_list, rseq')
    expect(tolerated?.severity).toBe('note')
  })

  it('keeps the harmless redis ERR line as a note and the daemonizing redis as a fork error', () => {
    const ping = diagnose({ console: readLog('redis-ping-run1') })
    expect(find(ping, 'process.rlimit-ignored')).toMatchObject({ severity: 'note', line: 21 })
    const daemon = diagnose({ console: readLog('redis-debian-conf-daemonize-lwip-strace-info') })
    expect(find(daemon, 'process.fork-unsupported')).toMatchObject({ severity: 'error', line: 748 })
    expect(find(daemon, 'syscall.unsupported')).toBeUndefined()
  })

  it('reports the crash without a headline with its RIP, and no crash.other when a headline named it', () => {
    const crash = find(
      diagnose({ console: readLog('crash-nullderef-isa-debug-exit'), qemuExit: 85 }),
      'crash.other'
    )
    expect(crash).toMatchObject({ detail: 'RIP 0x124e12', line: 16 })
    expect(ids(diagnose({ console: readLog('assert'), qemuExit: 85 }))).not.toContain('crash.other')
  })

  it('treats the out-of-memory cpio extraction as out of memory, not as a broken initrd', () => {
    const findings = diagnose({ console: readLog('elfloader-oom-m8-initrd-extract') })
    expect(find(findings, 'memory.out-of-memory')).toMatchObject({ detail: 'unpacking the initrd', line: 8 })
    expect(find(findings, 'boot.initrd-failed')).toBeUndefined()
    expect(find(findings, 'boot.init-failed')?.detail).toBe('-5 (EIO)')
  })

  it('reads KVM trouble from QEMU stderr as well as from the log', () => {
    const stderr = readLog('qemu-kvm-permission-denied').toString('utf8')
    const findings = diagnose({ console: '', qemuStderr: stderr, qemuExit: 1 })
    expect(findings.map(f => f.id)).toEqual(['vmm.kvm-unusable'])
    expect(findings[0]).toMatchObject({ detail: 'Permission denied', source: 'qemu', line: null })
  })
})

const ids = (findings: { id: string }[]): string[] => findings.map(f => f.id)

interface MoreExpectation {
  as: 'console' | 'qemuStderr'
  guest?: 'unikraft' | 'linux'
  qemuExit: number | null
  stderr?: string
  clean?: boolean
  expect: { id: string; detail?: string | null; severity?: string }[]
}

const more: Record<string, MoreExpectation> = JSON.parse(
  readFileSync(join(MORE_LOGS, 'expected.json'), 'utf8')
)

describe('the Linux baseline and QEMU captures', () => {
  it.each(Object.keys(more).sort())('%s', name => {
    const m = more[name]
    const text = readFileSync(join(MORE_LOGS, name))
    const findings = diagnose({
      console: m.as === 'console' ? text : '',
      qemuStderr:
        m.as === 'qemuStderr'
          ? text.toString('utf8')
          : m.stderr && readFileSync(join(MORE_LOGS, m.stderr), 'utf8'),
      qemuExit: m.qemuExit,
      guest: m.guest
    })
    for (const want of m.expect) {
      const f = find(findings, want.id)
      expect(f).toBeDefined()
      if (want.detail !== undefined) expect(f?.detail).toBe(want.detail)
      if (want.severity !== undefined) expect(f?.severity).toBe(want.severity)
    }
    if (m.clean) expect(errors(findings)).toEqual([])
    expectWellFormed(findings, text.toString('utf8').split('\n').length)
  })
})
