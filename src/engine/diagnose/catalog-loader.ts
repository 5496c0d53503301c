// Findings of the ELF loader and the C library's dynamic loader: the program, its interpreter, its
// shared libraries and symbols, thread-local storage.
import { about, type CatalogEntry } from './catalog-entry.js'

export const LOADER_FINDINGS = {
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
  'loader.symbol-not-found': {
    severity: 'error',
    meaning:
      "A symbol lookup failed: dlsym() found nothing, or the dynamic loader found no definition (warning when the program only lost a feature, e.g. jemalloc's background threads).",
    example: '<jemalloc>: Error in dlsym(RTLD_NEXT, "pthread_create"). Cannot enable background_thread',
    hint: d =>
      `The program could not look up ${about(d, 'a symbol')}. In a statically linked program (static ` +
      'PIE) dlsym() finds nothing, so jemalloc runs without background threads (harmless unless the ' +
      'app enables them: redis `jemalloc-bg-thread no`); link it dynamically and ship its libraries ' +
      'to get them. "undefined symbol" means a library of another version than the program was ' +
      'built against: copy the libraries from the same distribution release as the program.'
  }
} satisfies Record<string, CatalogEntry>
