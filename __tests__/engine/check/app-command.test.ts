import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { appCommand, kraftfileCmd } from '../../../src/engine/check/app-command.js'
import { ConfigurationError } from '../../../src/engine/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'app-command-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const tree = join(dir, 'tree')
mkdirSync(join(tree, 'usr/bin'), { recursive: true })
writeFileSync(join(tree, 'usr/bin/redis-server'), '')
chmodSync(join(tree, 'usr/bin/redis-server'), 0o755)
const none = { cmd: null, env: {}, workdir: null }

describe('appCommand: the input, else the Kraftfile, else the image', () => {
  const image = {
    entrypoint: ['redis-server'],
    cmd: ['/etc/redis.conf'],
    env: { PATH: '/usr/bin', A: '1' },
    workdir: '/data'
  }
  it('the image gives ENTRYPOINT + CMD, its env and workdir; a bare name is resolved on PATH', () => {
    const c = appCommand(none, { kraftfileCmd: null, image: image as never, treeDir: tree })
    expect(c).toEqual({
      cmd: ['/usr/bin/redis-server', '/etc/redis.conf'],
      env: { PATH: '/usr/bin', A: '1' },
      workdir: '/data'
    })
  })
  it('the Kraftfile wins over the image, the input over both; input env and workdir win', () => {
    const k = appCommand(none, { kraftfileCmd: ['/bin/k'], image: image as never, treeDir: tree })
    expect(k.cmd).toEqual(['/bin/k'])
    const i = appCommand(
      { cmd: ['/bin/i'], env: { A: '2' }, workdir: '/w' },
      { kraftfileCmd: ['/bin/k'], image: image as never, treeDir: tree }
    )
    expect(i).toEqual({ cmd: ['/bin/i'], env: { PATH: '/usr/bin', A: '2' }, workdir: '/w' })
  })
  it('a root filesystem with no command anywhere is a configuration error naming cmd', () => {
    expect(() => appCommand(none, { kraftfileCmd: null, image: undefined, treeDir: tree })).toThrow(
      ConfigurationError
    )
    try {
      appCommand(none, { kraftfileCmd: null, image: undefined, treeDir: tree })
    } catch (e) {
      expect((e as ConfigurationError).input).toBe('cmd')
    }
  })
  it('a native image needs no command, and its arguments are not resolved as a path', () => {
    expect(appCommand(none, { kraftfileCmd: null, image: undefined, treeDir: null }).cmd).toEqual([])
    expect(
      appCommand({ ...none, cmd: ['verbose'] }, { kraftfileCmd: null, image: undefined, treeDir: null }).cmd
    ).toEqual(['verbose'])
  })
})

describe('kraftfileCmd', () => {
  const kf = (text: string): string => {
    const p = join(dir, `Kraftfile-${Math.random().toString(36).slice(2)}`)
    writeFileSync(p, text)
    return p
  }
  it('reads a list as it is and splits a string by the POSIX rules (quotes kept together)', async () => {
    await expect(kraftfileCmd(kf('cmd: ["/bin/a", "b c"]\n'))).resolves.toEqual(['/bin/a', 'b c'])
    await expect(kraftfileCmd(kf('cmd: /bin/a "b c" d\n'))).resolves.toEqual(['/bin/a', 'b c', 'd'])
  })
  it('no Kraftfile or no cmd: null; an unreadable one: a configuration error naming the Kraftfile', async () => {
    await expect(kraftfileCmd(null)).resolves.toBeNull()
    await expect(kraftfileCmd(kf('spec: v0.6\n'))).resolves.toBeNull()
    await expect(kraftfileCmd(kf('cmd: "unclosed\n'))).rejects.toMatchObject({ input: 'Kraftfile' })
    await expect(kraftfileCmd(join(dir, 'missing'))).rejects.toMatchObject({ input: 'Kraftfile' })
  })
})
