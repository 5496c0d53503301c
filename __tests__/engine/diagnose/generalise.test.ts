// The classifier must hold for logs it has not seen: other releases (other line numbers, other
// versions), other build options (no timestamps, no source names, ANSI colour), other captures
// (LF only, no firmware text), and hand-varied lines of every kind.
import { describe, expect, it } from '@jest/globals'
import { diagnose } from '../../../src/engine/diagnose/diagnose.js'
import type { Finding } from '../../../src/engine/finding.js'
import { errors, expectations, find, readLog } from './diagnose-support.js'

type Mutation = (log: string) => string

const MUTATIONS: Record<string, Mutation> = {
  'no PRINT_TIME': log => log.replace(/\[ *\d+\.\d+\] /g, ''),
  'no PRINT_SRCNAME': log => log.replace(/<[^<>\s]+ @ *\d+> /g, ''),
  'other source line numbers': log => log.replace(/@ *\d+>/g, '@ 1234>'),
  'ANSI colour': log =>
    log
      .replace(/(ERR|CRIT|Info|Warn|dbg):( +)/g, '\x1b[0;31m$1:\x1b[0m$2')
      .replace(/\] \[(lib\w+|app\w+)\]/g, '] \x1b[1m[$1]\x1b[0m'),
  'LF only': log => log.replace(/\r\n/g, '\n'),
  'serial file (no firmware text)': log => log.replace(/^[\s\S]*?Booting from ROM\.\./, ''),
  'everything at once': log =>
    log
      .replace(/^[\s\S]*?Booting from ROM\.\./, '')
      .replace(/\[ *\d+\.\d+\] /g, '')
      .replace(/<[^<>\s]+ @ *\d+> /g, '')
      .replace(/(ERR|CRIT|Info|Warn|dbg):( +)/g, '\x1b[1;31m$1:\x1b[0m$2')
      .replace(/\r\n/g, '\n')
}

describe('the real logs, transformed', () => {
  const cases = Object.keys(expectations).flatMap(name => Object.keys(MUTATIONS).map(m => [name, m] as const))
  it.each(cases)('%s with %s still classifies as expected', (name, mutation) => {
    const e = expectations[name]
    const log = MUTATIONS[mutation](readLog(name).toString('utf8'))
    const findings = diagnose({ console: log })
    const f = find(findings, e.expect)
    expect(f).toBeDefined()
    if (e.detail !== undefined) expect(f?.detail?.split(', ')).toContain(e.detail)
    if (e.version !== undefined) expect(find(findings, 'boot.banner')?.data?.version).toBe(e.version)
    if (e.exit_status !== undefined)
      expect(find(findings, 'app.exit-status')?.detail).toBe(String(e.exit_status))
    if (e.verdict_hint === 'clean') expect(errors(findings)).toEqual([])
  })
})

