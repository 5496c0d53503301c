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
    expect(cfg.lines).toMatchObject({ cmd: 1, memory: 2, probes: 3, 'probes[0]': 4, 'probes[1]': 5 })
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
