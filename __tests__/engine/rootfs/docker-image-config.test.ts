import { describe, expect, it } from '@jest/globals'
import {
  defaultCommand,
  EMPTY_IMAGE_CONFIG,
  envRecord,
  parseImageInspect,
  type ImageConfig
} from '../../../src/engine/rootfs/docker-image-config.js'

// The shape `docker image inspect` printed here (Docker 20.10) for examples/redis built to a tag.
const REDIS_INSPECT = JSON.stringify([
  {
    Id: 'sha256:6cccf39f7b2b',
    Config: {
      Hostname: '',
      User: '',
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['/usr/bin/redis-server', '/etc/redis/redis.conf'],
      ArgsEscaped: true,
      WorkingDir: '/',
      Entrypoint: null,
      OnBuild: null,
      Labels: null
    }
  }
])

describe('parseImageInspect', () => {
  it('reads CMD, ENTRYPOINT, ENV, WORKDIR from inspect output', () => {
    expect(parseImageInspect(REDIS_INSPECT)).toEqual({
      cmd: ['/usr/bin/redis-server', '/etc/redis/redis.conf'],
      entrypoint: null,
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
      workdir: '/',
      user: null
    })
  })

  it('accepts one image object or its Config alone', () => {
    const image = JSON.parse(REDIS_INSPECT)[0]
    expect(parseImageInspect(image)).toEqual(parseImageInspect(REDIS_INSPECT))
    expect(parseImageInspect(image.Config)).toEqual(parseImageInspect(REDIS_INSPECT))
  })

  it('an image with nothing set (docker import) has empty defaults', () => {
    const imported = { Config: { Env: null, Cmd: null, WorkingDir: '', Entrypoint: null, User: '' } }
    expect(parseImageInspect(imported)).toEqual(EMPTY_IMAGE_CONFIG)
  })

  it.each([
    ['not an object', '"x"'],
    ['Cmd not a list of strings', JSON.stringify([{ Config: { Cmd: [1, 2] } }])],
    ['Env not a list', JSON.stringify([{ Config: { Env: 'A=1' } }])]
  ])('rejects %s', (_name, json) => {
    expect(() => parseImageInspect(json)).toThrow(/docker image inspect/)
  })
})

describe('envRecord', () => {
  it.each([
    [['A=1', 'B=x=y'], { A: '1', B: 'x=y' }],
    [['A=1', 'A=2'], { A: '2' }],
    [['EMPTY=', 'BARE'], { EMPTY: '', BARE: '' }],
    [['=nameless'], {}]
  ])('%j -> %j', (list, env) => {
    expect(envRecord(list)).toEqual(env)
  })
})

describe('defaultCommand (ENTRYPOINT + CMD, Docker semantics)', () => {
  const cfg = (entrypoint: string[] | null, cmd: string[] | null): ImageConfig => ({
    ...EMPTY_IMAGE_CONFIG,
    entrypoint,
    cmd
  })
  it.each<[string, string[] | null, string[] | null, string[] | null]>([
    ['nothing set', null, null, null],
    ['empty lists', [], [], null],
    ['exec-form CMD', null, ['/hello', 'a b'], ['/hello', 'a b']],
    [
      'exec-form ENTRYPOINT + CMD as its arguments',
      ['/usr/bin/redis-server'],
      ['/etc/redis.conf'],
      ['/usr/bin/redis-server', '/etc/redis.conf']
    ],
    ['ENTRYPOINT alone', ['/app', '--serve'], null, ['/app', '--serve']],
    [
      'shell-form CMD of plain words runs without the shell',
      null,
      ['/bin/sh', '-c', '/usr/sbin/nginx -c /etc/nginx/nginx.conf'],
      ['/usr/sbin/nginx', '-c', '/etc/nginx/nginx.conf']
    ],
    [
      'shell-form CMD with a variable keeps the shell',
      null,
      ['/bin/sh', '-c', 'exec /app --port $PORT'],
      ['/bin/sh', '-c', 'exec /app --port $PORT']
    ],
    [
      'shell-form CMD with quotes keeps the shell',
      null,
      ['/bin/sh', '-c', "/app 'a b'"],
      ['/bin/sh', '-c', "/app 'a b'"]
    ],
    [
      'shell-form CMD with an operator keeps the shell',
      null,
      ['/bin/sh', '-c', '/a && /b'],
      ['/bin/sh', '-c', '/a && /b']
    ],
    [
      'shell-form CMD with a variable assignment keeps the shell',
      null,
      ['/bin/sh', '-c', 'FOO=1 /app'],
      ['/bin/sh', '-c', 'FOO=1 /app']
    ],
    ['shell-form ENTRYPOINT ignores CMD', ['/bin/sh', '-c', '/app --flag'], ['ignored'], ['/app', '--flag']],
    [
      'shell-form ENTRYPOINT that needs the shell gets CMD as $0 like Docker',
      ['/bin/sh', '-c', 'exec /app "$@"'],
      ['x'],
      ['/bin/sh', '-c', 'exec /app "$@"', 'x']
    ],
    [
      'exec-form sh -c with extra words is not unwrapped',
      null,
      ['/bin/sh', '-c', '/a', 'zero'],
      ['/bin/sh', '-c', '/a', 'zero']
    ]
  ])('%s', (_name, entrypoint, cmd, expected) => {
    expect(defaultCommand(cfg(entrypoint, cmd))).toEqual(expected)
  })
})
