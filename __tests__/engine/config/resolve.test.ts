import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appIdOf, resolveCheckOptions } from '../../../src/engine/config/resolve.js'
import { ConfigurationError } from '../../../src/engine/errors.js'

let root: string
let app: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ukc-resolve-'))
  app = join(root, 'redis')
  mkdirSync(app)
  writeFileSync(join(app, 'Dockerfile'), 'FROM scratch\n')
  writeFileSync(
    join(app, 'unikraft-compat.yml'),
    [
      'cmd: [/usr/bin/redis-server, /etc/redis/redis.conf]',
      'memory: 128M',
      'env:',
      '  LANG: C',
      'probes:',
      '  - redis:6379',
      '  - console:Ready to accept',
      'allow: [process.fork-unsupported]',
      'timeout: 2m',
      ''
    ].join('\n')
  )
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('resolveCheckOptions', () => {
  it('applies the documented defaults, then the config file', async () => {
    const o = await resolveCheckOptions({ app: 'redis' }, { cwd: root })
    expect(o).toMatchObject({
      appDir: app,
      appId: 'redis',
      configFile: join(app, 'unikraft-compat.yml'),
      rootfs: join(app, 'Dockerfile'),
      dockerfile: join(app, 'Dockerfile'),
      cmd: ['/usr/bin/redis-server', '/etc/redis/redis.conf'],
      env: { LANG: 'C' },
      guest: 'unikraft',
      unikraftVersion: 'latest',
      memoryMiB: 128,
      timeoutMs: 120000,
      accel: 'auto',
      baseline: 'auto',
      trace: 'auto',
      runner: 'qemu',
      failOn: 'error',
      uploadLogs: true,
      allow: ['process.fork-unsupported']
    })
    expect(o.probes).toHaveLength(2)
    expect(o.ports).toEqual([{ guest: 6379 }])
    expect(o.origins.sources).toMatchObject({
      memory: 'config',
      cmd: 'config',
      probes: 'config',
      guest: 'default',
      trace: 'default'
    })
    expect(o.origins.configPositions).toMatchObject({
      memory: { line: 2, column: 1 },
      'probes[1]': { line: 7, column: 5 }
    })
  })

  it('lets explicit inputs override the config file', async () => {
    const o = await resolveCheckOptions(
      {
        app: 'redis',
        memory: '1G',
        cmd: `redis-server --save '' "--port" 7000`,
        probe: 'tcp:7000\n',
        guest: 'linux'
      },
      { cwd: root }
    )
    expect(o.memoryMiB).toBe(1024)
    expect(o.cmd).toEqual(['redis-server', '--save', '', '--port', '7000'])
    expect(o.guest).toBe('linux')
    expect(o.probes).toHaveLength(1)
    expect(o.ports).toEqual([{ guest: 7000 }])
    // The winner is recorded once per key; the file's positions stay (annotations name what was overridden).
    expect(o.origins.sources).toMatchObject({
      memory: 'input',
      cmd: 'input',
      probes: 'input',
      guest: 'input',
      env: 'config',
      timeout: 'config',
      accel: 'default'
    })
    expect(o.origins.configPositions.memory).toEqual({ line: 2, column: 1 })
  })

  it('treats empty inputs (as the action passes them) as not given', async () => {
    const o = await resolveCheckOptions({ app: 'redis', memory: '', cmd: '  ', guest: '' }, { cwd: root })
    expect(o.memoryMiB).toBe(128)
    expect(o.guest).toBe('unikraft')
  })

  it.each([
    [{ guest: 'windows' }, "Input 'guest' must be one of unikraft, linux, got 'windows'"],
    [{ accel: 'hvf' }, "Input 'accel' must be one of auto, kvm, tcg, got 'hvf'"],
    [
      { 'unikraft-version': 'v18' },
      "Input 'unikraft-version' must be latest or a release like 0.18.0, got 'v18'"
    ],
    [{ memory: '4M' }, "Input 'memory' must be a size like 256M or 1G (at least 8M), got '4M'"],
    [{ cmd: 'redis-server "unterminated' }, "Input 'cmd' must be words split like a POSIX shell does"],
    [
      { kernel: 'no/such/kernel' },
      "Input 'kernel' must be the path of an existing Unikraft kernel image, got 'no/such/kernel'"
    ],
    [{ 'fail-on': 'warning' }, "Input 'fail-on' must be one of error, never, got 'warning'"],
    [{ trace: 'sometimes' }, "Input 'trace' must be one of auto, always, never, got 'sometimes'"],
    [{ trace: 'yes' }, "Input 'trace' must be one of auto, always, never, got 'yes'"],
    [{ allow: 'Fork!' }, "Input 'allow' must be finding ids like process.fork-unsupported, got 'Fork!'"],
    [{ probe: 'smtp:25' }, 'probe[1]']
  ])('rejects %p with one error naming the input', async (inputs, message) => {
    const run = resolveCheckOptions({ app: 'redis', ...inputs }, { cwd: root })
    await expect(run).rejects.toThrow(ConfigurationError)
    await expect(resolveCheckOptions({ app: 'redis', ...inputs }, { cwd: root })).rejects.toThrow(message)
  })

  it('names the config key and its line when the config file is wrong', async () => {
    const bad = join(root, 'bad')
    mkdirSync(bad)
    writeFileSync(join(bad, 'unikraft-compat.yml'), 'cmd: /bin/true\nmemory: lots\n')
    await expect(resolveCheckOptions({ app: 'bad' }, { cwd: root })).rejects.toThrow(
      `Config key 'memory' (${join(bad, 'unikraft-compat.yml')}:2) must be a size like 256M or 1G`
    )
  })

  it('reads trace from the input over the config key, and names the key and line of a bad one', async () => {
    const dir = join(root, 'traced')
    mkdirSync(dir)
    writeFileSync(join(dir, 'unikraft-compat.yml'), 'memory: 64M\ntrace: always\n')
    expect((await resolveCheckOptions({ app: 'traced' }, { cwd: root })).trace).toBe('always')
    expect((await resolveCheckOptions({ app: 'traced', trace: ' never ' }, { cwd: root })).trace).toBe(
      'never'
    )
    writeFileSync(join(dir, 'unikraft-compat.yml'), 'memory: 64M\ntrace: on-failure\n')
    await expect(resolveCheckOptions({ app: 'traced' }, { cwd: root })).rejects.toThrow(
      `Config key 'trace' (${join(dir, 'unikraft-compat.yml')}:2) must be one of auto, always, never, got 'on-failure'`
    )
  })

  it('rejects an input the table does not have, as the CLI or an untyped caller could pass it', async () => {
    const raw: Record<string, string> = { app: 'redis', tracing: 'always' }
    await expect(resolveCheckOptions(raw, { cwd: root })).rejects.toThrow("Unknown input 'tracing'")
  })

  it('rejects an app directory that does not exist', async () => {
    await expect(resolveCheckOptions({ app: 'nope' }, { cwd: root })).rejects.toThrow(
      "Input 'app' must be a directory"
    )
  })
})