describe('banners of other releases', () => {
  it.each([
    [
      'ASCII art, 0.18 Helene',
      'Powered by\no.   .o\nOo   Oo\noO   oO\noOo oOO\n OoOoO\n             Helene 0.18.0~0a1b2c3d\n',
      '0.18.0',
      'Helene',
      '0a1b2c3d'
    ],
    [
      'ASCII art without a git hash',
      'Powered by\nart\nart\nart\nart\nart\n                    Kiviuq 0.20.0\n',
      '0.20.0',
      'Kiviuq',
      null
    ],
    [
      'ASCII art, dirty tree',
      'Powered by\nart\nart\nart\nart\nart\n     Pan 0.19.1~abcdef12-dirty\n',
      '0.19.1',
      'Pan',
      'abcdef12'
    ],
    ['MINIMAL', 'Powered by Unikraft Ijiraq (0.21.0~1234abcd)\n', '0.21.0', 'Ijiraq', '1234abcd'],
    [
      'classic art',
      'Welcome to  _ __             _____\n __ _____  (_) /__\n/ // / _ \\\n\\_,_/_//_/\n         Pandora 0.15.0~cafe0123\n',
      '0.15.0',
      'Pandora',
      'cafe0123'
    ],
    [
      'Info line with PRINT_TIME',
      '[    0.000000] Info: [libkvmplat] <bootinfo.c @   56> Unikraft Prometheus (0.14.0~00ff00ff)\n',
      '0.14.0',
      'Prometheus',
      '00ff00ff'
    ],
    [
      'Info line without PRINT_TIME and PRINT_SRCNAME',
      'Info: [libkvmplat] Unikraft Helene (0.18.0)\n',
      '0.18.0',
      'Helene',
      null
    ],
    [
      'banner glued to the firmware',
      'Press Ctrl-B to configure iPXE\r\nBooting from ROM..Powered by\r\na\r\nb\r\nc\r\nd\r\ne\r\n   Calypso 0.17.1~11112222\r\n',
      '0.17.1',
      'Calypso',
      '11112222'
    ]
  ])('%s', (_name, log, version, codename, commit) => {
    const banner = find(diagnose({ console: log }), 'boot.banner')
    expect(banner?.data).toEqual({ version, codename, commit })
    expect(banner?.severity).toBe('note')
  })

  it('does not take the Info line for a boot when an init function failed', () => {
    const log =
      'Info: [libkvmplat] Unikraft Calypso (0.17.0~484ff209)\nERR:  [libukboot] Init function at 0x1 returned error -12\n'
    const findings = diagnose({ console: log })
    expect(find(findings, 'boot.banner')).toBeUndefined()
    expect(find(findings, 'boot.init-failed')).toMatchObject({ detail: '-12 (ENOMEM)' })
    expect(find(findings, 'boot.init-failed')?.data).toMatchObject({ version: '0.17.0', codename: 'Calypso' })
  })
})

/** [log text, id, detail (undefined: not checked), severity (undefined: the id's default)] */
type Row = [string, string, string | null | undefined, Finding['severity'] | undefined]

