// Names of the Linux errno values: Unikraft's boot and loader messages print them as numbers
// (`-95`), its syscall trace as `(-38)`, strace as names.

/** Linux errno numbers and names (asm-generic/errno*.h), for log messages and both tracers' results. */
const NAMES: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  3: 'ESRCH',
  4: 'EINTR',
  5: 'EIO',
  6: 'ENXIO',
  7: 'E2BIG',
  8: 'ENOEXEC',
  9: 'EBADF',
  10: 'ECHILD',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  16: 'EBUSY',
  17: 'EEXIST',
  18: 'EXDEV',
  19: 'ENODEV',
  20: 'ENOTDIR',
  21: 'EISDIR',
  22: 'EINVAL',
  23: 'ENFILE',
  24: 'EMFILE',
  25: 'ENOTTY',
  26: 'ETXTBSY',
  27: 'EFBIG',
  28: 'ENOSPC',
  29: 'ESPIPE',
  30: 'EROFS',
  31: 'EMLINK',
  32: 'EPIPE',
  33: 'EDOM',
  34: 'ERANGE',
  36: 'ENAMETOOLONG',
  38: 'ENOSYS',
  39: 'ENOTEMPTY',
  40: 'ELOOP',
  61: 'ENODATA',
  75: 'EOVERFLOW',
  88: 'ENOTSOCK',
  92: 'ENOPROTOOPT',
  93: 'EPROTONOSUPPORT',
  95: 'EOPNOTSUPP',
  97: 'EAFNOSUPPORT',
  98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL',
  101: 'ENETUNREACH',
  104: 'ECONNRESET',
  107: 'ENOTCONN',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  115: 'EINPROGRESS'
}

const CODES = new Map(Object.entries(NAMES).map(([n, name]) => [name, Number(n)]))

/** `ENOSYS` for 38; an unknown number as `E<n>`. */
export function errnoName(code: number): string {
  return NAMES[code] ?? `E${code}`
}

/** 38 for `ENOSYS`, or null. */
export function errnoCode(name: string): number | null {
  return CODES.get(name) ?? null
}

/** `-95` -> `-95 (EOPNOTSUPP)`; unknown numbers are shown as they are. */
export function describeErrno(code: string): string {
  const name = NAMES[Math.abs(Number(code))]
  return name ? `${code} (${name})` : code
}
