import { describe, expect, it } from '@jest/globals'
import { parseConfigText } from '../../../src/engine/config/config-file.js'

describe('config file', () => {
  it('reads keys and remembers the line of each key and list item', () => {
    const cfg = parseConfigText(
      'cmd: [/usr/bin/redis-server, /etc/redis.conf]\nmemory: 128M\nprobes:\n  - redis:6379\n  - kind: console\n    regex: Ready\n',
      'u.yml'
    )
    expect(cfg.values).toEqual({
      cmd: ['/usr/bin/redis-server', '/etc/redis.conf'],
      memory: '128M',
      probes: ['redis:6379', { kind: 'console', regex: 'Ready' }]
    })
    expect(cfg.positions).toEqual({
      cmd: { line: 1, column: 1 },
      'cmd[0]': { line: 1, column: 7 },
      'cmd[1]': { line: 1, column: 30 },
      memory: { line: 2, column: 1 },
      probes: { line: 3, column: 1 },
      'probes[0]': { line: 4, column: 5 },
      'probes[1]': { line: 5, column: 5 }
    })
  })
  it('takes positions from the parser: quoted keys, flow mappings and flow lists spanning lines', () => {
    const cfg = parseConfigText(
      '{ "memory": 64M, \'cmd\': x,\n  probes: [\n    redis:6379,\n    "tcp:80" ] }\n',
      'u.yml'
    )
    expect(cfg.values).toEqual({ memory: '64M', cmd: 'x', probes: ['redis:6379', 'tcp:80'] })
    expect(cfg.positions).toEqual({
      memory: { line: 1, column: 3 },
      cmd: { line: 1, column: 18 },
      probes: { line: 2, column: 3 },
      'probes[0]': { line: 3, column: 5 },
      'probes[1]': { line: 4, column: 5 }
    })
  })
  it('keeps no position for a key that only appears nested or inside a block scalar', () => {
    const cfg = parseConfigText('cmd: |\n  memory: 1G\nenv:\n  memory: x\n', 'u.yml')
    expect(Object.keys(cfg.positions)).toEqual(['cmd', 'env'])
  })
  it('rejects an unknown key naming it, the line and the accepted keys', () => {
    expect(() => parseConfigText('memory: 1G\nmemroy: 2G\n', 'u.yml')).toThrow(
      /^Config file u.yml:2 has an unknown key 'memroy'; accepted keys: rootfs, cmd, env,/
    )
  })
  it('rejects YAML that does not parse, with the line', () => {
    expect(() => parseConfigText('cmd: [a, b\nmemory: 1G\n', 'u.yml')).toThrow(
      /^Config file u.yml:\d+ is not valid YAML/
    )
  })
  it('rejects a duplicate key', () => {
    expect(() => parseConfigText('memory: 1G\nmemory: 2G\n', 'u.yml')).toThrow(/not valid YAML/)
  })
  it('accepts an empty file', () => {
    expect(parseConfigText('', 'u.yml').values).toEqual({})
  })
})