const LINES: Record<string, Row[]> = {
  traps: [
    [
      'CRIT: [libkvmplat] <traps.c @ 90> Unhandled Trap 6 (invalid opcode), error code=0x0',
      'crash.trap',
      'invalid opcode',
      'error'
    ],
    [
      '[    1.5] CRIT: [libkvmplat] Unhandled Trap 13 (general protection), error code=0x0',
      'crash.trap',
      'general protection',
      undefined
    ],
    [
      '\x1b[31mCRIT:\x1b[0m [libkvmplat] Unhandled Trap 12 (stack segment), error code=0x0',
      'crash.trap',
      'stack segment',
      undefined
    ],
    ['CRIT: Unhandled Trap 0 (divide error), error code=0x0', 'crash.trap', 'divide error', undefined],
    [
      '[   3.1] traps: app[1] trap divide error ip:401136 sp:7ffd error:0 in app[401000+1000]',
      'crash.trap',
      'divide error',
      undefined
    ]
  ],
  'page faults and other crashes': [
    [
      'CRIT: [libukvmem] Cannot handle read page fault at 0xdeadbeef (ec: 0x0): Bad address (14).',
      'crash.page-fault',
      'read at 0xdeadbeef',
      undefined
    ],
    [
      '[  9.9] app[1]: segfault at 0 ip 0000000000401136 sp 00007ffc error 6',
      'crash.page-fault',
      'at 0x0',
      undefined
    ],
    [
      'CRIT: [libukdebug] Assertion failure: (uk_alloc_availmem(a) > 0)',
      'crash.assertion',
      '(uk_alloc_availmem(a) > 0)',
      undefined
    ],
    ["app: main.c:12: main: Assertion `argc > 3' failed.", 'crash.assertion', 'argc > 3', undefined],
    [
      'Unikraft Crash - Kiviuq (0.20.0~abcd)\n rip: 0008:0000000000124e12\n rsp: 0010:0000000000011f50',
      'crash.other',
      'RIP 0x124e12',
      undefined
    ],
    ['[    7.1] Kernel panic - not syncing: Fatal exception', 'crash.other', 'Fatal exception', undefined]
  ],
  'boot and memory': [
    [
      'ERR:  [libukrandom] Could not initialize the HWRNG (-19)',
      'boot.rng-unavailable',
      '-19 (ENODEV)',
      undefined
    ],
    [
      'ERR:  [libukboot] Init function at 0xffff returned error -22',
      'boot.init-failed',
      '-22 (EINVAL)',
      undefined
    ],
    [
      'ERR:  [libukboot] Early init function at 0x1234 returned error -95',
      'boot.init-failed',
      '-95 (EOPNOTSUPP)',
      undefined
    ],
    [
      'ERR:  [libukrandom] Could not initialize: No entropy source available',
      'boot.rng-unavailable',
      null,
      undefined
    ],
    ['ERR:  [libukrandom_lcpu] The CPU does not implement RDRAND', 'boot.rng-unavailable', null, undefined],
    ['CRIT: [libvfscore] Failed to extract cpio archive to /: -3', 'boot.initrd-failed', null, undefined],
    ['ERR:  [libukcpio] Bad magic number in CPIO header', 'boot.initrd-failed', null, undefined],
    ['ERR:  [libvfscore] Could not find an initrd!', 'boot.initrd-failed', null, undefined],
    [
      'ERR:  [libukboot] Could not allocate memory for heap (65536 KiB): Out of memory',
      'memory.out-of-memory',
      'heap (65536 KiB)',
      undefined
    ],
    ['redis: Out of memory allocating 1048576 bytes!', 'memory.out-of-memory', null, undefined],
    ['weak main() called. Symbol was not replaced!', 'entry.weak-main', null, undefined]
  ],
  'the ELF loader and the C library': [
    [
      'ERR:  [appelfloader] redis-server: Failed to execute /usr/bin/redis-server: No such file or directory',
      'loader.missing-executable',
      '/usr/bin/redis-server',
      undefined
    ],
    [
      'ERR:  [appelfloader] app: Failed to execute /app: Operation not permitted',
      'loader.bad-executable',
      '/app: Operation not permitted',
      undefined
    ],
    [
      'ERR:  [appelfloader] <elf_load.c @ 1> <interp>: Failed to execute /lib/ld-musl-x86_64.so.1: No such file or directory',
      'loader.missing-interpreter',
      '/lib/ld-musl-x86_64.so.1',
      undefined
    ],
    [
      'ERR:  app: Failed to load program interpreter /lib64/ld-linux-x86-64.so.2: No such file or directory',
      'loader.missing-interpreter',
      '/lib64/ld-linux-x86-64.so.2',
      undefined
    ],
    [
      'ERR:  [appelfloader] go-app: ELF executable is not position-independent!',
      'loader.not-pie',
      'go-app',
      undefined
    ],
    [
      'ERR:  [appelfloader] x: ELF machine type mismatch!\nERR:  [appelfloader] x: Parsing of ELF image failed: Exec format error (-8)',
      'loader.bad-executable',
      'x: ELF machine type mismatch',
      undefined
    ],
    [
      'redis-server: error while loading shared libraries: libssl.so.3: cannot open shared object file: No such file or directory',
      'loader.missing-library',
      'libssl.so.3',
      undefined
    ],
    [
      '2026/11/28 [emerg] 1#1: dlopen() "/usr/lib/nginx/modules/ngx_stream_module.so" failed (/usr/lib/nginx/modules/ngx_stream_module.so: cannot open shared object file: No such file or directory)',
      'loader.missing-library',
      '/usr/lib/nginx/modules/ngx_stream_module.so',
      undefined
    ],
    [
      'Fatal glibc error: cannot set %fs base address for thread-local storage',
      'loader.tls-setup-failed',
      null,
      undefined
    ]
  ],
  'system calls and processes': [
    [
      'dbg:  [libsyscall_shim] <uk_syscall_r.c @ 99> syscall "epoll_pwait2" is not available',
      'syscall.unsupported',
      'epoll_pwait2',
      'warning'
    ],
    [
      'dbg:  [libposix_fdio] System call "memfd_create" is not available (-ENOSYS)',
      'syscall.unsupported',
      'memfd_create',
      'warning'
    ],
    [
      '\x1b[34mpidfd_open\x1b[0m(0x1, 0x0, ...) = \x1b[31mFunction not implemented\x1b[0m (-38)',
      'syscall.unsupported',
      'pidfd_open',
      'warning'
    ],
    [
      '2026/11/28 07:56:37 [alert] 1#1: *1 sendfile() failed (38: Function not implemented) while sending response',
      'syscall.unsupported',
      'sendfile',
      'error'
    ],
    ['io_uring_queue_init: Function not implemented', 'syscall.unsupported', null, 'error'],
    [
      'rseq(0x1, 0x20, ...) = Function not implemented (-38)\nclone3(0x1, 0x58, ...) = Function not implemented (-38)',
      'syscall.tolerated',
      'rseq, clone3',
      'note'
    ],
    [
      '2026/11/28 07:56:37 [emerg] 1#1: fork() failed (95: Operation not supported)',
      'process.fork-unsupported',
      null,
      'error'
    ],
    [
      "1:M 28 Nov 2026 07:56:27.425 # Can't save in background: fork: Operation not supported",
      'process.fork-unsupported',
      null,
      undefined
    ],
    [
      'clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11, NULL, NULL, pid:2, NULL) = Operation not supported (-95)',
      'process.fork-unsupported',
      null,
      undefined
    ],
    [
      'ERR:  [libposix_process] Unsupported resource 6',
      'process.rlimit-unsupported',
      'resource 6',
      'warning'
    ],
    [
      'ERR:  [libposix_process] Ignore updating resource 7: cur = 1, max = 1',
      'process.rlimit-ignored',
      'resource 7',
      'note'
    ]
  ],
  'host, exit status and app failures': [
    [
      'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x0',
      'vmm.kvm-unusable',
      'failed to set MSR 0x10a',
      undefined
    ],
    [
      'KVM internal error. Suberror: 1\nemulation failure',
      'vmm.kvm-unusable',
      'KVM internal error',
      undefined
    ],
    [
      "qemu: could not open kernel file 'build/app_qemu-x86_64': No such file or directory",
      'vmm.kernel-not-found',
      'build/app_qemu-x86_64',
      undefined
    ],
    ['Info: [libukboot] main returned 3', 'app.exit-status', '3', 'error'],
    ['UNIKRAFT_COMPAT_EXIT=0', 'app.exit-status', '0', 'note'],
    ['exit_group(3) = ?', 'app.exit-status', '3', 'error'],
    ['exit3: about to return 0exit_group(0) = ?', 'app.exit-status', '0', 'note'],
    ['Warn: [appelfloader] Application returned error code -1', 'app.exit-status', '-1', 'error'],
    [
      'ERR:  [appelfloader] Program name missing (no argv[1])',
      'loader.missing-executable',
      'no program on the command line',
      undefined
    ],
    [
      'ERR:  [appelfloader] No image found (initrd parameter missing?)',
      'boot.initrd-failed',
      null,
      undefined
    ],
    [
      'ERR:  [libukboot] Init function at 0x1 returned error -12',
      'memory.out-of-memory',
      'an init function ran out (ENOMEM)',
      undefined
    ],
    [
      'nginx: [emerg] socket() [::]:80 failed (97: Address family not supported by protocol)',
      'net.address-family-unsupported',
      'IPv6',
      undefined
    ],
    [
      '[alert] setsockopt(TCP_CORK) failed (92: Protocol not available)',
      'net.option-unsupported',
      'TCP_CORK',
      'warning'
    ],
    ['htop: Cannot open /proc/stat', 'fs.procfs-missing', '/proc/stat', 'warning'],
    [
      'ERR:  [liblwip] something nobody has seen before',
      'kernel.error',
      '[liblwip] something nobody has seen before',
      'warning'
    ]
  ]
}

