import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { readSpecials } from '../../../src/engine/rootfs/specials.js'
import { extractTar } from '../../../src/engine/rootfs/tar-extract.js'
import { isRoot, makeTemp, mustRun, writeTree } from './helpers.js'

let tmp: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  tmp = await makeTemp('tar')
})
afterAll(async () => tmp.cleanup())

const LONG_DIR = 'a'.repeat(60) + '/' + 'b'.repeat(60) + '/' + 'c'.repeat(60)
const LONG_FILE = `${LONG_DIR}/${'f'.repeat(80)}.txt`
const LONG_TARGET = '../'.repeat(3) + 't'.repeat(120)

/** A source tree exercising what a root filesystem holds: modes, links of both kinds, long names. */
function sourceTree(name: string): string {
  const src = join(tmp.dir, name)
  writeTree(src, {
    'usr/bin/prog': Buffer.alloc(70_000, 0x5a),
    'etc/secret': 'pw',
    [LONG_FILE]: 'long',
    'empty-dir/.keep': ''
  })
  chmodSync(join(src, 'usr/bin/prog'), 0o4755)
  chmodSync(join(src, 'etc/secret'), 0o600)
  chmodSync(join(src, 'etc'), 0o750)
  symlinkSync('prog', join(src, 'usr/bin/alias'))
  symlinkSync(LONG_TARGET, join(src, 'usr/long-link'))
  linkSync(join(src, 'usr/bin/prog'), join(src, 'usr/bin/prog-hard'))
  return src
}

function checkExtracted(dest: string): void {
  expect(readFileSync(join(dest, 'usr/bin/prog'))).toEqual(Buffer.alloc(70_000, 0x5a))
  expect(statSync(join(dest, 'usr/bin/prog')).mode & 0o7777).toBe(0o4755)
  expect(statSync(join(dest, 'etc/secret')).mode & 0o7777).toBe(0o600)
  expect(statSync(join(dest, 'etc')).mode & 0o7777).toBe(0o750)
  expect(readlinkSync(join(dest, 'usr/bin/alias'))).toBe('prog')
  expect(readlinkSync(join(dest, 'usr/long-link'))).toBe(LONG_TARGET)
  expect(readFileSync(join(dest, LONG_FILE), 'utf8')).toBe('long')
  expect(statSync(join(dest, 'usr/bin/prog-hard')).ino).toBe(statSync(join(dest, 'usr/bin/prog')).ino)
}

