// Kernel command lines for Unikraft guests: the ELF loader (binary compatibility) and native images.
// Library parameters go before `--`, the program and its arguments after; quoting follows
// ukargparse (lib/ukargparse/argparse.c), which knows '...' and "..." but no backslash escapes.

/** QEMU user networking as seen by lwip: guest address/prefix, gateway, DNS. */
export const USERNET_GUEST_CIDR = '10.0.2.15/24'
export const USERNET_GATEWAY = '10.0.2.2'
export const USERNET_DNS = '10.0.2.3'

/** The ELF loader mounts the initrd as its root filesystem with this fstab entry. */
export const ELFLOADER_FSTAB = 'vfs.fstab=[ "initrd0:/:extract::ramfs=1:" ]'

const NEEDS_QUOTES = /[ \r\n\t\v"']/

/**
 * One argument as ukargparse will read it back. ukargparse splits on space, CR, LF, tab and VT
 * outside quotes and strips quote characters, so: plain words stay as they are; a run without `"`
 * goes in double quotes (where `'` is literal) and a run of `"` in single quotes, the runs
 * concatenated into one word. An empty argument becomes `""`, which Unikraft drops (callers warn).
 */
export function quoteUnikraftArg(arg: string): string {
  if (arg === '') return '""'
  if (!NEEDS_QUOTES.test(arg)) return arg
  return (arg.match(/[^"]+|"+/g) ?? []).map(run => (run.startsWith('"') ? `'${run}'` : `"${run}"`)).join('')
}

export interface UnikraftCmdlineInput {
  /** 'elfloader': kernel + cpio root filesystem; 'native': an application built into the kernel. */
  mode: 'elfloader' | 'native'
  /** ELF loader: the program path and its arguments; native: the application's arguments. */
  cmd: readonly string[]
  env?: Readonly<Record<string, string>>
  /** Adds `netdev.ip=...` for lwip (QEMU user networking addresses). */
  network?: boolean
}

export interface UnikraftCmdline {
  cmdline: string
  /** Things that will not reach the guest as written (e.g. empty arguments). */
  warnings: string[]
}

function envVars(env: Readonly<Record<string, string>>): string | null {
  const entries = Object.entries(env)
  if (entries.length === 0) return null
  // Each element must stay one ukargparse word whatever it holds, so it is always quoted.
  return `env.vars=[ ${entries.map(([k, v]) => quoteWord(`${k}=${v}`)).join(' ')} ]`
}

/** Like quoteUnikraftArg, but always quoted (array elements are written `"K=V"`). */
function quoteWord(s: string): string {
  return s.includes('"') || s === '' ? quoteUnikraftArg(s) : `"${s}"`
}

/** The positions of empty arguments, which Unikraft's command line cannot carry (uk_argnparse drops them). */
export function emptyArgumentIndexes(cmd: readonly string[]): number[] {
  return cmd.flatMap((a, i) => (a === '' ? [i] : []))
}

export function buildUnikraftCmdline(input: UnikraftCmdlineInput): UnikraftCmdline {
  const warnings = emptyArgumentIndexes(input.cmd).map(
    i =>
      `argument ${i} of the command is empty: Unikraft drops empty arguments from its command line, ` +
      'so the program will not see it'
  )
  const params: string[] = []
  if (input.network) params.push(`netdev.ip=${USERNET_GUEST_CIDR}:${USERNET_GATEWAY}:${USERNET_DNS}`)
  if (input.mode === 'elfloader') params.push(ELFLOADER_FSTAB)
  const vars = envVars(input.env ?? {})
  if (vars) params.push(vars)
  const args = input.cmd.map(quoteUnikraftArg)
  // A native image without library parameters takes its arguments as they are (no `--`), unless
  // one of them is `--` itself, which uklibparam would otherwise eat as the separator.
  const needsSeparator = params.length > 0 || input.mode === 'elfloader' || input.cmd.includes('--')
  const parts = needsSeparator ? [...params, '--', ...args] : args
  return { cmdline: parts.join(' '), warnings }
}
