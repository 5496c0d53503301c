// The captured real runs (../../__fixtures__/unikraft-logs/expected.json): their exact QEMU argv,
// and the command each was started with (the part of the input the argv does not spell out).
import { readFileSync } from 'node:fs'

export interface CapturedRun {
  qemu_argv: string[]
  qemu_exit: number
}

export const capturedRuns = JSON.parse(
  readFileSync(new URL('../../../__fixtures__/unikraft-logs/expected.json', import.meta.url), 'utf8')
) as Record<string, CapturedRun>

export interface CapturedCommand {
  mode: 'elfloader' | 'native'
  cmd: string[]
  network?: boolean
  env?: Record<string, string>
}

/** Per run with a rootfs or arguments; runs not listed are native images started without arguments. */
export const capturedCommands: Record<string, CapturedCommand> = {
  'elfloader-static-hello': { mode: 'elfloader', cmd: ['/hello', 'arg1', 'arg 2'] },
  'elfloader-missing-interp': { mode: 'elfloader', cmd: ['/hello'] },
  'elfloader-missing-lib': { mode: 'elfloader', cmd: ['/hello'] },
  'elfloader-oom-m8-initrd-extract': { mode: 'elfloader', cmd: ['/hello'] },
  'elfloader-static-nopie': { mode: 'elfloader', cmd: ['/hello-nopie'] },
  'elfloader-strace-unsupported-syscall': { mode: 'elfloader', cmd: ['/unsup'] },
  nginx: {
    mode: 'elfloader',
    network: true,
    cmd: ['/usr/sbin/nginx', '-e', 'stderr', '-c', '/etc/nginx/nginx.conf']
  },
  'nginx-socketpair-af-unix': {
    mode: 'elfloader',
    network: true,
    cmd: ['/usr/sbin/nginx', '-c', '/etc/nginx/nginx.conf'],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }
  },
  'redis-ping-run1': {
    mode: 'elfloader',
    network: true,
    cmd: [
      '/usr/bin/redis-server',
      '--protected-mode',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
      '--bind',
      '0.0.0.0'
    ]
  },
  'redis-debian-conf-daemonize-lwip-strace-info': {
    mode: 'elfloader',
    network: true,
    cmd: ['/usr/bin/redis-server', '/etc/redis/redis.conf']
  },
  'helloworld-info-tcg': { mode: 'native', cmd: ['arg1', 'arg2'] }
}

export function commandOf(name: string): CapturedCommand {
  return capturedCommands[name] ?? { mode: 'native', cmd: [] }
}

export function valueAfter(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag)
  return i < 0 ? undefined : argv[i + 1]
}