describe('extractTar', () => {
  it.each([
    ['gnu', ['--format=gnu'], 'tar'],
    ['pax', ['--format=pax'], 'tar'],
    ['gnu, gzip', ['--format=gnu', '-z'], 'tar.gz'],
    ['pax, gzip', ['--format=pax', '-z'], 'tgz']
  ])(
    'extracts a GNU tar archive (%s): modes, symlinks, hard links, long names and link targets',
    async (label, flags, ext) => {
      const src = sourceTree(`src-${label.replace(/\W+/g, '-')}`)
      const tar = join(tmp.dir, `${label.replace(/\W+/g, '-')}.${ext}`)
      await mustRun(['tar', ...flags, '-cf', tar, '-C', src, '.'])
      const dest = join(tmp.dir, `x-${label.replace(/\W+/g, '-')}`)
      const res = await extractTar(tar, dest)
      expect(res.entries).toBeGreaterThan(8)
      checkExtracted(dest)
    }
  )

  it('extracts ustar names split into prefix and name', async () => {
    const src = join(tmp.dir, 'ustar-src')
    const deep = `${'p'.repeat(90)}/${'q'.repeat(40)}/file.txt`
    writeTree(src, { [deep]: 'deep' })
    const tar = join(tmp.dir, 'ustar.tar')
    await mustRun(['tar', '--format=ustar', '-cf', tar, '-C', src, deep])
    // A 139-byte name fits ustar only through the 155-byte prefix field.
    expect(
      readFileSync(tar)
        .subarray(345, 345 + 10)
        .toString('latin1')
    ).toBe('p'.repeat(10))
    const dest = join(tmp.dir, 'ustar-x')
    await extractTar(tar, dest)
    expect(readFileSync(join(dest, deep), 'utf8')).toBe('deep')
  })

  it('makes absolute member names relative to the destination', async () => {
    const base = join(tmp.dir, 'abs-src')
    writeTree(base, { 'f.txt': 'abs' })
    const tar = join(tmp.dir, 'abs.tar')
    await mustRun(['tar', '-cPf', tar, join(base, 'f.txt')])
    const dest = join(tmp.dir, 'abs-x')
    await extractTar(tar, dest)
    expect(readFileSync(join(dest, base, 'f.txt'), 'utf8')).toBe('abs')
  })

  it("rejects a member named with '..', naming it, and writes nothing outside", async () => {
    const base = join(tmp.dir, 'dotdot')
    writeTree(base, { 'top.txt': 'escape', 'sub/.keep': '' })
    const tar = join(tmp.dir, 'dotdot.tar')
    // -P keeps the '../' that GNU tar would otherwise strip.
    await mustRun(['tar', '-cPf', tar, '../top.txt'], { cwd: join(base, 'sub') })
    const dest = join(tmp.dir, 'dotdot-x', 'tree')
    const err = await extractTar(tar, dest).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as ConfigurationError).input).toBe('rootfs')
    expect((err as Error).message).toMatch(
      /tar 'dotdot\.tar': entry '\.\.\/top\.txt' escapes the root filesystem/
    )
    expect(existsSync(join(tmp.dir, 'dotdot-x', 'top.txt'))).toBe(false)
  })

  it('rejects a symlink followed by a file written through it (absolute target)', async () => {
    const outside = join(tmp.dir, 'victim')
    mkdirSync(outside)
    const d1 = join(tmp.dir, 'evil-d1')
    const d2 = join(tmp.dir, 'evil-d2')
    mkdirSync(d1)
    symlinkSync(outside, join(d1, 'link'))
    writeTree(d2, { 'link/pwned': 'pwned' })
    const tar = join(tmp.dir, 'evil.tar')
    await mustRun(['tar', '-cf', tar, '-C', d1, 'link'])
    await mustRun(['tar', '-rf', tar, '-C', d2, 'link/pwned'])
    await expect(extractTar(tar, join(tmp.dir, 'evil-x'))).rejects.toThrow(
      /entry 'link\/pwned' would be written through the symlink 'link'/
    )
    expect(readdirSync(outside)).toEqual([])
  })

  it('rejects a relative symlink climbing out followed by a file through it', async () => {
    const sl = join(tmp.dir, 'climb-src')
    mkdirSync(sl)
    symlinkSync('../..', join(sl, 'up'))
    writeTree(sl, { z: 'z' })
    const tar = join(tmp.dir, 'climb.tar')
    await mustRun(['tar', '-cf', tar, '-C', sl, 'up'])
    await mustRun(['tar', '-rPf', tar, '-C', sl, '--transform', 's,^z$,up/escaped,', 'z'])
    const dest = join(tmp.dir, 'climb-x', 'a', 'tree')
    await expect(extractTar(tar, dest)).rejects.toThrow(
      /'up\/escaped' would be written through the symlink 'up'/
    )
    expect(existsSync(join(tmp.dir, 'climb-x', 'escaped'))).toBe(false)
  })

  it('rejects a hard link whose target climbs out of the root', async () => {
    const h = join(tmp.dir, 'hl-src')
    writeTree(h, { a: 'x' })
    linkSync(join(h, 'a'), join(h, 'b'))
    const tar = join(tmp.dir, 'hl.tar')
    await mustRun(['tar', '-cPf', tar, '-C', h, '--transform', 's,^a$,../../outside,RSh', 'a', 'b'])
    await expect(extractTar(tar, join(tmp.dir, 'hl-x'))).rejects.toThrow(
      /entry '\.\.\/\.\.\/outside' escapes the root filesystem/
    )
  })

  it('creates device nodes and fifos when it can, else records them in the sidecar', async () => {
    const src = join(tmp.dir, 'dev-src')
    mkdirSync(join(src, 'dev'), { recursive: true })
    const tar = join(tmp.dir, 'dev.tar')
    if (isRoot) {
      await mustRun(['mknod', '-m', '600', join(src, 'dev/console'), 'c', '5', '1'])
      await mustRun(['mkfifo', '-m', '640', join(src, 'dev/fifo')])
      await mustRun(['tar', '-cf', tar, '-C', src, '.'])
      const made = join(tmp.dir, 'dev-made')
      const res = await extractTar(tar, made)
      expect(res.specials).toEqual([])
      const st = lstatSync(join(made, 'dev/console'))
      expect(st.isCharacterDevice()).toBe(true)
      expect(st.rdev).toBe((5 << 8) | 1)
      expect(lstatSync(join(made, 'dev/fifo')).isFIFO()).toBe(true)
      // The other path, as a non-root extraction takes it.
      const recorded = join(tmp.dir, 'dev-recorded')
      const res2 = await extractTar(tar, recorded, { createSpecials: false })
      expect(res2.specials).toEqual([
        { path: 'dev/console', type: 'char', mode: 0o600, rdevMajor: 5, rdevMinor: 1 },
        { path: 'dev/fifo', type: 'fifo', mode: 0o640, rdevMajor: 0, rdevMinor: 0 }
      ])
      expect(await readSpecials(recorded)).toEqual(res2.specials)
      expect(existsSync(join(recorded, 'dev/console'))).toBe(false)
    } else {
      // Without root GNU tar cannot make a device to archive: a fifo still goes through.
      await mustRun(['mkfifo', join(src, 'dev/fifo')])
      await mustRun(['tar', '-cf', tar, '-C', src, '.'])
      const res = await extractTar(tar, join(tmp.dir, 'dev-x'), { createSpecials: false })
      expect(res.specials.map(s => s.type)).toEqual(['fifo'])
    }
  })

  it.each([
    ['not a tar', Buffer.from('just some text, padded'.padEnd(1024, ' ')), /is not a tar archive/],
    ['empty', Buffer.alloc(0), /is empty/]
  ])('fails clearly on a file that is %s', async (_label, content, message) => {
    const f = join(tmp.dir, 'bad.tar')
    writeFileSync(f, content)
    await expect(extractTar(f, join(tmp.dir, 'bad-x'))).rejects.toThrow(message)
  })

  it('reports a truncated tarball as truncated', async () => {
    const src = sourceTree('trunc-src')
    const tar = join(tmp.dir, 'trunc.tar')
    await mustRun(['tar', '-cf', tar, '-C', src, '.'])
    const cut = join(tmp.dir, 'cut.tar')
    writeFileSync(cut, readFileSync(tar).subarray(0, 30_000))
    await expect(extractTar(cut, join(tmp.dir, 'cut-x'))).rejects.toThrow(/is truncated/)
  })

  it('reports corrupt gzip data clearly', async () => {
    const src = sourceTree('gzbad-src')
    const tgz = join(tmp.dir, 'gzbad.tar.gz')
    await mustRun(['tar', '-czf', tgz, '-C', src, '.'])
    const good = readFileSync(tgz)
    // Flipped bytes in the deflate data: some make zlib fail at once, others decode to garbage
    // that only the gzip CRC at the end exposes; every one must be named as corrupt gzip.
    const damages: [number, number, number][] = [
      [100, 400, 0xff],
      [30, 31, 0x01],
      [40, 60, 0x55],
      [200, 201, 0x80],
      [good.length - 400, good.length - 300, 0xff],
      [good.length - 8, good.length - 7, 0x01] // the CRC itself
    ]
    for (const [from, to, mask] of damages) {
      const bytes = Buffer.from(good)
      for (let i = from; i < to; i++) bytes[i] ^= mask
      writeFileSync(tgz, bytes)
      await expect(extractTar(tgz, join(tmp.dir, `gzbad-x-${from}`))).rejects.toThrow(/gzip data is corrupt/)
    }
  })
})
