// Findings made from system-call traces (src/engine/trace/trace-findings.ts): the two sides' traces
// aligned call by call, and what a trace showed that the console did not.
import { about, type CatalogEntry } from './catalog-entry.js'

export const TRACE_FINDINGS = {
  'syscall.divergence': {
    severity: 'error',
    meaning:
      'The first system call where Unikraft differs from Linux on the same root filesystem and command: same call, another outcome, or a call Unikraft never reached because the app had stopped; error when the app failed, note when it passed, warning when a probe could not judge. data: syscall, args, linux, unikraft, linuxIndex, unikraftIndex.',
    example:
      'Linux (baseline/strace.log line 212: sendfile(12, 13, [0] => [615], 615) = 615); Unikraft (unikraft-trace/console.log line 418: sendfile(...) = Function not implemented (-38))',
    hint: d =>
      `${about(d, 'This system call')} behaves differently on Unikraft: turn off the app feature that uses it (nginx: \`sendfile off;\`, \`tcp_nopush off;\`), enable the Unikraft library that provides it, or compare the two traces from this call on.`
  },
  'fs.sysfs-missing': {
    severity: 'warning',
    meaning: 'The app opened a /sys path that Unikraft does not have (it has no sysfs); seen in the traces.',
    example: 'openat(AT_FDCWD, "/sys/devices/system/cpu/online", O_RDONLY) = No such file or directory (-2)',
    hint: d =>
      `Unikraft has no sysfs (${about(d, 'the /sys path')}): configure the app not to need it, or ship a static copy of the file in the root filesystem.`
  },
  'trace.unavailable': {
    severity: 'note',
    meaning:
      'A system-call trace was wanted (`trace: always`, or `auto` after a failed run) but could not be taken, e.g. no trace kernel for the version: the run went untraced.',
    example: 'the kernel store has no trace kernel for Unikraft 0.17.0: the run was not traced',
    hint: () =>
      'Give a kernel store holding the `trace` variant of this Unikraft version (`kernel-store`, see docs/setup.md "Kernel stores"), or set `trace: never`.'
  }
} satisfies Record<string, CatalogEntry>
