// Every finding id diagnosis can produce: default severity, meaning, a typical evidence line and the
// hint shown to the user. docs/findings.md documents the same table (a test keeps them in step).
import type { Severity } from '../finding.js'

export interface CatalogEntry {
  severity: Severity
  /** What the finding means, one sentence. */
  meaning: string
  /** A typical evidence line. */
  example: string
  /** What to do; `detail` is the finding's detail (library name, trap name, ...) when known. */
  hint: (detail: string | null) => string
}

const about = (detail: string | null, fallback: string): string => detail ?? fallback

export const FINDINGS = {
  'boot.banner': {
    severity: 'note',
    meaning: 'Unikraft booted past its init table; detail and data carry version, codename and commit.',
    example: '                Calypso 0.17.0~484ff209',
    hint: () => 'Nothing to fix: this records which Unikraft release ran.'
  },
  'boot.no-output': {
    severity: 'error',
    meaning: 'The kernel printed nothing: not a bootable image, not loaded, or a hung accelerator.',
    example: '(console holds only SeaBIOS/iPXE text)',
    hint: d =>
      (d ? `QEMU said: ${d}. ` : '') +
      'Check that the kernel is a Unikraft image built for qemu/x86_64 (a multiboot ELF) or, for the ' +
      'baseline, a Linux bzImage; that QEMU could load it (see its stderr); and that the accelerator ' +
      'works: retry with `accel: tcg`.'
  },
  'boot.init-failed': {
    severity: 'error',
    meaning: 'An init function returned an error before the banner; the system did not boot.',
    example: 'ERR:  [libukboot] <boot.c @  427> Init function at 0x1246f0 returned error -95',
    hint: d =>
      `An init function failed with ${about(d, 'an error')}; the lines just above it name the library. ` +
      'Common causes: no hardware RNG (boot.rng-unavailable), too little memory to unpack the root ' +
      'filesystem (memory.out-of-memory), an unreadable initrd (boot.initrd-failed).'
  },
  'boot.rng-unavailable': {
    severity: 'error',
    meaning: 'No hardware RNG: Unikraft 0.17+ needs RDRAND and RDSEED, which this QEMU/CPU does not offer.',
    example: 'ERR:  [libukrandom] <random.c @   65> Could not initialize the HWRNG (-95)',
    hint: () =>
      'Unikraft 0.17+ needs RDRAND and RDSEED on x86_64. Under TCG use QEMU >= 8.1.3 with `-cpu max` ' +
      "(Debian 12's QEMU 7.2 cannot; bookworm-backports has 10.0), or run with KVM, or use a " +
      'Unikraft 0.16 image.'
  },
  'boot.initrd-failed': {
    severity: 'error',
    meaning: 'The root filesystem (initrd) could not be found, mounted or unpacked.',
    example: 'ERR:  [libukcpio] ... Bad magic number in CPIO header',
    hint: () =>
      'Pass the root filesystem as an uncompressed newc cpio with `-initrd` and mount it with ' +
      '`vfs.fstab=[ "initrd0:/:extract::ramfs=1:" ]` before `--` on the kernel command line; ' +
      '"Bad magic number" means the archive is not newc cpio (or is compressed).'
  },
  'entry.weak-main': {
    severity: 'error',
    meaning: 'The image has no application main(): the weak default ran instead.',
    example: 'weak main() called. Symbol was not replaced!',
    hint: () =>
      "Link the application into the image (the Makefile/Kraftfile must list the app's sources or " +
      'library); to run a Linux binary use the ELF loader image (app-elfloader) with the program after `--`.'
  },
  'loader.missing-executable': {
    severity: 'error',
    meaning: 'The program named on the command line does not exist in the root filesystem.',
    example: 'ERR:  [appelfloader] ... hello: Failed to execute /hello: No such file or directory',
    hint: d =>
      `${about(d, 'The program')} is not in the root filesystem: check \`cmd\` (an absolute path ` +
      'inside the root filesystem, case-sensitive) and that the file, and every symlink on the way, ' +
      'is in the archive.'
  },
  'loader.not-pie': {
    severity: 'error',
    meaning: 'The executable is not position-independent; the ELF loader runs only PIE (ET_DYN) programs.',
    example: 'hello-nopie: ELF executable is not position-independent!',
    hint: d =>
      `Rebuild ${about(d, 'the program')} as a position-independent executable: \`-fPIE -pie\` ` +
      '(the default of Debian/Ubuntu compilers), `-static-pie` for static binaries, ' +
      '`-buildmode=pie` for Go.'
  },
  'loader.bad-executable': {
    severity: 'error',
    meaning: 'The ELF loader could not open or parse the program (format, machine, ABI or permissions).',
    example: 'hello: Parsing of ELF image failed: Exec format error (-8)',
    hint: d =>
      `The ELF loader rejected ${about(d, 'the program')}. It runs x86_64 Linux ELF executables ` +
      '(PIE, ELFOSABI_LINUX or NONE) with the execute bit; a script needs its interpreter as the ' +
      'program (`/bin/sh /app/run.sh`).'
  },
  'loader.missing-interpreter': {
    severity: 'error',
    meaning: 'The dynamic loader the executable asks for is not in the root filesystem.',
    example:
      'hello: Failed to load program interpreter /lib64/ld-linux-x86-64.so.2: No such file or directory',
    hint: d =>
      `Copy the dynamic loader ${about(d, '(PT_INTERP)')} into the root filesystem at that path, ` +
      'with the shared libraries the program needs (`ldd <program>`), or link the program statically ' +
      '(`-static-pie`).'
  },
  'loader.missing-library': {
    severity: 'error',
    meaning: 'A shared library the program needs is not in the root filesystem.',
    example: 'hello: error while loading shared libraries: libssl.so.3: cannot open shared object file',
    hint: d =>
      `Copy ${about(d, 'the library')} and its own dependencies (\`ldd <program>\` on the same ` +
      'distribution) into the root filesystem where the loader searches (/lib/x86_64-linux-gnu, ' +
      '/usr/lib/x86_64-linux-gnu, /lib64), or point LD_LIBRARY_PATH at them with `env`.'
  },
  'loader.tls-setup-failed': {
    severity: 'error',
    meaning: 'The C library could not set up thread-local storage (arch_prctl(ARCH_SET_FS) missing).',
    example: 'cannot set %fs base address for thread-local storage',
    hint: () =>
      'The image lacks the TLS support glibc needs: use an ELF-loader image built with the ' +
      'system-call shim handler and userland TLS (CONFIG_LIBSYSCALL_SHIM_HANDLER_ULTLS), e.g. the ' +
      'catalog base image, or a newer Unikraft.'
  },
  'syscall.unsupported': {
    severity: 'error',
    meaning:
      'System calls the app needed returned ENOSYS: error when the app reported it, warning when ' +
      'only the kernel trace shows it.',
    example: 'io_uring_setup(0x4, 0x0, ...) = Function not implemented (-38)',
    hint: d =>
      `Unikraft does not implement ${about(d, 'a system call the app used')}. Turn off the app ` +
      'feature that needs it (many apps fall back), use a Unikraft build whose libraries provide it, ' +
      'or allow-list `syscall.unsupported` if the app copes.'
  },
  'syscall.tolerated': {
    severity: 'note',
    meaning: 'System calls glibc probes at every start and does without (set_robust_list, rseq, clone3).',
    example: 'rseq(0x400400ca0, 0x20, ...) = Function not implemented (-38)',
    hint: () => 'Harmless: glibc falls back when these are missing.'
  },
  'process.fork-unsupported': {
    severity: 'error',
    meaning: 'The app tried to fork; Unikraft runs a single process (a known limitation).',
    example:
      'Cloning thread without CLONE_VM being set: Creating of new address spaces are currently not supported.',
    hint: () =>
      'Run the app in the foreground without worker processes (redis: `daemonize no`, no BGSAVE or ' +
      '`save ""`; nginx: `daemon off; master_process off;`). If it keeps working, allow-list ' +
      '`process.fork-unsupported`.'
  },
  'process.rlimit-unsupported': {
    severity: 'warning',
    meaning: 'Unikraft rejected a resource limit the app set (setrlimit/prlimit).',
    example: 'ERR:  [libposix_process] Unsupported resource 6',
    hint: d =>
      `Unikraft does not support this resource limit${d ? ` (${d})` : ''}; usually harmless. If the app ` +
      'stops on it, remove or lower the limit in its configuration.'
  },
  'process.rlimit-ignored': {
    severity: 'note',
    meaning:
      'Unikraft ignored a resource limit update (ERR-level line, harmless; redis prints it on every start).',
    example: 'ERR:  [libposix_process] ... Ignore updating resource 7: cur = 10032, max = 10032',
    hint: () => 'Harmless: Unikraft does not enforce this limit.'
  },
  'crash.page-fault': {
    severity: 'error',
    meaning: 'The guest crashed on a page fault (an access to an unmapped address).',
    example: 'CRIT: [libukvmem] ... Cannot handle write page fault at 0x0 (ec: 0x2): Bad address (14).',
    hint: d =>
      `A page fault (${about(d, 'unmapped address')}) stopped the guest: at 0x0 it is a NULL pointer, ` +
      'often an error return the app did not check after an unsupported call. Compare with the Linux ' +
      'baseline and resolve RIP with `addr2line -e <image>.dbg <RIP>`.'
  },
  'crash.trap': {
    severity: 'error',
    meaning: 'The guest crashed on an unhandled CPU trap; detail is the trap name.',
    example: 'CRIT: [libkvmplat] ... Unhandled Trap 6 (invalid opcode), error code=0x0',
    hint: d => {
      const name = (d ?? '').toLowerCase()
      const why = name.includes('invalid opcode')
        ? 'usually the code uses an instruction the virtual CPU lacks (use `-cpu max` or KVM, or build for x86-64-v1). '
        : name.includes('general protection')
          ? 'usually a bad pointer or a privileged instruction. '
          : name.includes('divide')
            ? 'a division by zero. '
            : 'see the register dump. '
      return `The CPU raised ${d ? `"${d}"` : 'a trap'}: ${why}Resolve RIP with \`addr2line -e <image>.dbg <RIP>\`.`
    }
  },
  'crash.assertion': {
    severity: 'error',
    meaning: 'An assertion failed; detail is the asserted expression.',
    example: 'CRIT: [appvariant] <main.c @    7> Assertion failure: argc == 42',
    hint: d =>
      `The assertion${d ? ` \`${d}\`` : ''} names the broken assumption; check the configuration and ` +
      'arguments that lead there, or report it to the library named in the line.'
  },
  'crash.other': {
    severity: 'error',
    meaning:
      'The guest crashed (register dump and "Crashing", a crash screen or a panic) with no named cause.',
    example: 'CRIT: [libkvmplat] <trace.c @   41> RIP: 0000000000124e12 CS: 0008',
    hint: d =>
      `The guest crashed without naming the cause${d ? ` (${d})` : ''}. In native images a page ` +
      'fault prints no headline: resolve RIP with `addr2line -e <image>.dbg <RIP>`; raise the log ' +
      'level (CONFIG_LIBUKDEBUG_PRINTK_INFO) for more context.'
  },
  'memory.out-of-memory': {
    severity: 'error',
    meaning: 'The guest ran out of memory (for example while unpacking the root filesystem).',
    example: 'ERR:  [libukcpio] ... Failed to load content: Input/output error (5)',
    hint: d =>
      `Out of memory${d ? ` (${d})` : ''}: give the guest more (\`memory: 256M\` or more). The root ` +
      'filesystem is unpacked into RAM, so memory must exceed its size plus what the app uses.'
  },
  'net.address-family-unsupported': {
    severity: 'error',
    meaning:
      'The app used an address family the image lacks: IPv6 (a [::] listener) or Unix domain sockets (socketpair, AF_UNIX).',
    example: '[emerg] socket() [::]:80 failed (97: Address family not supported by protocol)',
    hint: d =>
      d === 'AF_UNIX'
        ? 'The image has no Unix domain sockets (AF_UNIX): build Unikraft with posix-unixsocket ' +
          '(CONFIG_LIBPOSIX_UNIXSOCKET) if the app needs them. nginx only uses a socketpair for its ' +
          'worker channel and carries on in single-process mode.'
        : 'The image has no IPv6: listen on IPv4 only (nginx: drop `listen [::]:80`), or build the ' +
          'network stack with IPv6.'
  },
  'net.option-unsupported': {
    severity: 'warning',
    meaning: 'The network stack does not support a socket option the app set.',
    example: 'setsockopt(TCP_CORK) failed (92: Protocol not available)',
    hint: d =>
      `The network stack lacks ${about(d, 'this socket option')}: turn the feature off in the ` +
      "app's configuration (nginx: `tcp_nopush off`)."
  },
  'fs.procfs-missing': {
    severity: 'warning',
    meaning: 'The app read /proc, which Unikraft does not provide.',
    example: 'Cannot open /proc/stat',
    hint: d =>
      `Unikraft has no /proc (the app wanted ${about(d, 'a /proc file')}): configure the app not ` +
      'to need it, or ship a static copy of the file in the root filesystem.'
  },
  'kernel.error': {
    severity: 'warning',
    meaning: 'An ERR or CRIT kernel line that no rule recognises.',
    example: 'ERR:  [liblwip] ... <some message>',
    hint: () =>
      'Read the line: the library in brackets names the subsystem. If it is harmless for this app, ' +
      'allow-list `kernel.error`.'
  },
  'vmm.kvm-unusable': {
    severity: 'error',
    meaning: 'KVM is present but unusable (permission, MSR abort, emulation failure).',
    example: 'Could not access KVM kernel module: Permission denied',
    hint: () =>
      'Use TCG (`accel: tcg`), or make KVM usable: the runner user needs read/write on /dev/kvm ' +
      "(GitHub-hosted runners: add the kvm udev rule, see the README); MSR errors and 'emulation " +
      "failure' mean nested KVM that does not work: use TCG."
  },
  'vmm.kernel-not-found': {
    severity: 'error',
    meaning: 'QEMU could not open the kernel file.',
    example: "qemu: could not open kernel file 'build/app_qemu-x86_64': No such file or directory",
    hint: d =>
      `QEMU could not open ${about(d, 'the kernel')}: check the \`kernel\` input (path relative to ` +
      'the workspace) and that the build produced the file.'
  },
  'vmm.qemu-error': {
    severity: 'error',
    meaning: 'QEMU failed to start or run the guest for a reason of its own.',
    example: "qemu-system-x86_64: -netdev user,...: Could not set up host forwarding rule 'tcp::8080-:80'",
    hint: d =>
      `QEMU failed: ${about(d, 'see its stderr')}. Fix what it names (a host port already in use, a ` +
      'bad option, missing firmware).'
  },
  'app.exit-status': {
    severity: 'note',
    meaning: "The program's exit status, when the log shows it (error when not 0).",
    example: 'Info: [libukboot] <boot.c @  544> main returned 0',
    hint: d =>
      d === '0'
        ? 'The program finished successfully.'
        : `The program exited with status ${about(d, '?')}: its own output just above says why; ` +
          'compare with the Linux baseline.'
  },
  'probe.failed': {
    severity: 'error',
    meaning: 'A probe (TCP, HTTP, redis, console pattern, exit status) did not pass.',
    example: 'http:80/ failed: connection reset',
    hint: () =>
      'The app did not answer as expected: the other findings usually say why. If it booted and ' +
      'shows no error, check it listens on 0.0.0.0 and the probed port, or raise `timeout` (TCG is slow).'
  },
  // Found before boot (preflight, src/engine/rootfs/preflight.ts) or by the pipeline itself; listed
  // here so that every id the product emits has one documented meaning and severity.
  'loader.not-elf': {
    severity: 'error',
    meaning:
      'Preflight: the command is neither an ELF program nor a #! script, or its ELF header is damaged.',
    example: '/app is neither an ELF program nor a #! script (it starts with "hello")',
    hint: () =>
      'Point cmd at the program itself (an x86-64 ELF executable), and copy it again if it is truncated.'
  },
  'loader.wrong-arch': {
    severity: 'error',
    meaning: 'Preflight: the command is an ELF program for another architecture than the guest.',
    example: '/hello is an ELF program for AArch64, the guest is x86_64',
    hint: d => `Build or copy the x86-64 build of ${about(d, 'the program')}: the guest runs x86_64 only.`
  },
  'rootfs.empty': {
    severity: 'error',
    meaning: 'Preflight: the root filesystem holds nothing to boot.',
    example: 'the root filesystem is empty',
    hint: () =>
      'Nothing to boot: check the rootfs source (a Dockerfile whose last stage copies nothing, an empty directory or archive).'
  },
  'rootfs.symlink-loop': {
    severity: 'error',
    meaning:
      'Preflight: resolving the command or a library inside the root filesystem runs into a symlink loop.',
    example: '/usr/bin/app -> /usr/bin/app2 -> /usr/bin/app',
    hint: () => 'Fix the symlinks in the root filesystem so each ends at a real file inside it.'
  },
  'setup.unikraft-unavailable': {
    severity: 'warning',
    meaning:
      'No Unikraft kernel could be had (no `kernel` given, unikraft.org or github.com unreachable); the CLI ran the Linux baseline instead.',
    example: 'could not download https://github.com/unikraft/kraftkit/releases/...: ENOTFOUND',
    hint: () =>
      'Pass a prebuilt Unikraft ELF-loader image with --kernel PATH (input `kernel`), or run where unikraft.org and github.com are reachable.'
  },
  'config.empty-argument': {
    severity: 'warning',
    meaning:
      "An argument of the command is the empty string: Unikraft's command-line parser drops empty arguments, so the program sees fewer arguments than on Linux.",
    example: "argument 2 of the command is empty: ['/usr/bin/app', '--name', '']",
    hint: () =>
      'Unikraft cannot pass an empty argument: leave it out or give it a value (many programs accept `--opt=` or a default instead).'
  },
  'config.invalid': {
    severity: 'error',
    meaning:
      'An input or config value was found wrong while the check ran (for example a Dockerfile that does not build).',
    example: "Input 'rootfs' names a Dockerfile whose build failed at Dockerfile:7",
    hint: () => 'Fix the input or config key named in the message (the build log is in the artifacts).'
  }
} satisfies Record<string, CatalogEntry>

export type FindingId = keyof typeof FINDINGS

export const FINDING_IDS = Object.keys(FINDINGS) as FindingId[]

export function hintFor(id: FindingId, detail: string | null): string {
  return FINDINGS[id].hint(detail)
}