describe.each(Object.keys(LINES))('hand-varied lines: %s', group => {
  it.each(LINES[group])('%j -> %s', (text, id, detail, severity) => {
    for (const eol of ['\r\n', '\n']) {
      const log = `SeaBIOS (version 1.16.2)\r\nBooting from ROM..Powered by\r\nart\r\nart\r\nart\r\nart\r\nart\r\n   Calypso 0.17.0~484ff209\r\n${text.replace(/\n/g, eol)}${eol}`
      const f = find(diagnose({ console: log }), id)
      expect(f).toBeDefined()
      if (detail !== undefined) expect(f?.detail).toBe(detail)
      expect(f?.severity).toBe(severity ?? f?.severity)
      expect(f?.line).toBeGreaterThanOrEqual(9)
    }
  })
})

describe('lines that must not raise an error', () => {
  it.each([
    'Info: [libkvmplat] <bootinfo.c @ 101>  000000001000-00000000106b 00000000006b rw- 0000000000001000 krnl',
    '[    0.233154] Info: [appelfloader] <conffile.c @   89> Generating /etc/resolv.conf',
    'Warn: [libposix_process] <process.c @  628> pprocess_clone_thread() stubbed',
    '2026/11/28 07:56:37 [error] 1#1: *3 open() "/www/nope" failed (2: No such file or directory)',
    '[    0.000000] random: crng init done; RDRAND is not reliable on this platform, disabling',
    'readlink("/proc/self/exe", <out>buf:0x40027ec50, 4096) = No such file or directory (-2)',
    'mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, fd:-1, 0) = va:0x1000006000',
    'I am forking a new process for you',
    'qemu-system-x86_64: terminating on signal 15 from pid 1234 (node)',
    "qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]",
    'Unikraft halted',
    'Warn: [libukrandom_lcpu] The CPU does not implement RDSEED'
  ])('%s', line => {
    expect(errors(diagnose({ console: `Powered by Unikraft Calypso (0.17.0~1)\n${line}\n` }))).toEqual([])
  })
})

