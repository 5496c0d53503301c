// The keywords that pick the console lines worth giving to the rules (console-rules.ts and the
// rules-*.ts families): every line a rule can claim contains one of them, case-insensitively.

/**
 * Lower-case keywords, one of which every line a rule can claim contains (the keyword scanner hands
 * the rules only such lines, plus the lines a rule asks for as context).
 */
export const CONSOLE_KEYWORDS: readonly string[] = [
  // Unikraft's own failure messages are ERR or CRIT lines: these two cover most of them. Library
  // names (`[libkvmplat]`, `[libukcpio]`) must not be keywords: every Info line carries one.
  'err:',
  'crit:',
  // banner and boot (plain printf, or lower levels)
  'powered by',
  'welcome to',
  'unikraft',
  'init function',
  'entropy',
  'hwrng',
  'hardware rng',
  'rdseed',
  'rdrand',
  'find an initrd',
  'cpio header',
  'cpio archive',
  'failed to mount',
  'vfs.rootfs',
  'weak main',
  // loader and C library (glibc prints without a level)
  'failed to execute',
  "can't execute",
  'not found in path',
  'program interpreter',
  'position-independent',
  'shared object',
  'thread-local storage',
  'tls block',
  'dlsym',
  'undefined symbol',
  // system calls and processes
  'function not implemented',
  'enosys',
  'errno',
  'is not available',
  'clone_vm',
  'clone(',
  'fork',
  'unsupported resource',
  'ignore updating resource',
  // crashes (dump lines are CRIT; the crash screen and Linux print without a level)
  'page fault',
  'segfault',
  'trap',
  'assertion',
  'rip:',
  'crashing',
  'kernel panic',
  'fatally exited',
  // memory
  'out of memory',
  'allocate memory',
  'enough memory',
  'enomem',
  'failed to load content',
  'user space heaps',
  'increase heap',
  'thread stack',
  'allocate stack',
  'main thread',
  'page summary memory',
  // host and QEMU
  'kvm kernel module',
  'initialize kvm',
  'kvm internal error',
  'kvm: entry failed',
  'kvm run failed',
  '/dev/kvm',
  'failed to set msr',
  'emulation failure',
  'kernel file',
  'load kernel',
  'pvh elf note',
  'elf kernel',
  'kernel header',
  'qemu-system',
  'qemu:',
  // exit status
  'main returned',
  'application returned',
  'program name missing',
  'unikraft_compat_exit=',
  'exit_group(',
  // app-level failures of known kinds
  'address family not supported',
  'protocol not available',
  '/proc/'
]
