// Realistic results for the report tests, shaped after real runs: evidence lines are the real
// Unikraft / glibc lines from ../shared/fixtures/unikraft-logs (the lead adds files from real runs).
import type { Finding } from '../../../src/engine/finding.js'
import { type CheckResult, RESULT_SCHEMA_VERSION } from '../../../src/engine/report/result.js'

export const bannerNote = (version: string, codename: string, commit: string): Finding => ({
  id: 'boot.banner',
  severity: 'note',
  line: 12,
  evidence: `${codename} ${version}~${commit}`,
  detail: `${version} ${codename} ${commit}`,
  hint: 'Unikraft booted.',
  source: 'console',
  data: { version, codename, commit }
})

export function passingRedis(): CheckResult {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    verdict: 'pass',
    summary:
      'redis passed on Unikraft 0.16.3 (Telesto) under TCG: 1/1 probe passed, ready 842 ms after launch.',
    app: { name: 'redis', dir: 'examples/redis' },
    matrixCell: { app: 'redis', version: '0.16.3' },
    guest: 'unikraft',
    accel: 'tcg',
    accelReason: 'KVM probe: QEMU exited with "failed to set MSR 0x10a"; using TCG',
    unikraft: { version: '0.16.3', codename: 'Telesto', commit: 'e453b74a' },
    qemu: { version: '7.2.11' },
    kraftkit: { version: '0.11.6' },
    probes: [
      {
        kind: 'redis',
        target: 'redis:6379',
        passed: true,
        attempts: 31,
        durationMs: 842,
        evidence: { sent: 'PING', received: '+PONG', atMs: 842 }
      }
    ],
    findings: [
      bannerNote('0.16.3', 'Telesto', 'e453b74a'),
      {
        id: 'process.fork-unsupported',
        severity: 'note',
        line: 41,
        evidence: "Can't save in background: fork: Operation not supported",
        detail: null,
        hint: 'Unikraft does not support fork(); disable background saves (save "") or accept the limitation.',
        source: 'console',
        allowed: true
      }
    ],
    timeline: {
      setupMs: 2140,
      buildMs: 5310,
      launchMs: 7460,
      bootMs: 118,
      bannerMs: 402,
      readyMs: 842,
      exitMs: 1290
    },
    ports: { '6379': 40123 },
    vm: { reason: 'killed', qemuExit: null, guestExit: null, debugExit: null },
    baseline: null,
    rootfs: { kind: 'dockerfile', entries: 42, bytes: 9_874_432 },
    artifacts: ['result.json', 'console.log', 'qemu-stderr.log', 'build.log', 'rootfs-manifest.txt'],
    error: null,
    syscalls: null,
    startedAt: '2026-11-02T10:14:03.120Z',
    durationMs: 8912,
    tool: { name: 'unikraft-compat', version: '0.1.0' }
  }
}

export const missingLibFinding = (): Finding => ({
  id: 'loader.missing-library',
  severity: 'error',
  line: 11,
  evidence:
    'hello: error while loading shared libraries: libc.so.6: cannot open shared object file: No such file or directory',
  detail: 'libc.so.6',
  hint: 'Copy libc.so.6 (and the libraries it needs) into the root filesystem, next to the other libraries.',
  source: 'console'
})

export function failingRngHello(): CheckResult {
  return {
    ...passingRedis(),
    verdict: 'fail',
    summary:
      'hello-c failed on Unikraft 0.17.0: boot.rng-unavailable; Unikraft compatibility gap: the Linux baseline passed.',
    app: { name: 'hello-c', dir: 'examples/hello-c' },
    matrixCell: { app: 'hello-c', version: '0.17.0' },
    unikraft: null,
    probes: [
      {
        kind: 'console',
        target: 'console:Hello, world',
        passed: false,
        attempts: 1,
        durationMs: 30_000,
        evidence: { note: 'the VM exited before the pattern appeared', atMs: 1204 }
      }
    ],
    findings: [
      {
        id: 'boot.rng-unavailable',
        severity: 'error',
        line: 9,
        evidence: '[    0.101368] ERR:  [libukrandom] <random.c @   65> Could not initialize the HWRNG (-95)',
        detail: null,
        hint: 'Unikraft 0.17+ needs RDSEED: use QEMU >= 8.1.3 with -cpu max, or KVM.',
        source: 'console'
      },
      {
        id: 'boot.init-failed',
        severity: 'error',
        line: 10,
        evidence:
          '[    0.103684] ERR:  [libukboot] <boot.c @  427> Init function at 0x1246f0 returned error -95',
        detail: '-95',
        hint: 'See the line before: the library that failed to initialise.',
        source: 'console'
      }
    ],
    timeline: {
      setupMs: 1900,
      buildMs: 800,
      launchMs: 2700,
      bootMs: 98,
      bannerMs: null,
      readyMs: null,
      exitMs: 1204
    },
    ports: {},
    vm: { reason: 'crashed', qemuExit: 85, guestExit: null, debugExit: 'crash' },
    baseline: {
      guest: 'linux',
      verdict: 'pass',
      findings: [],
      differential: {
        kind: 'unikraft-gap',
        summary:
          'Unikraft compatibility gap: the Linux baseline passed with the same root filesystem and command.'
      }
    }
  }
}

