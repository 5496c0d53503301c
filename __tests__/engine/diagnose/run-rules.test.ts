// Everything besides the console: QEMU's stderr and exit status, QMP events, how the VM ended,
// preflight findings and probes; and how the lists merge.
import { describe, expect, it } from '@jest/globals'
import { diagnose } from '../../../src/engine/diagnose/diagnose.js'
import type { Finding } from '../../../src/engine/finding.js'
import { readLog } from './diagnose-support.js'

const booted = 'Powered by Unikraft Calypso (0.17.0~484ff209)\r\nHello world!\r\n'
const ids = (findings: Finding[]): string[] => findings.map(f => f.id)

describe('run-level findings', () => {
  it('a crash signalled by isa-debug-exit (85) with no crash report is crash.other', () => {
    const findings = diagnose({ console: booted, qemuExit: 85 })
    expect(findings[0]).toMatchObject({ id: 'crash.other', severity: 'error', source: 'qemu', line: null })
  })

  it('a halt (83) or a clean exit (0) adds nothing', () => {
    expect(ids(diagnose({ console: booted, qemuExit: 83 }))).toEqual(['boot.banner'])
    expect(ids(diagnose({ console: booted, qemuExit: 0 }))).toEqual(['boot.banner'])
  })

  it('GUEST_PANICKED is a crash unless the console already named one', () => {
    expect(ids(diagnose({ console: booted, qmpEvents: [{ event: 'GUEST_PANICKED' }] }))).toContain(
      'crash.other'
    )
    const assert = diagnose({
      console: readLog('assert'),
      qmpEvents: [{ event: 'GUEST_PANICKED' }],
      qemuExit: 85
    })
    expect(ids(assert).filter(id => id.startsWith('crash.'))).toEqual(['crash.assertion'])
  })

  it('a guest paused by QEMU (QMP STOP) is unusable KVM', () => {
    const findings = diagnose({ console: '', vmEnd: 'stopped', qmpEvents: [{ event: 'STOP' }] })
    expect(ids(findings)).toEqual(['vmm.kvm-unusable'])
  })

  it('reads QEMU stderr: KVM, a missing kernel, an unbootable kernel, other failures', () => {
    expect(
      diagnose({
        console: '',
        qemuStderr: 'qemu-system-x86_64: failed to initialize kvm: Permission denied\n',
        qemuExit: 1
      })
    ).toMatchObject([
      { id: 'vmm.kvm-unusable', detail: 'Permission denied', data: { stream: 'qemu-stderr', stderrLine: 1 } }
    ])
    expect(
      diagnose({
        console: '',
        qemuStderr: "qemu: could not open kernel file 'k': No such file or directory\n",
        qemuExit: 1
      })
    ).toMatchObject([{ id: 'vmm.kernel-not-found', detail: 'k' }])
    expect(
      diagnose({
        console: '',
        qemuStderr: 'qemu-system-x86_64: Error loading uncompressed kernel without PVH ELF Note\n',
        qemuExit: 1
      })
    ).toMatchObject([
      { id: 'boot.no-output', detail: 'Error loading uncompressed kernel without PVH ELF Note' }
    ])
    expect(
      diagnose({
        console: '',
        qemuStderr:
          "qemu-system-x86_64: -netdev user,id=n0,hostfwd=tcp::8080-:80: Could not set up host forwarding rule 'tcp::8080-:80'\n",
        qemuExit: 1
      })
    ).toMatchObject([
      { id: 'vmm.qemu-error', detail: expect.stringContaining('Could not set up host forwarding rule') }
    ])
  })

  it('ignores our own SIGTERM and QEMU warnings in stderr', () => {
    const stderr =
      "qemu-system-x86_64: warning: TCG doesn't support requested feature: CPUID.01H:ECX.vmx [bit 5]\nqemu-system-x86_64: terminating on signal 15 from pid 1 (node)\n"
    expect(ids(diagnose({ console: booted, qemuStderr: stderr, qemuExit: null }))).toEqual(['boot.banner'])
  })

  it('QEMU failing with nothing recognisable is still named', () => {
    expect(diagnose({ console: '', qemuExit: 1 })).toMatchObject([
      { id: 'vmm.qemu-error', detail: 'QEMU exited with status 1' }
    ])
  })

  it('reports no output only when no host finding explains it', () => {
    expect(ids(diagnose({ console: '' }))).toEqual(['boot.no-output'])
    expect(diagnose({ console: '', vmEnd: 'boot-timeout' })[0].evidence).toMatch(/within the boot timeout/)
    expect(diagnose({ console: '', guest: 'linux' })[0].evidence).toMatch(/Linux kernel/)
    expect(ids(diagnose({ console: readLog('qemu-kvm-permission-denied') }))).toEqual(['vmm.kvm-unusable'])
  })

  it('turns failed probes into findings that point at the other evidence', () => {
    const findings = diagnose({
      console: booted,
      probes: [
        { passed: true, kind: 'tcp', target: '6379' },
        { passed: false, kind: 'http', target: '80/', evidence: 'GET / answered 200 with an empty body' },
        { passed: false, kind: 'console', target: 'console:/Hello/', evidence: 'no console line matched' }
      ]
    })
    // Named as the user wrote the probe, whether or not the target carried its kind.
    expect(findings.filter(f => f.id === 'probe.failed').map(f => f.detail)).toEqual([
      'http:80/',
      'console:/Hello/'
    ])
    expect(findings[0]).toMatchObject({
      id: 'probe.failed',
      detail: 'http:80/',
      evidence: 'GET / answered 200 with an empty body',
      source: 'probe'
    })
  })

  it('merges preflight findings: the console wins for the same id and detail, others are kept', () => {
    const preflight: Finding[] = [
      {
        id: 'loader.missing-library',
        severity: 'error',
        line: null,
        evidence: 'ELF /hello needs libc.so.6',
        detail: 'libc.so.6',
        hint: 'copy it',
        source: 'preflight'
      },
      {
        id: 'loader.missing-library',
        severity: 'error',
        line: null,
        evidence: 'ELF /hello needs libm.so.6',
        detail: 'libm.so.6',
        hint: 'copy it',
        source: 'preflight'
      }
    ]
    const findings = diagnose({ console: readLog('elfloader-missing-lib'), preflight })
    const libs = findings.filter(f => f.id === 'loader.missing-library')
    expect(libs.map(f => [f.detail, f.source])).toEqual([
      ['libc.so.6', 'console'],
      ['libm.so.6', 'preflight']
    ])
  })

  it('sorts errors first, then warnings, then notes, each in log order', () => {
    const log = [
      'Powered by Unikraft Calypso (0.17.0~484ff209)',
      'ERR:  [libposix_process] Unsupported resource 6',
      'ERR:  [libposix_process] Ignore updating resource 7: cur = 1, max = 1',
      'hello: error while loading shared libraries: libssl.so.3: cannot open shared object file',
      'weak main() called. Symbol was not replaced!'
    ].join('\n')
    expect(diagnose({ console: log }).map(f => `${f.severity} ${f.line}`)).toEqual([
      'error 4',
      'error 5',
      'warning 2',
      'note 1',
      'note 3'
    ])
  })
})