describe('appIdOf', () => {
  it.each([
    ['examples/redis', '/ws', 'examples/redis'],
    ['./library/redis/7.2/', '/ws', 'library/redis/7.2'],
    ['/ws/library/nginx/1.25', '/ws', 'library/nginx/1.25'],
    ['.', '/ws/my-app', 'my-app'],
    ['../elsewhere/app', '/ws', 'app'],
    ['/opt/apps/hello', '/ws', 'hello']
  ])('%s from %s is %s', (dir, cwd, id) => {
    expect(appIdOf(dir, cwd)).toBe(id)
  })
})

describe('env in the config file holds one scalar per name', () => {
  it.each([
    [
      'a nested map',
      'env:\n  A: 1\n  B:\n    nested: true\n',
      /must be NAME: value pairs .* got '\{"B":\{"nested":true\}\}'/
    ],
    ['a list in a list', 'env:\n  - A=1\n  - [B=2]\n', /must be NAME: value pairs .* got '\["B=2"\]'/]
  ])('%s is refused, naming the key and its line', async (_name, yaml, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'ukc-env-'))
    try {
      writeFileSync(join(dir, 'unikraft-compat.yml'), yaml)
      const err = await resolveCheckOptions({ app: dir }, { cwd: dir }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ConfigurationError)
      expect((err as Error).message).toMatch(/^Config key 'env' \(.*unikraft-compat\.yml:1\) must be/)
      expect((err as Error).message).toMatch(message)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
