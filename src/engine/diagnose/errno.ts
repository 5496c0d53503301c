// Names of the Linux errno values Unikraft boot and loader messages print as numbers (`-95`).

const NAMES: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  5: 'EIO',
  8: 'ENOEXEC',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  16: 'EBUSY',
  17: 'EEXIST',
  19: 'ENODEV',
  22: 'EINVAL',
  28: 'ENOSPC',
  38: 'ENOSYS',
  95: 'EOPNOTSUPP',
  110: 'ETIMEDOUT'
}

/** `-95` -> `-95 (EOPNOTSUPP)`; unknown numbers are shown as they are. */
export function describeErrno(code: string): string {
  const name = NAMES[Math.abs(Number(code))]
  return name ? `${code} (${name})` : code
}
