import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { buildManifest, writeManifest } from '../../../src/engine/rootfs/manifest.js'
import { packDirectory } from '../../../src/engine/rootfs/pack-directory.js'
import { writeSpecials } from '../../../src/engine/rootfs/specials.js'
import { makeTemp, writeTree } from './helpers.js'

let tmp: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  tmp = await makeTemp('manifest')
})
afterAll(async () => tmp.cleanup())

describe('buildManifest', () => {
  it('lists every entry with path, type, size, mode and link target, in archive order, with totals', async () => {
    const tree = join(tmp.dir, 'tree')
    writeTree(tree, { 'usr/bin/prog': Buffer.alloc(1234), 'etc/conf': 'abc' })
    chmodSync(join(tree, 'usr/bin/prog'), 0o755)
    chmodSync(join(tree, 'etc/conf'), 0o640)
    symlinkSync('usr/bin', join(tree, 'bin'))
    await writeSpecials(tree, [
      { path: 'dev/console', type: 'char', mode: 0o600, rdevMajor: 5, rdevMinor: 1 }
    ])
    const m = await buildManifest(tree)
    expect(m.entries).toEqual([
      { path: '/bin', type: 'symlink', size: 7, mode: '0777', target: 'usr/bin' },
      { path: '/dev/console', type: 'char', size: 0, mode: '0600', rdev: '5,1' },
      { path: '/etc', type: 'dir', size: 0, mode: '0755' },
      { path: '/etc/conf', type: 'file', size: 3, mode: '0640' },
      { path: '/usr', type: 'dir', size: 0, mode: '0755' },
      { path: '/usr/bin', type: 'dir', size: 0, mode: '0755' },
      { path: '/usr/bin/prog', type: 'file', size: 1234, mode: '0755' }
    ])
    expect(m.totals).toMatchObject({ entries: 7, files: 2, dirs: 3, symlinks: 1, other: 1, fileBytes: 1237 })
  })

  it('predicts the exact size of the archive packDirectory writes', async () => {
    const tree = join(tmp.dir, 'size')
    writeTree(tree, { a: 'x', 'bb/ccc': Buffer.alloc(4097), 'dddd/e/f': '', 'g.txt': 'hello world' })
    symlinkSync('../a', join(tree, 'dddd/up'))
    const m = await buildManifest(tree)
    const out = join(tmp.dir, 'size.cpio')
    await packDirectory(tree, out)
    expect(m.totals.cpioBytes).toBe(statSync(out).size)
  })

  it('writes the manifest as JSON', async () => {
    const tree = join(tmp.dir, 'json')
    writeTree(tree, { f: 'x' })
    const m = await buildManifest(tree)
    const out = join(tmp.dir, 'manifest.json')
    await writeManifest(m, out)
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(m)
  })
})
