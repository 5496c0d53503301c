import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import type { Finding } from '../../../src/engine/finding.js'
import { buildBinaryTree } from '../../../src/engine/rootfs/binary-tree.js'
import { EM } from '../../../src/engine/rootfs/elf.js'
import { preflight, resolveCommand } from '../../../src/engine/rootfs/preflight.js'
import { HELLO_C, gcc, makeTemp } from './helpers.js'

let tmp: { dir: string; cleanup: () => Promise<void> }
const bin: Record<string, string> = {}
let redisTree: string
beforeAll(async () => {
  tmp = await makeTemp('preflight')
  bin.staticPie = await gcc(tmp.dir, 'static-pie', HELLO_C, ['-static-pie'])
  bin.static = await gcc(tmp.dir, 'static', HELLO_C, ['-static'])
  bin.pie = await gcc(tmp.dir, 'pie', HELLO_C, [])
  redisTree = join(tmp.dir, 'redis')
  await buildBinaryTree('/usr/bin/redis-server', redisTree)
}, 60_000)
afterAll(async () => tmp.cleanup())

/** A tree with the given program copied to `at` (mode 0755). */
function treeWith(name: string, program: string | Buffer, at = '/app/prog'): string {
  const root = join(tmp.dir, name)
  mkdirSync(join(root, at, '..'), { recursive: true })
  if (Buffer.isBuffer(program)) writeFileSync(join(root, at), program)
  else copyFileSync(program, join(root, at))
  chmodSync(join(root, at), 0o755)
  return root
}

const ids = (fs: Finding[]): string[] => fs.map(f => f.id)

