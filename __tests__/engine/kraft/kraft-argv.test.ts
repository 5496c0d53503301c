import { describe, expect, it } from '@jest/globals'
import {
  KRAFT_GLOBAL_FLAGS,
  kraftArgv,
  kraftPsArgv,
  kraftRmArgv,
  kraftRunArgv,
  kraftStopArgv,
  type KraftRunArgs
} from '../../../src/engine/kraft/kraft-argv.js'
import { kraftEnv } from '../../../src/engine/kraft/kraft-env.js'
import {
  builtKernelPath,
  kraftBuildArgv,
  kraftPullArgv,
  pulledKernelPath
} from '../../../src/engine/kraft/kraft-kernel.js'

const G = ['--no-prompt', '--log-type', 'basic']

describe('kraft non-interactive settings', () => {
  it('environment', () => {
    expect(kraftEnv()).toEqual({
      KRAFTKIT_NO_CHECK_UPDATES: 'true',
      KRAFTKIT_NO_WARN_SUDO: 'true',
      KRAFTKIT_NO_PROMPT: 'true'
    })
    expect(kraftEnv({ runtimeDir: '/tmp/r' })).toMatchObject({ KRAFTKIT_RUNTIME_DIR: '/tmp/r' })
  })

  it('global flags go after the subcommand path', () => {
    expect(KRAFT_GLOBAL_FLAGS).toEqual(G)
    expect(kraftArgv('/k/kraft', ['pkg', 'pull'], ['x'])).toEqual(['/k/kraft', 'pkg', 'pull', ...G, 'x'])
  })
})

describe('kernel commands', () => {
  it.each([
    [
      { dir: '/w/base' },
      [
        'kraft',
        'pkg',
        'pull',
        ...G,
        '--plat',
        'qemu',
        '--arch',
        'x86_64',
        '-w',
        '/w/base',
        'unikraft.org/base:latest'
      ]
    ],
    [
      { dir: '/w b/base', kraftPath: '/opt/kraft' },
      [
        '/opt/kraft',
        'pkg',
        'pull',
        ...G,
        '--plat',
        'qemu',
        '--arch',
        'x86_64',
        '-w',
        '/w b/base',
        'unikraft.org/base:latest'
      ]
    ]
  ])('kraftPullArgv(%j)', (o, argv) => {
    expect(kraftPullArgv(o)).toEqual(argv)
  })

  it('kraftBuildArgv', () => {
    expect(kraftBuildArgv({ dir: '/w/p', kraftPath: '/opt/kraft' })).toEqual([
      '/opt/kraft',
      'build',
      ...G,
      '--plat',
      'qemu',
      '--arch',
      'x86_64',
      '/w/p'
    ])
  })

  it.each([
    [pulledKernelPath('/w/base'), '/w/base/unikraft/bin/kernel'],
    [builtKernelPath('/w/p'), '/w/p/.unikraft/build/elfloader_qemu-x86_64'],
    [builtKernelPath('/w/p', { name: 'nginx' }), '/w/p/.unikraft/build/nginx_qemu-x86_64']
  ])('%s', (got, want) => {
    expect(got).toBe(want)
  })
})

describe('kraftRunArgv', () => {
  const base: KraftRunArgs = {
    kraftPath: 'kraft',
    target: '/w/base/unikraft/bin/kernel',
    cmd: [],
    env: {},
    memoryMiB: 256,
    ports: [],
    accel: 'auto',
    name: 'ukc-1'
  }
  const head = ['kraft', 'run', ...G, '-d', '--rm']

  it.each<[string, Partial<KraftRunArgs>, string[]]>([
    [
      'minimal',
      {},
      [
        ...head,
        '-M',
        '256Mi',
        '--plat',
        'qemu',
        '--arch',
        'x86_64',
        '-n',
        'ukc-1',
        '/w/base/unikraft/bin/kernel'
      ]
    ],
    [
      'tcg adds -W',
      { accel: 'tcg' },
      [
        ...head,
        '-M',
        '256Mi',
        '--plat',
        'qemu',
        '--arch',
        'x86_64',
        '-n',
        'ukc-1',
        '-W',
        '/w/base/unikraft/bin/kernel'
      ]
    ],
    [
      'kvm does not',
      { accel: 'kvm', memoryMiB: 64 },
      [
        ...head,
        '-M',
        '64Mi',
        '--plat',
        'qemu',
        '--arch',
        'x86_64',
        '-n',
        'ukc-1',
        '/w/base/unikraft/bin/kernel'
      ]
    ],
    [
      'ports, rootfs, env, program',
      {
        ports: [
          { host: 16379, guest: 6379 },
          { host: 8080, guest: 80 }
        ],
        initrd: '/w/rootfs.cpio',
        env: { A: '1', B: 'x y,z' },
        cmd: ['/usr/bin/redis-server', '--port', '6379', '$(touch pwned)']
      },
      [
        ...head,
        '-M',
        '256Mi',
        '-p',
        '16379:6379',
        '-p',
        '8080:80',
        '--plat',
        'qemu',
        '--arch',
        'x86_64',
        '-n',
        'ukc-1',
        '--rootfs',
        '/w/rootfs.cpio',
        '-e',
        'A=1',
        '-e',
        'B=x y,z',
        '/w/base/unikraft/bin/kernel',
        '--',
        '/usr/bin/redis-server',
        '--port',
        '6379',
        '$(touch pwned)'
      ]
    ],
    [
      'kernel arguments only when asked',
      { kernelArgs: ['netdev.ip=10.0.2.15/24:10.0.2.2'] },
      [
        ...head,
        '-M',
        '256Mi',
        '--plat',
        'qemu',
        '--arch',
        'x86_64',
        '-n',
        'ukc-1',
        '-a',
        'netdev.ip=10.0.2.15/24:10.0.2.2',
        '/w/base/unikraft/bin/kernel'
      ]
    ]
  ])('%s', (_name, over, argv) => {
    expect(kraftRunArgv({ ...base, ...over })).toEqual(argv)
  })

  it.each([
    [kraftPsArgv('kraft'), ['kraft', 'ps', ...G, '-a', '-l', '-o', 'json', '--plat', 'qemu']],
    [kraftStopArgv('kraft', 'ukc-1'), ['kraft', 'stop', ...G, 'ukc-1']],
    [kraftRmArgv('kraft', 'ukc-1'), ['kraft', 'rm', ...G, 'ukc-1']]
  ])('%j', (got, want) => {
    expect(got).toEqual(want)
  })
})