export function failingMissingLib(version = 'latest'): CheckResult {
  return {
    ...passingRedis(),
    verdict: 'fail',
    summary: 'broken-missing-lib failed on Unikraft: loader.missing-library (libc.so.6).',
    app: { name: 'broken-missing-lib', dir: 'examples/broken-missing-lib' },
    matrixCell: { app: 'broken-missing-lib', version },
    unikraft: null,
    probes: [],
    findings: [
      {
        ...missingLibFinding(),
        source: 'preflight',
        line: null,
        evidence: '/hello needs libc.so.6: not in the root filesystem'
      }
    ],
    timeline: {
      setupMs: 1200,
      buildMs: 900,
      launchMs: null,
      bootMs: null,
      bannerMs: null,
      readyMs: null,
      exitMs: null
    },
    ports: {},
    vm: null
  }
}

export function infrastructureError(app = 'nginx', version = 'latest'): CheckResult {
  return {
    ...passingRedis(),
    verdict: 'error',
    summary: `The check of ${app} could not be carried out: Docker is not running.`,
    app: { name: app, dir: `examples/${app}` },
    matrixCell: { app, version },
    accel: null,
    accelReason: null,
    unikraft: null,
    probes: [],
    findings: [],
    timeline: {
      setupMs: 900,
      buildMs: null,
      launchMs: null,
      bootMs: null,
      bannerMs: null,
      readyMs: null,
      exitMs: null
    },
    ports: {},
    vm: null,
    rootfs: null,
    error: {
      kind: 'infrastructure',
      message: 'Docker is not running: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.',
      hint: 'Start dockerd, or give a directory, tarball or binary: root filesystem.'
    }
  }
}

/**
 * A traced run: Unikraft and the Linux baseline both under a tracer, Unikraft answering ENOSYS
 * where Linux opened the file (the shape trace-summary.ts builds).
 */
export function tracedSyscallGap(): CheckResult {
  return {
    ...failingRngHello(),
    summary: 'hello-c failed on Unikraft 0.17.0: probe console:Hello, world failed.',
    findings: [],
    syscalls: {
      traced: { unikraft: true, linux: true },
      notes: ['linux trace truncated at 64 MiB'],
      sides: {
        unikraft: {
          count: 5,
          truncated: false,
          unreadable: 0,
          calls: [
            { syscall: 'brk', count: 1, failed: 0, errnos: [] },
            { syscall: 'rseq', count: 1, failed: 1, errnos: ['ENOSYS'] },
            { syscall: 'openat', count: 2, failed: 2, errnos: ['ENOSYS'] },
            { syscall: 'exit_group', count: 1, failed: 0, errnos: [] }
          ]
        },
        linux: {
          count: 4,
          truncated: true,
          unreadable: 1,
          calls: [
            { syscall: 'brk', count: 1, failed: 0, errnos: [] },
            { syscall: 'openat', count: 2, failed: 1, errnos: ['ENOENT'] },
            { syscall: 'exit_group', count: 1, failed: 0, errnos: [] }
          ]
        }
      },
      divergence: {
        kind: 'unsupported',
        syscall: 'openat',
        args: 'AT_FDCWD, "/etc/hello.conf", O_RDONLY',
        linux: '3',
        unikraft: 'ENOSYS (-38)',
        linuxIndex: 1,
        unikraftIndex: 2
      },
      unsupported: [
        { syscall: 'rseq', count: 1, tolerated: true },
        { syscall: 'openat', count: 2, tolerated: false }
      ]
    }
  }
}

/** The syscall.divergence finding trace-findings.ts writes for tracedSyscallGap's divergence. */
export const divergenceFinding = (): Finding => ({
  id: 'syscall.divergence',
  severity: 'error',
  line: 22,
  evidence:
    'Linux (baseline/strace.log line 14: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = 3); ' +
    'Unikraft (unikraft-trace/console.log line 22: openat(AT_FDCWD, "/etc/hello.conf", O_RDONLY) = Function not implemented (-38))',
  detail: 'openat',
  hint: "The first system call where Unikraft differs from Linux: openat returned 3 on Linux and ENOSYS (-38) on Unikraft. Compare the two traces from here (strace.log and the trace run's console.log) to see what the app did next.",
  source: 'trace',
  data: {
    syscall: 'openat',
    args: 'AT_FDCWD, "/etc/hello.conf", O_RDONLY',
    linux: '3',
    unikraft: 'ENOSYS (-38)',
    linuxIndex: 1,
    unikraftIndex: 2
  }
})

/** tracedSyscallGap as the pipeline writes it: with the findings the trace step adds. */
export function tracedSyscallGapWithFindings(): CheckResult {
  const r = tracedSyscallGap()
  return {
    ...r,
    summary:
      'hello-c failed on Unikraft 0.17.0: syscall.divergence (openat); Unikraft compatibility gap: the Linux baseline passed.',
    findings: [
      divergenceFinding(),
      {
        id: 'syscall.unsupported',
        severity: 'error',
        line: null,
        evidence: 'ENOSYS in the Unikraft trace: openat (2×)',
        detail: 'openat',
        hint: 'Unikraft does not implement these system calls: turn off the app features that need them (many apps fall back), use a Unikraft build whose libraries provide them, or allow-list `syscall.unsupported` if the app copes.',
        source: 'trace',
        data: { syscalls: ['openat'], counts: ['2'] }
      }
    ]
  }
}

/** Strings that would break markdown, HTML, XML, a shell or a terminal if passed through raw. */
export const HOSTILE = [
  '| pipe | in | table |',
  '```\nfenced ``` ````',
  '<script>alert(1)</script>',
  '$(touch x) `touch y` ; rm -rf /',
  '</details><img src=x onerror=alert(1)>',
  '\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1bc',
  '& < > " \' *bold* _em_ [link](javascript:alert(1)) ![img](x) $x$'
].join(' ')
