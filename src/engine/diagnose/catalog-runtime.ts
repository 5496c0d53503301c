// Findings of the running program's requests to the kernel: system calls, fork, resource limits.
import { about, type CatalogEntry } from './catalog-entry.js'

export const RUNTIME_FINDINGS = {
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
  }
} satisfies Record<string, CatalogEntry>
