import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { writeCpio } from '../../../src/engine/rootfs/cpio-writer.js'
import { parseRootfsSpec } from '../../../src/engine/rootfs/rootfs-spec.js'
import { makeTemp, mustRun, writeTree } from './helpers.js'

let tmp: { dir: string; cleanup: () => Promise<void> }
let app: string
beforeAll(async () => {
  tmp = await makeTemp('spec')
  app = join(tmp.dir, 'app')
  writeTree(app, {
    Dockerfile: 'FROM scratch\n',
    'build/app.Dockerfile': 'FROM scratch\n',
    'Containerfile.prod': 'FROM scratch\n',
    'tree/usr/bin/x': 'x',
    'ctx/Dockerfile': 'FROM scratch\n',
    'ctx/main.c': '',
    'notes.txt': 'hello',
    'bad.tar': 'not a tarball at all'.padEnd(600, '.'),
    'fake.cpio': 'nope'
  })
  await mustRun(['tar', '-cf', join(app, 'rootfs.tar'), '-C', join(app, 'tree'), '.'])
  await mustRun(['tar', '-czf', join(app, 'rootfs.tar.gz'), '-C', join(app, 'tree'), '.'])
  await mustRun(['tar', '-czf', join(app, 'rootfs.tgz'), '-C', join(app, 'tree'), '.'])
  await mustRun(['tar', '-cf', join(app, 'oddly-named.img'), '-C', join(app, 'tree'), '.'])
  await writeCpio(
    [{ path: 'x', type: 'file', mode: 0o644, data: Buffer.from('x') }],
    join(app, 'initrd.cpio')
  )
  await writeCpio([{ path: 'x', type: 'file', mode: 0o644, data: Buffer.from('x') }], join(app, 'initrd.img'))
  await writeCpio(
    [{ path: 'x', type: 'file', mode: 0o644, data: Buffer.from('x') }],
    join(app, 'initrd.gz'),
    { gzip: true }
  )
  copyFileSync('/bin/true', join(app, 'prog'))
  mkdirSync(join(app, 'empty-dir'))
})
afterAll(async () => tmp.cleanup())

describe('parseRootfsSpec', () => {
  it.each([
    ['Dockerfile', { kind: 'dockerfile', dockerfile: 'Dockerfile', context: '.' }],
    ['build/app.Dockerfile', { kind: 'dockerfile', dockerfile: 'build/app.Dockerfile', context: 'build' }],
    ['Containerfile.prod', { kind: 'dockerfile', dockerfile: 'Containerfile.prod', context: '.' }],
    ['tree', { kind: 'directory', path: 'tree' }],
    ['./tree/', { kind: 'directory', path: 'tree' }],
    ['empty-dir', { kind: 'directory', path: 'empty-dir' }],
    ['rootfs.tar', { kind: 'tar', path: 'rootfs.tar' }],
    ['rootfs.tar.gz', { kind: 'tar', path: 'rootfs.tar.gz' }],
    ['rootfs.tgz', { kind: 'tar', path: 'rootfs.tgz' }],
    ['oddly-named.img', { kind: 'tar', path: 'oddly-named.img' }],
    ['initrd.cpio', { kind: 'cpio', path: 'initrd.cpio', gzip: false }],
    ['initrd.img', { kind: 'cpio', path: 'initrd.img', gzip: false }],
    ['initrd.gz', { kind: 'cpio', path: 'initrd.gz', gzip: true }]
  ])('reads %j as %j', async (spec, expected) => {
    const abs = (p: string): string => join(app, p)
    const want: Record<string, unknown> = { ...expected }
    for (const k of ['dockerfile', 'context', 'path'])
      if (typeof want[k] === 'string') want[k] = abs(want[k] as string)
    expect(await parseRootfsSpec(spec, app)).toEqual(want)
  })

  it('takes binary:PATH as a program path in the sysroot', async () => {
    expect(await parseRootfsSpec('binary:/usr/bin/redis-server', app)).toEqual({
      kind: 'binary',
      path: '/usr/bin/redis-server'
    })
    expect(await parseRootfsSpec('binary:prog', app)).toEqual({ kind: 'binary', path: join(app, 'prog') })
  })

  it.each([
    ['', /it is empty/],
    ['binary:', /binary: needs the program path/],
    ['missing/Dockerfile', /the Dockerfile '.*missing\/Dockerfile' does not exist/],
    ['nothing-here', /'.*nothing-here' does not exist/],
    ['notes.txt', /is not a Dockerfile, a tar archive or a cpio archive/],
    ['bad.tar', /is named like a tarball but is not a tar archive/],
    ['fake.cpio', /is named like a cpio archive but does not start with the newc magic/],
    ['prog', /is a program; to build a root filesystem around it use 'binary:/],
    [
      'ctx',
      /a directory with a Dockerfile and no root filesystem in it; to build it, name the file: '.*ctx\/Dockerfile'/
    ]
  ])('rejects %j with a ConfigurationError naming rootfs and the accepted forms', async (spec, message) => {
    const err = await parseRootfsSpec(spec, app).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as ConfigurationError).input).toBe('rootfs')
    expect((err as Error).message).toMatch(
      /^Input 'rootfs' must be a Dockerfile .* or 'binary:\/path\/to\/program', got '/
    )
    expect((err as Error).message).toMatch(message)
  })

  it('accepts a directory that has a Dockerfile among a real tree', async () => {
    const d = join(tmp.dir, 'tree-with-dockerfile')
    writeTree(d, { Dockerfile: 'FROM scratch\n', 'etc/hostname': 'x' })
    writeFileSync(join(d, 'etc/hosts'), '')
    expect(await parseRootfsSpec(d, app)).toEqual({ kind: 'directory', path: d })
  })
})
