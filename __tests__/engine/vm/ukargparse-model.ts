// A line-by-line TypeScript model of Unikraft's uk_argnparse (lib/ukargparse/argparse.c), so the
// quoting tests check what the guest will really read back, not what we hope it reads.
export function ukArgParse(cmdline: string): string[] {
  const buf = [...cmdline]
  const argv: string[] = []
  let current: string[] | null = null
  let inQuote = ''
  let prevSpace = true
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]
    if ((c === ' ' || c === '\r' || c === '\n' || c === '\t' || c === '\v') && !inQuote) {
      prevSpace = true
      current = null
      continue
    }
    if (c === "'" || c === '"') {
      if (!inQuote) {
        inQuote = c // the quote is shifted out of the buffer, it never starts an argument
        continue
      }
      if (inQuote === c) {
        inQuote = ''
        continue
      }
    }
    if (prevSpace || current === null) {
      current = []
      argv.push('')
      prevSpace = false
    }
    argv[argv.length - 1] += c
  }
  return argv
}

/** The application's argv: everything after the first `--` (uklibparam), or all when there is none. */
export function ukAppArgs(cmdline: string): string[] {
  const args = ukArgParse(cmdline)
  const sep = args.indexOf('--')
  return sep < 0 ? args : args.slice(sep + 1)
}