describe('lines interleaved mid-line', () => {
  it('splits a nested trap printed inside a register dump and keeps its raw line number', () => {
    const log = [
      'Powered by Unikraft Calypso (0.17.0~484ff209)',
      '[    0.103088] CRIT: [libkvmplat] <trace.c @   41> RIP: 0000000000124e12 CS: 0008[    0.2] CRIT: [libkvmplat] <traps.c @ 90> Unhandled Trap 13 (general protection), error code=0x0',
      '[    0.103421] CRIT: [libkvmplat] <trace.c @   42> RSP: 0000000000011f50 SS: 0010',
      '[    0.115498] CRIT: [libkvmplat] <traps.c @  113> Crashing'
    ].join('\r\n')
    const findings = diagnose({ console: log })
    expect(find(findings, 'crash.trap')).toMatchObject({ detail: 'general protection', line: 2 })
    expect(find(findings, 'crash.trap')?.evidence).toMatch(/^\[ {4}0\.2\] CRIT: .*Unhandled Trap 13/)
    expect(find(findings, 'crash.other')).toBeUndefined()
    expect(find(findings, 'kernel.error')).toBeUndefined()
  })

  it('finds a kernel error glued to the end of application output', () => {
    const log =
      'Hello from the app, half a line[    0.5] ERR:  [appelfloader] x: Failed to execute /x: No such file or directory\r\n'
    expect(find(diagnose({ console: log }), 'loader.missing-executable')).toMatchObject({
      detail: '/x',
      line: 1
    })
  })
})
