// The kraft command lines this project runs, as argv arrays (never through a shell). `--no-prompt`
// and `--log-type` are persistent flags of kraft's root command (unikraft/kraftkit: config/config.go,
// registered by cmdfactory.AttributeFlags on the root), so every subcommand takes them.
import type { AccelRequest } from '../vm/vm-types.js'

/** Global flags, placed after the subcommand path (`kraft run --no-prompt --log-type basic ...`). */
export const KRAFT_GLOBAL_FLAGS: readonly string[] = ['--no-prompt', '--log-type', 'basic']

/** `[kraft, ...command, --no-prompt, --log-type, basic, ...args]`. */
export function kraftArgv(kraftPath: string, command: readonly string[], args: readonly string[]): string[] {
  return [kraftPath, ...command, ...KRAFT_GLOBAL_FLAGS, ...args]
}

export interface KraftRunArgs {
  kraftPath: string
  /** A kernel image, or a project directory with a Kraftfile. */
  target: string
  /** A cpio root filesystem (`--rootfs`). */
  initrd?: string
  /** The program and its arguments (after `--`). */
  cmd: string[]
  env: Record<string, string>
  memoryMiB: number
  /** Host ports must be chosen already. */
  ports: { host: number; guest: number }[]
  accel: AccelRequest
  name: string
  /** Extra kernel arguments (`-a`); empty by default so kraft's own command line is used as is. */
  kernelArgs?: string[]
}

/** `kraft run -d --rm -M <mem>Mi -p H:G --plat qemu --arch x86_64 -n NAME [-W] [--rootfs CPIO] [-e K=V] TARGET [-- CMD]`. */
export function kraftRunArgv(a: KraftRunArgs): string[] {
  return kraftArgv(
    a.kraftPath,
    ['run'],
    [
      '-d',
      '--rm',
      '-M',
      `${a.memoryMiB}Mi`,
      ...a.ports.flatMap(p => ['-p', `${p.host}:${p.guest}`]),
      '--plat',
      'qemu',
      '--arch',
      'x86_64',
      '-n',
      a.name,
      ...(a.accel === 'tcg' ? ['-W'] : []),
      ...(a.initrd ? ['--rootfs', a.initrd] : []),
      ...Object.entries(a.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      ...(a.kernelArgs ?? []).flatMap(arg => ['-a', arg]),
      a.target,
      ...(a.cmd.length > 0 ? ['--', ...a.cmd] : [])
    ]
  )
}

/** `kraft ps -a -l -o json --plat qemu`: `-l` adds the machine id that names its state directory. */
export function kraftPsArgv(kraftPath: string): string[] {
  return kraftArgv(kraftPath, ['ps'], ['-a', '-l', '-o', 'json', '--plat', 'qemu'])
}

export function kraftStopArgv(kraftPath: string, name: string): string[] {
  return kraftArgv(kraftPath, ['stop'], [name])
}

export function kraftRmArgv(kraftPath: string, name: string): string[] {
  return kraftArgv(kraftPath, ['rm'], [name])
}