describe('preflight', () => {
  it('passes a static-PIE program on Unikraft', async () => {
    expect(
      await preflight(treeWith('ok', bin.staticPie), ['/app/prog'], { memoryMiB: 64, guest: 'unikraft' })
    ).toEqual([])
  })

  it('passes the redis-server closure, found through PATH', async () => {
    expect(
      await preflight(redisTree, ['redis-server', '--port', '6379'], { memoryMiB: 256, guest: 'unikraft' })
    ).toEqual([])
  })

  it('flags a fixed-address executable for Unikraft only (Linux runs it)', async () => {
    const root = treeWith('fixed', bin.static)
    const fs = await preflight(root, ['/app/prog'], { memoryMiB: 64, guest: 'unikraft' })
    expect(fs).toEqual([
      {
        id: 'loader.not-pie',
        severity: 'error',
        line: null,
        source: 'preflight',
        detail: 'static',
        evidence:
          "/app/prog is a fixed-address static executable (ELF type EXEC); Unikraft's ELF loader needs a position-independent one",
        hint: expect.stringContaining('-static-pie')
      }
    ])
    expect(await preflight(root, ['/app/prog'], { memoryMiB: 64, guest: 'linux' })).toEqual([])
  })

  it('names each missing library, the program that needs it, and the COPY that fixes it', async () => {
    const root = join(tmp.dir, 'redis-no-ssl')
    await buildBinaryTree('/usr/bin/redis-server', root)
    unlinkSync(join(root, 'usr/lib/x86_64-linux-gnu/libssl.so.3'))
    const fs = await preflight(root, ['/usr/bin/redis-server'], { memoryMiB: 256, guest: 'unikraft' })
    expect(fs).toHaveLength(1)
    expect(fs[0]).toMatchObject({
      id: 'loader.missing-library',
      severity: 'error',
      detail: 'libssl.so.3',
      source: 'preflight',
      line: null,
      hint: 'Copy the library into the image: COPY --from=build /lib/x86_64-linux-gnu/libssl.so.3 /lib/x86_64-linux-gnu/'
    })
    expect(fs[0].evidence).toMatch(
      /^\/usr\/bin\/redis-server needs libssl\.so\.3 \(DT_NEEDED\), which is not in \/lib\/x86_64-linux-gnu, /
    )
  })

  it("names a library's library with the library that needs it", async () => {
    const root = join(tmp.dir, 'redis-no-crypto')
    await buildBinaryTree('/usr/bin/redis-server', root)
    unlinkSync(join(root, 'usr/lib/x86_64-linux-gnu/libcrypto.so.3'))
    const fs = await preflight(root, ['/usr/bin/redis-server'], { memoryMiB: 256, guest: 'unikraft' })
    expect(fs.map(f => [f.id, f.detail])).toEqual([['loader.missing-library', 'libcrypto.so.3']])
    expect(fs[0].data?.neededBy).toEqual(['/usr/bin/redis-server', '/lib/x86_64-linux-gnu/libssl.so.3'])
  })

  it('reports the missing interpreter and every missing library of a dynamic program copied alone', async () => {
    const fs = await preflight(treeWith('alone', bin.pie), ['/app/prog'], {
      memoryMiB: 64,
      guest: 'unikraft'
    })
    expect(fs.map(f => [f.id, f.detail])).toEqual([
      ['loader.missing-interpreter', '/lib64/ld-linux-x86-64.so.2'],
      ['loader.missing-library', 'libc.so.6']
    ])
    expect(fs[0].hint).toBe(
      'Copy the dynamic loader into the image: COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2'
    )
  })

  it.each([
    [['/app/nope'], "'/app/nope' is not in the root filesystem"],
    [
      ['nope'],
      "'nope' is not in the root filesystem (searched /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin)"
    ],
    [[], 'no command']
  ])('reports a missing program for cmd %j', async (cmd, evidence) => {
    const fs = await preflight(treeWith('missing', bin.staticPie), cmd, { memoryMiB: 64, guest: 'unikraft' })
    expect(ids(fs)).toEqual(['loader.missing-executable'])
    expect(fs[0].evidence).toContain(evidence)
  })

  it('reports a program that is not executable', async () => {
    const root = treeWith('noexec', bin.staticPie)
    chmodSync(join(root, 'app/prog'), 0o644)
    const fs = await preflight(root, ['/app/prog'], { memoryMiB: 64, guest: 'unikraft' })
    expect(fs.map(f => [f.id, f.evidence])).toEqual([
      ['loader.missing-executable', '/app/prog exists but is not executable (mode 0644)']
    ])
  })

  it("searches the guest's PATH for a bare name, and the working directory for ./name", async () => {
    const root = treeWith('path', bin.staticPie, '/opt/tools/prog')
    expect(ids(await preflight(root, ['prog'], { memoryMiB: 64, guest: 'unikraft' }))).toEqual([
      'loader.missing-executable'
    ])
    expect(
      await preflight(root, ['prog'], { memoryMiB: 64, guest: 'unikraft', env: { PATH: '/bin:/opt/tools' } })
    ).toEqual([])
    expect(
      await preflight(root, ['./prog'], { memoryMiB: 64, guest: 'unikraft', workdir: '/opt/tools' })
    ).toEqual([])
    expect(resolveCommand(root, 'prog', { path: '/bin:/opt/tools' })).toMatchObject({
      path: '/opt/tools/prog',
      named: '/opt/tools/prog'
    })
  })

  it('reports a file that is neither ELF nor a script', async () => {
    const fs = await preflight(treeWith('text', Buffer.from('just text\n')), ['/app/prog'], {
      memoryMiB: 64,
      guest: 'linux'
    })
    expect(fs.map(f => [f.id, f.detail])).toEqual([['loader.not-elf', '/app/prog']])
    expect(fs[0].evidence).toContain('starts with 6a 75 73 74')
  })

  it('reports a program for another architecture', async () => {
    const arm = readFileSync(bin.staticPie)
    arm.writeUInt16LE(EM.AARCH64, 18)
    const fs = await preflight(treeWith('arm', arm), ['/app/prog'], { memoryMiB: 64, guest: 'unikraft' })
    expect(fs.map(f => [f.id, f.detail])).toEqual([['loader.wrong-arch', 'aarch64']])
  })

  it("reports a script's missing interpreter, and on Unikraft that scripts need their interpreter as the command", async () => {
    const root = treeWith('script', Buffer.from('#!/bin/sh -e\necho hi\n'), '/app/run.sh')
    const linux = await preflight(root, ['/app/run.sh'], { memoryMiB: 64, guest: 'linux' })
    expect(linux.map(f => [f.id, f.detail])).toEqual([['loader.missing-interpreter', '/bin/sh']])
    expect(linux[0].evidence).toBe(
      "/app/run.sh starts with '#!/bin/sh -e', and /bin/sh is not in the root filesystem"
    )
    const uk = await preflight(root, ['/app/run.sh'], { memoryMiB: 64, guest: 'unikraft' })
    expect(uk.map(f => f.id)).toEqual(['loader.not-elf', 'loader.missing-interpreter'])
    expect(uk[0].hint).toBe('Make the interpreter the command: cmd: /bin/sh -e /app/run.sh')
  })

  it("checks a script's interpreter like a program once it is there", async () => {
    const root = treeWith('script-ok', Buffer.from('#!/bin/sh\necho hi\n'), '/app/run.sh')
    mkdirSync(join(root, 'bin'))
    copyFileSync(bin.pie, join(root, 'bin/sh'))
    chmodSync(join(root, 'bin/sh'), 0o755)
    const fs = await preflight(root, ['/app/run.sh'], { memoryMiB: 64, guest: 'linux' })
    expect(fs.map(f => [f.id, f.detail])).toEqual([
      ['loader.missing-interpreter', '/lib64/ld-linux-x86-64.so.2'],
      ['loader.missing-library', 'libc.so.6']
    ])
    expect(fs[1].evidence).toMatch(/^\/bin\/sh needs libc\.so\.6/)
  })

  it('follows #!/usr/bin/env NAME to NAME in PATH', async () => {
    const root = treeWith('env', Buffer.from('#!/usr/bin/env python3\nprint(1)\n'), '/app/run.py')
    mkdirSync(join(root, 'usr/bin'), { recursive: true })
    copyFileSync(bin.staticPie, join(root, 'usr/bin/env'))
    chmodSync(join(root, 'usr/bin/env'), 0o755)
    const fs = await preflight(root, ['/app/run.py'], { memoryMiB: 64, guest: 'linux' })
    expect(fs.map(f => [f.id, f.detail])).toEqual([['loader.missing-interpreter', 'python3']])
  })

  it('reports an empty tree and nothing else', async () => {
    const root = join(tmp.dir, 'empty')
    mkdirSync(root)
    expect(ids(await preflight(root, ['/app/prog'], { memoryMiB: 64, guest: 'unikraft' }))).toEqual([
      'rootfs.empty'
    ])
  })

  it('warns when the initrd is more than half the guest memory', async () => {
    const root = treeWith('big', bin.staticPie)
    writeFileSync(join(root, 'app/data.bin'), Buffer.alloc(9 << 20))
    const fs = await preflight(root, ['/app/prog'], { memoryMiB: 16, guest: 'unikraft' })
    expect(fs.map(f => [f.id, f.severity])).toEqual([['memory.out-of-memory', 'warning']])
    expect(fs[0].hint).toMatch(/at least \d+ MiB \(memory: \d+M\)/)
    expect(await preflight(root, ['/app/prog'], { memoryMiB: 64, guest: 'unikraft' })).toEqual([])
    rmSync(join(root, 'app/data.bin'))
  })

  it('reports a symlink loop on the way to the program', async () => {
    const root = join(tmp.dir, 'loop')
    mkdirSync(join(root, 'app'), { recursive: true })
    symlinkSync('b', join(root, 'app/a'))
    symlinkSync('a', join(root, 'app/b'))
    const fs = await preflight(root, ['/app/a'], { memoryMiB: 64, guest: 'unikraft' })
    expect(fs.map(f => [f.id, f.detail])).toEqual([['rootfs.symlink-loop', '/app/a']])
  })
})
