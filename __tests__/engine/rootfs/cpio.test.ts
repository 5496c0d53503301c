import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigurationError } from '../../../src/engine/errors.js'
import {
  CpioFormatError,
  assertCpio,
  extractCpio,
  readCpio,
  type CpioListing
} from '../../../src/engine/rootfs/cpio-reader.js'
import { writeCpio, type CpioEntry } from '../../../src/engine/rootfs/cpio-writer.js'
import { packDirectory } from '../../../src/engine/rootfs/pack-directory.js'
import { writeSpecials } from '../../../src/engine/rootfs/specials.js'
import { gnuList, gnuNames, isRoot, makeTemp, mustRun, run, writeTree } from './helpers.js'

let tmp: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  tmp = await makeTemp('cpio')
})
afterAll(async () => tmp.cleanup())

async function list(archive: string): Promise<CpioListing[]> {
  const out: CpioListing[] = []
  for await (const e of readCpio(archive)) out.push(e)
  return out
}

/** A small tree: nested dirs, modes, an absolute and a relative symlink, a hard link, an empty file. */
function sampleTree(root: string): void {
  writeTree(root, {
    'etc/app.conf': 'port 6379\n',
    'usr/bin/app': Buffer.alloc(5000, 0x41),
    'usr/lib/libx.so.1.2': 'lib',
    empty: '',
    'z/last': 'last'
  })
  chmodSync(join(root, 'usr/bin/app'), 0o755)
  chmodSync(join(root, 'etc/app.conf'), 0o600)
  symlinkSync('libx.so.1.2', join(root, 'usr/lib/libx.so.1'))
  symlinkSync('/etc/passwd', join(root, 'etc/passwd-link'))
  linkSync(join(root, 'usr/bin/app'), join(root, 'usr/bin/app-hardlink'))
}

describe('packDirectory', () => {
  it('writes an archive GNU cpio lists with the same names, types, modes, sizes and link targets', async () => {
    const tree = join(tmp.dir, 'gnu-list')
    sampleTree(tree)
    const out = join(tmp.dir, 'gnu-list.cpio')
    const res = await packDirectory(tree, out)
    const lines = await gnuList(out)
    expect(lines).toHaveLength(res.entries)
    const byName = new Map(lines.map(l => [l.split(/\s+/).slice(8).join(' '), l]))
    expect(byName.get('usr/bin/app')).toMatch(/^-rwxr-xr-x\s+1 root\s+root\s+5000 /)
    expect(byName.get('etc/app.conf')).toMatch(/^-rw-------\s+1 root\s+root\s+10 /)
    expect(byName.get('usr/lib/libx.so.1 -> libx.so.1.2')).toMatch(/^lrwxrwxrwx/)
    expect(byName.get('etc/passwd-link -> /etc/passwd')).toMatch(/^lrwxrwxrwx/)
    expect(byName.get('usr')).toMatch(/^drwxr-xr-x/)
    expect(res.bytes).toBe(statSync(out).size)
  })

  it('lists the same entries through readCpio as through GNU cpio, in sorted walk order', async () => {
    const tree = join(tmp.dir, 'order')
    sampleTree(tree)
    const out = join(tmp.dir, 'order.cpio')
    await packDirectory(tree, out)
    const ours = (await list(out)).map(e => e.path)
    expect(ours).toEqual(await gnuNames(out))
    expect(ours).toEqual([
      'empty',
      'etc',
      'etc/app.conf',
      'etc/passwd-link',
      'usr',
      'usr/bin',
      'usr/bin/app',
      'usr/bin/app-hardlink',
      'usr/lib',
      'usr/lib/libx.so.1',
      'usr/lib/libx.so.1.2',
      'z',
      'z/last'
    ])
  })

  it('stores a symlink as a link (its target), never the file it points to', async () => {
    const tree = join(tmp.dir, 'symlink')
    sampleTree(tree)
    const out = join(tmp.dir, 'symlink.cpio')
    await packDirectory(tree, out)
    const e = (await list(out)).find(x => x.path === 'etc/passwd-link')
    expect(e).toMatchObject({ type: 'symlink', linkTarget: '/etc/passwd', size: '/etc/passwd'.length })
  })

  it('is deterministic: the same tree packed twice, or rebuilt in another order, gives identical bytes', async () => {
    const a = join(tmp.dir, 'det-a')
    sampleTree(a)
    const b = join(tmp.dir, 'det-b')
    // Same content created in reverse order, at another time: other inode numbers and mtimes.
    mkdirSync(join(b, 'z'), { recursive: true })
    writeFileSync(join(b, 'z/last'), 'last')
    mkdirSync(join(b, 'usr/lib'), { recursive: true })
    symlinkSync('libx.so.1.2', join(b, 'usr/lib/libx.so.1'))
    writeFileSync(join(b, 'usr/lib/libx.so.1.2'), 'lib')
    mkdirSync(join(b, 'usr/bin'), { recursive: true })
    writeFileSync(join(b, 'usr/bin/app'), Buffer.alloc(5000, 0x41))
    chmodSync(join(b, 'usr/bin/app'), 0o755)
    linkSync(join(b, 'usr/bin/app'), join(b, 'usr/bin/app-hardlink'))
    mkdirSync(join(b, 'etc'))
    symlinkSync('/etc/passwd', join(b, 'etc/passwd-link'))
    writeFileSync(join(b, 'etc/app.conf'), 'port 6379\n')
    chmodSync(join(b, 'etc/app.conf'), 0o600)
    writeFileSync(join(b, 'empty'), '')
    await packDirectory(a, join(tmp.dir, 'det-1.cpio'))
    await packDirectory(a, join(tmp.dir, 'det-2.cpio'))
    await packDirectory(b, join(tmp.dir, 'det-3.cpio'))
    const one = readFileSync(join(tmp.dir, 'det-1.cpio'))
    expect(readFileSync(join(tmp.dir, 'det-2.cpio')).equals(one)).toBe(true)
    expect(readFileSync(join(tmp.dir, 'det-3.cpio')).equals(one)).toBe(true)
    expect(
      (await list(join(tmp.dir, 'det-1.cpio'))).every(e => e.mtime === 0 && e.uid === 0 && e.gid === 0)
    ).toBe(true)
  })

  it("copies hard links by default: each path carries its data, as Unikraft's ukcpio needs", async () => {
    const tree = join(tmp.dir, 'hl-copy')
    sampleTree(tree)
    const out = join(tmp.dir, 'hl-copy.cpio')
    await packDirectory(tree, out)
    const es = await list(out)
    const a = es.find(e => e.path === 'usr/bin/app') as CpioListing
    const b = es.find(e => e.path === 'usr/bin/app-hardlink') as CpioListing
    expect([a.size, b.size, a.nlink, b.nlink]).toEqual([5000, 5000, 1, 1])
    expect(a.ino).not.toBe(b.ino)
  })

  it('keeps hard links as links on request: data on the first entry, and GNU cpio restores one inode', async () => {
    const tree = join(tmp.dir, 'hl-link')
    sampleTree(tree)
    const out = join(tmp.dir, 'hl-link.cpio')
    await packDirectory(tree, out, { hardlinks: 'link' })
    const es = await list(out)
    const a = es.find(e => e.path === 'usr/bin/app') as CpioListing
    const b = es.find(e => e.path === 'usr/bin/app-hardlink') as CpioListing
    expect([a.size, b.size, a.nlink, b.nlink]).toEqual([5000, 0, 2, 2])
    expect(a.ino).toBe(b.ino)
    const gnuDir = join(tmp.dir, 'hl-link-gnu')
    mkdirSync(gnuDir)
    await mustRun(['cpio', '-idm', '--quiet'], { cwd: gnuDir, stdinFile: out })
    const sa = statSync(join(gnuDir, 'usr/bin/app'))
    const sb = statSync(join(gnuDir, 'usr/bin/app-hardlink'))
    expect(sa.ino).toBe(sb.ino)
    expect(readFileSync(join(gnuDir, 'usr/bin/app-hardlink'))).toEqual(Buffer.alloc(5000, 0x41))
    const ourDir = join(tmp.dir, 'hl-link-ours')
    await extractCpio(out, ourDir)
    expect(statSync(join(ourDir, 'usr/bin/app')).ino).toBe(statSync(join(ourDir, 'usr/bin/app-hardlink')).ino)
    expect(readFileSync(join(ourDir, 'usr/bin/app-hardlink'))).toEqual(Buffer.alloc(5000, 0x41))
  })

  it('merges extra entries in order, adding the parent directories the tree lacks (/dev/console, /init)', async () => {
    const tree = join(tmp.dir, 'extra')
    writeTree(tree, { 'bin/prog': 'x', 'etc/conf': 'y' })
    const out = join(tmp.dir, 'extra.cpio')
    const extra: CpioEntry[] = [
      { path: 'init', type: 'file', mode: 0o755, data: Buffer.from('#!/bin/sh\nexec /bin/prog\n') },
      { path: 'dev/console', type: 'char', mode: 0o600, rdevMajor: 5, rdevMinor: 1 },
      { path: 'etc/conf', type: 'file', mode: 0o644, data: Buffer.from('replaced') }
    ]
    await packDirectory(tree, out, { extra })
    const es = await list(out)
    expect(es.map(e => e.path)).toEqual(['bin', 'bin/prog', 'dev', 'dev/console', 'etc', 'etc/conf', 'init'])
    expect(es.find(e => e.path === 'dev/console')).toMatchObject({
      type: 'char',
      rdevMajor: 5,
      rdevMinor: 1,
      mode: 0o600
    })
    expect(es.find(e => e.path === 'etc/conf')?.size).toBe('replaced'.length)
    expect(await gnuList(out)).toContainEqual(expect.stringMatching(/^crw-------.*5,\s+1 .*dev\/console$/))
  })

  it.each(['../escape', 'a/../../b', '/abs', 'a//b', ''])(
    'rejects the unsafe extra entry path %j',
    async p => {
      const tree = join(tmp.dir, 'unsafe')
      writeTree(tree, { f: 'x' })
      await expect(
        packDirectory(tree, join(tmp.dir, 'unsafe.cpio'), {
          extra: [{ path: p, type: 'file', mode: 0o644, data: Buffer.alloc(0) }]
        })
      ).rejects.toBeInstanceOf(ConfigurationError)
      expect(existsSync(join(tmp.dir, 'unsafe.cpio'))).toBe(false)
    }
  )

  // mknod needs root; the sidecar test below covers the other path.
  ;(isRoot ? it : it.skip)('stores device nodes and fifos found in the tree', async () => {
    const tree = join(tmp.dir, 'dev')
    mkdirSync(join(tree, 'dev'), { recursive: true })
    await mustRun(['mknod', '-m', '666', join(tree, 'dev/null'), 'c', '1', '3'])
    await mustRun(['mknod', '-m', '660', join(tree, 'dev/loop9'), 'b', '7', '9'])
    await mustRun(['mkfifo', '-m', '644', join(tree, 'dev/fifo')])
    const out = join(tmp.dir, 'dev.cpio')
    await packDirectory(tree, out)
    const es = await list(out)
    expect(es.find(e => e.path === 'dev/null')).toMatchObject({
      type: 'char',
      rdevMajor: 1,
      rdevMinor: 3,
      mode: 0o666
    })
    expect(es.find(e => e.path === 'dev/loop9')).toMatchObject({ type: 'block', rdevMajor: 7, rdevMinor: 9 })
    expect(es.find(e => e.path === 'dev/fifo')).toMatchObject({ type: 'fifo', size: 0 })
    const lines = await gnuList(out)
    expect(lines).toContainEqual(expect.stringMatching(/^brw-rw----.*7,\s+9 .*dev\/loop9$/))
  })

  it('adds the device nodes recorded in the sidecar next to the tree', async () => {
    const tree = join(tmp.dir, 'sidecar')
    writeTree(tree, { 'dev/.keep': '' })
    await writeSpecials(tree, [
      { path: 'dev/console', type: 'char', mode: 0o600, rdevMajor: 5, rdevMinor: 1 }
    ])
    const out = join(tmp.dir, 'sidecar.cpio')
    await packDirectory(tree, out)
    expect((await list(out)).find(e => e.path === 'dev/console')).toMatchObject({
      type: 'char',
      rdevMajor: 5,
      rdevMinor: 1
    })
    await packDirectory(tree, out, { sidecar: false })
    expect((await list(out)).some(e => e.path === 'dev/console')).toBe(false)
  })

  it('writes gzip that readCpio and gunzip | cpio both read', async () => {
    const tree = join(tmp.dir, 'gz')
    sampleTree(tree)
    const out = join(tmp.dir, 'gz.cpio.gz')
    await packDirectory(tree, out, { gzip: true })
    expect(readFileSync(out).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
    const plain = join(tmp.dir, 'gz.cpio')
    await mustRun(['gzip', '-dc', out], { stdoutFile: plain })
    expect((await list(out)).map(e => e.path)).toEqual(await gnuNames(plain))
  })

  it('names corrupt gzip data as such, wherever the damage is', async () => {
    const tree = join(tmp.dir, 'gzbad')
    sampleTree(tree)
    const out = join(tmp.dir, 'gzbad.cpio.gz')
    await packDirectory(tree, out, { gzip: true })
    const good = readFileSync(out)
    for (const [from, to, mask] of [
      [30, 31, 0x01],
      [40, 60, 0x55],
      [100, 400, 0xff],
      [good.length - 8, good.length - 7, 0x01]
    ]) {
      const bytes = Buffer.from(good)
      for (let i = from; i < to; i++) bytes[i] ^= mask
      const bad = join(tmp.dir, `gzbad-${from}.cpio.gz`)
      writeFileSync(bad, bytes)
      await expect(list(bad)).rejects.toThrow(/gzip data is corrupt/)
    }
  })

  it('refuses to write the archive inside the tree it packs', async () => {
    const tree = join(tmp.dir, 'self')
    writeTree(tree, { f: 'x' })
    await expect(packDirectory(tree, join(tree, 'out.cpio'))).rejects.toThrow(/inside the tree/)
  })

  it('names a file it cannot read, and leaves no archive behind', async () => {
    // Root reads everything: the packing runs in a child process as 'nobody' then.
    const base = mkdtempSync(join(tmpdir(), 'uc-rootfs-unreadable-'))
    try {
      chmodSync(base, 0o777)
      const tree = join(base, 'tree')
      writeTree(tree, { 'a/ok': 'fine', 'a/secret': 'x' })
      chmodSync(join(tree, 'a/secret'), 0)
      const out = join(base, 'out.cpio')
      const script = join(base, 'pack.mts')
      const packModule = fileURLToPath(
        new URL('../../../src/engine/rootfs/pack-directory.ts', import.meta.url)
      )
      writeFileSync(
        script,
        `import { packDirectory } from ${JSON.stringify(packModule)}\n` +
          'try { await packDirectory(process.argv[2], process.argv[3]); console.log("packed") }\n' +
          'catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })) }\n'
      )
      const asUser = isRoot ? { uid: 65534, gid: 65534 } : {}
      const r = await run([process.execPath, '--import', 'tsx', script, tree, out], {
        cwd: process.cwd(),
        ...asUser
      })
      const err = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { name: string; message: string }
      expect(err.name).toBe('ConfigurationError')
      expect(err.message).toMatch(/cannot read '.*\/tree\/a\/secret' \(permission denied\)/)
      expect(readdirSync(base).sort()).toEqual(['pack.mts', 'tree'])
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('newc layout', () => {
  // Every name length and data size modulo 4 (header 110 bytes + name + NUL, padded; data padded).
  const cases = [1, 2, 3, 4, 5, 6, 7, 8].flatMap(n => [0, 1, 2, 3, 4, 5, 6, 7].map(s => [n, s] as const))
  it.each(cases)('pads a %i-byte name and %i bytes of data to 4-byte boundaries', async (nameLen, size) => {
    const name = 'n'.repeat(nameLen)
    const data = Buffer.alloc(size, 0x62)
    const out = join(tmp.dir, `pad-${nameLen}-${size}.cpio`)
    await writeCpio(
      [
        { path: name, type: 'file', mode: 0o644, data },
        { path: `${name}x`, type: 'symlink', mode: 0o777, linkTarget: 't'.repeat(size + 1) }
      ],
      out
    )
    const bytes = readFileSync(out)
    // Walk the headers by hand: each must start at a multiple of 4 with the newc magic.
    let off = 0
    const names: string[] = []
    for (;;) {
      expect(off % 4).toBe(0)
      expect(bytes.subarray(off, off + 6).toString('latin1')).toBe('070701')
      const namesize = parseInt(bytes.subarray(off + 94, off + 102).toString('latin1'), 16)
      const filesize = parseInt(bytes.subarray(off + 54, off + 62).toString('latin1'), 16)
      const n = bytes.subarray(off + 110, off + 110 + namesize - 1).toString('latin1')
      expect(bytes[off + 110 + namesize - 1]).toBe(0)
      names.push(n)
      let dataAt = off + 110 + namesize
      dataAt += (4 - (dataAt % 4)) % 4
      if (n === 'TRAILER!!!') {
        expect(dataAt).toBe(bytes.length)
        break
      }
      if (n === name) expect(bytes.subarray(dataAt, dataAt + filesize)).toEqual(data)
      off = dataAt + filesize + ((4 - (filesize % 4)) % 4)
    }
    expect(names).toEqual([name, `${name}x`, 'TRAILER!!!'])
    expect(await gnuNames(out)).toEqual([name, `${name}x`])
  })

  it.each(['a/../b', '../x', '/etc/passwd', 'a//b', ''])('writeCpio rejects the entry path %j', async p => {
    const out = join(tmp.dir, 'bad-path.cpio')
    await expect(
      writeCpio([{ path: p, type: 'file', mode: 0o644, data: Buffer.alloc(1) }], out)
    ).rejects.toThrow(/unsafe entry path/)
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(tmp.dir).some(n => n.startsWith('bad-path.cpio.partial'))).toBe(false)
  })

  it('writeCpio streams a file source and fails, leaving nothing, when its size is wrong', async () => {
    const src = join(tmp.dir, 'src.bin')
    writeFileSync(src, Buffer.alloc(3_000_000, 7))
    const ok = join(tmp.dir, 'src-ok.cpio')
    await writeCpio([{ path: 'big', type: 'file', mode: 0o644, source: src, size: 3_000_000 }], ok)
    const es = await list(ok)
    expect(es[0]).toMatchObject({ path: 'big', size: 3_000_000 })
    const bad = join(tmp.dir, 'src-bad.cpio')
    await expect(
      writeCpio([{ path: 'big', type: 'file', mode: 0o644, source: src, size: 3_000_001 }], bad)
    ).rejects.toThrow(/shrank/)
    await expect(
      writeCpio([{ path: 'big', type: 'file', mode: 0o644, source: src, size: 10 }], bad)
    ).rejects.toThrow(/grew/)
    expect(existsSync(bad)).toBe(false)
  })
})

describe('readCpio', () => {
  it('reads an archive GNU cpio wrote (find . | cpio -o -H newc)', async () => {
    const tree = join(tmp.dir, 'gnu-made')
    sampleTree(tree)
    const names = join(tmp.dir, 'gnu-made.names')
    await mustRun(['find', '.'], { cwd: tree, stdoutFile: names })
    const out = join(tmp.dir, 'gnu-made.cpio')
    await mustRun(['cpio', '-o', '-H', 'newc', '--quiet'], { cwd: tree, stdinFile: names, stdoutFile: out })
    const es = await list(out)
    expect(es.map(e => e.path).sort()).toEqual((await gnuNames(out)).sort())
    expect(es.find(e => e.path === 'usr/lib/libx.so.1')).toMatchObject({
      type: 'symlink',
      linkTarget: 'libx.so.1.2'
    })
    expect(es.find(e => e.path === 'usr/bin/app')).toMatchObject({ type: 'file', mode: 0o755 })
    const dir = join(tmp.dir, 'gnu-made-x')
    await extractCpio(out, dir)
    expect(readFileSync(join(dir, 'usr/bin/app-hardlink'))).toEqual(Buffer.alloc(5000, 0x41))
    expect(readFileSync(join(dir, 'etc/app.conf'), 'utf8')).toBe('port 6379\n')
  })

  const notCpio: [string, Buffer | string, RegExp][] = [
    ['a text file', 'hello world\n', /not a cpio archive \(newc\): it starts with bytes 68 65/],
    ['an empty file', '', /the file is empty/],
    ['an ELF program', readFileSync('/bin/ls').subarray(0, 4096), /ELF file/],
    ['an odc archive', '070707' + '0'.repeat(200), /old portable \(odc\) format/],
    ['an xz file', Buffer.from('fd377a585a000004e6d6b446', 'hex'), /xz-compressed/]
  ]
  it.each(notCpio)('says clearly that %s is not an initrd', async (_what, content, message) => {
    const f = join(tmp.dir, 'not-cpio')
    writeFileSync(f, content)
    await expect(assertCpio(f)).rejects.toThrow(CpioFormatError)
    await expect(assertCpio(f)).rejects.toThrow(message)
  })

  it('reports a truncated archive as truncated', async () => {
    const tree = join(tmp.dir, 'trunc')
    sampleTree(tree)
    const out = join(tmp.dir, 'trunc.cpio')
    await packDirectory(tree, out)
    const cut = join(tmp.dir, 'trunc-cut.cpio')
    writeFileSync(cut, readFileSync(out).subarray(0, 3000))
    await expect(list(cut)).rejects.toThrow(/truncated/)
  })
})

describe('extractCpio', () => {
  it("rejects an entry with '..' that GNU cpio was made to write, naming it", async () => {
    const base = join(tmp.dir, 'evil-cpio')
    writeTree(base, { 'inside/x': 'x', 'outside.txt': 'owned' })
    const names = join(tmp.dir, 'evil.names')
    writeFileSync(names, 'x\n../outside.txt\n')
    const out = join(tmp.dir, 'evil.cpio')
    await mustRun(['cpio', '-o', '-H', 'newc', '--quiet'], {
      cwd: join(base, 'inside'),
      stdinFile: names,
      stdoutFile: out
    })
    expect(await gnuNames(out)).toContain('../outside.txt')
    const dest = join(tmp.dir, 'evil-x', 'tree')
    await expect(extractCpio(out, dest)).rejects.toThrow(
      /entry '\.\.\/outside\.txt' escapes the root filesystem/
    )
    expect(existsSync(join(tmp.dir, 'evil-x', 'outside.txt'))).toBe(false)
  })

  it('refuses to write through a symlink an earlier entry made', async () => {
    const out = join(tmp.dir, 'through.cpio')
    const outside = join(tmp.dir, 'through-outside')
    mkdirSync(outside)
    await writeCpio(
      [
        { path: 'link', type: 'symlink', mode: 0o777, linkTarget: outside },
        { path: 'link/pwned', type: 'file', mode: 0o644, data: Buffer.from('x') }
      ],
      out
    )
    await expect(extractCpio(out, join(tmp.dir, 'through-x'))).rejects.toThrow(
      /'link\/pwned' would be written through the symlink 'link'/
    )
    expect(readdirSync(outside)).toEqual([])
  })
})
