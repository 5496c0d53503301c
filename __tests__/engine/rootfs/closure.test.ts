import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { buildBinaryTree } from '../../../src/engine/rootfs/binary-tree.js'
import { ClosureResolver, resolveClosure } from '../../../src/engine/rootfs/closure.js'
import { EM } from '../../../src/engine/rootfs/elf.js'
import { preflight } from '../../../src/engine/rootfs/preflight.js'
import { SymlinkLoopError } from '../../../src/engine/rootfs/tree-path.js'
import { isRoot, makeTemp, mustRun, run } from './helpers.js'

let tmp: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  tmp = await makeTemp('closure')
})
afterAll(async () => tmp.cleanup())

/** What glibc's own loader resolves (LD_TRACE_LOADED_OBJECTS, i.e. ldd): name -> path or null. */
async function loaderSays(
  program: string,
  env: Record<string, string> = {}
): Promise<Map<string, string | null>> {
  // What ldd does: the loader in trace mode lists what it loaded and never runs the program.
  const out = await mustRun(['/lib64/ld-linux-x86-64.so.2', program], {
    env: { ...env, LD_TRACE_LOADED_OBJECTS: '1' }
  })
  const m = new Map<string, string | null>()
  for (const line of out.split('\n')) {
    const found = /^\s*(\S+) => (\S+) \(0x/.exec(line)
    const missing = /^\s*(\S+) => not found/.exec(line)
    if (found) m.set(found[1], found[2])
    else if (missing) m.set(missing[1], null)
  }
  return m
}

async function cc(out: string, source: string, flags: string[]): Promise<string> {
  const src = `${out}.c`
  mkdirSync(join(out, '..'), { recursive: true })
  writeFileSync(src, source)
  // Libraries (-l) must follow the source that needs them.
  await mustRun(['gcc', '-o', out, src, ...flags])
  return out
}

describe('resolveClosure against glibc on the host', () => {
  it('resolves /usr/bin/redis-server to the same files as the loader, with the interpreter', async () => {
    const c = resolveClosure('/usr/bin/redis-server')
    const truth = await loaderSays('/usr/bin/redis-server')
    expect(c.unresolved).toEqual([])
    expect(c.interpreter).toEqual({
      path: '/lib64/ld-linux-x86-64.so.2',
      realPath: realpathSync('/lib64/ld-linux-x86-64.so.2')
    })
    for (const [name, path] of truth) {
      if (name.startsWith('/')) continue // the interpreter, listed by its path
      const ours = c.libraries.find(l => l.name === name)
      expect(ours?.realPath).toBe(realpathSync(path as string))
    }
    expect(c.libraries.map(l => l.name).sort()).toEqual(
      [...truth.keys()].filter(n => !n.startsWith('/')).sort()
    )
  })

  it('keeps symlinks as symlinks in the file list (program, libraries, /lib64 and the loader)', () => {
    const c = resolveClosure('/usr/bin/redis-server')
    for (const f of c.files) {
      const st = lstatSync(f.path)
      if (f.type === 'symlink') expect(readlinkSync(f.path)).toBe(f.target)
      else expect(st.isFile()).toBe(true)
    }
    const ssl = c.libraries.find(l => l.name === 'libssl.so.3')
    expect(c.files.some(f => f.path === ssl?.realPath && f.type === 'file')).toBe(true)
    // Every link followed on the way to a library is in the list, so the copy resolves the same way.
    for (const lib of c.libraries) {
      let p = lib.path
      for (let hops = 0; hops < 10 && p !== lib.realPath; hops++) {
        const link = c.files.find(f => f.type === 'symlink' && (p === f.path || p.startsWith(f.path + '/')))
        expect(link).toBeDefined()
        const target = link!.target!.startsWith('/') ? link!.target! : join(link!.path, '..', link!.target!)
        p = join(target, p.slice(link!.path.length))
      }
      expect(p).toBe(lib.realPath)
    }
  })

  it("follows DT_RPATH up the loader chain, as ld.so does (a library without its own path finds its dependency through the program's RPATH)", async () => {
    const a = join(tmp.dir, 'chain', 'a')
    const b = join(tmp.dir, 'chain', 'b')
    await cc(join(a, 'libbaz.so'), 'int baz(void) { return 1; }\n', ['-shared', '-fPIC'])
    await cc(join(b, 'libbar.so'), 'int baz(void);\nint bar(void) { return baz(); }\n', [
      '-shared',
      '-fPIC',
      `-L${a}`,
      '-lbaz'
    ])
    const main = 'int bar(void);\nint main(void) { return bar(); }\n'
    const link = [`-L${b}`, '-lbar', `-Wl,-rpath-link,${a}`]
    const withRpath = await cc(join(tmp.dir, 'chain', 'rpath'), main, [
      ...link,
      '-Wl,--disable-new-dtags',
      `-Wl,-rpath,${a}:${b}`
    ])
    const withRunpath = await cc(join(tmp.dir, 'chain', 'runpath'), main, [
      ...link,
      '-Wl,--enable-new-dtags',
      `-Wl,-rpath,${a}:${b}`
    ])

    const truthR = await loaderSays(withRpath)
    const r = resolveClosure(withRpath)
    expect(truthR.get('libbaz.so')).toBe(join(a, 'libbaz.so'))
    expect(r.libraries.find(l => l.name === 'libbaz.so')).toMatchObject({
      path: join(a, 'libbaz.so'),
      via: 'rpath',
      neededBy: [join(b, 'libbar.so')]
    })

    // DT_RUNPATH applies to the object's own DT_NEEDED only: libbar's libbaz is not found.
    const truthN = await loaderSays(withRunpath)
    expect(truthN.get('libbaz.so')).toBeNull()
    const n = resolveClosure(withRunpath)
    expect(n.libraries.find(l => l.name === 'libbar.so')).toMatchObject({
      path: join(b, 'libbar.so'),
      via: 'runpath'
    })
    expect(n.unresolved).toEqual([
      expect.objectContaining({ name: 'libbaz.so', neededBy: [join(b, 'libbar.so')] })
    ])
  })

  it('prefers LD_LIBRARY_PATH over DT_RUNPATH, and DT_RPATH over LD_LIBRARY_PATH', async () => {
    const one = join(tmp.dir, 'order', 'one')
    const two = join(tmp.dir, 'order', 'two')
    await cc(join(one, 'libw.so'), 'int w(void) { return 1; }\n', ['-shared', '-fPIC'])
    await cc(join(two, 'libw.so'), 'int w(void) { return 2; }\n', ['-shared', '-fPIC'])
    const main = 'int w(void);\nint main(void) { return w(); }\n'
    const runp = await cc(join(tmp.dir, 'order', 'runp'), main, [
      `-L${one}`,
      '-lw',
      '-Wl,--enable-new-dtags',
      `-Wl,-rpath,${one}`
    ])
    const rp = await cc(join(tmp.dir, 'order', 'rp'), main, [
      `-L${one}`,
      '-lw',
      '-Wl,--disable-new-dtags',
      `-Wl,-rpath,${one}`
    ])
    expect(resolveClosure(runp, { ldLibraryPath: [two] }).libraries[0]).toMatchObject({
      path: join(two, 'libw.so'),
      via: 'ld-library-path'
    })
    expect(resolveClosure(rp, { ldLibraryPath: [two] }).libraries[0]).toMatchObject({
      path: join(one, 'libw.so'),
      via: 'rpath'
    })
    expect((await loaderSays(runp, { LD_LIBRARY_PATH: two })).get('libw.so')).toBe(join(two, 'libw.so'))
    expect((await loaderSays(rp, { LD_LIBRARY_PATH: two })).get('libw.so')).toBe(join(one, 'libw.so'))
  })
})

describe('resolveClosure inside a sysroot', () => {
  let sys: string
  const hostLib = (name: string): string => realpathSync(join('/lib/x86_64-linux-gnu', name))
  beforeAll(async () => {
    sys = join(tmp.dir, 'sysroot')
    // A merged-/usr layout like Debian's: /lib -> usr/lib, /lib64 -> usr/lib64.
    mkdirSync(join(sys, 'usr/lib/x86_64-linux-gnu'), { recursive: true })
    mkdirSync(join(sys, 'usr/lib64'), { recursive: true })
    symlinkSync('usr/lib', join(sys, 'lib'))
    symlinkSync('usr/lib64', join(sys, 'lib64'))
    copyFileSync(hostLib('libc.so.6'), join(sys, 'usr/lib/x86_64-linux-gnu/libc.so.6'))
    copyFileSync(hostLib('ld-linux-x86-64.so.2'), join(sys, 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'))
    symlinkSync('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', join(sys, 'usr/lib64/ld-linux-x86-64.so.2'))
    const lib = join(tmp.dir, 'build', 'libanswer.so.1.0')
    await cc(lib, 'int answer(void) { return 42; }\n', ['-shared', '-fPIC', '-Wl,-soname,libanswer.so.1'])
    mkdirSync(join(sys, 'app/lib'), { recursive: true })
    copyFileSync(lib, join(sys, 'app/lib/libanswer.so.1.0'))
    symlinkSync('libanswer.so.1.0', join(sys, 'app/lib/libanswer.so.1'))
    const main = 'int answer(void);\nint main(void) { return answer(); }\n'
    const build = join(tmp.dir, 'build')
    symlinkSync('libanswer.so.1.0', join(build, 'libanswer.so'))
    await cc(join(sys, 'app/bin/prog'), main, [
      `-L${build}`,
      '-lanswer',
      '-Wl,--enable-new-dtags',
      '-Wl,-rpath,$ORIGIN/../lib'
    ])
    await cc(join(sys, 'app/bin/plain'), main, [`-L${build}`, '-lanswer'])
  }, 60_000)

  it('resolves $ORIGIN from the program, the interpreter through /lib64, and keeps the links', () => {
    const c = resolveClosure('/app/bin/prog', { sysroot: sys })
    expect(c.unresolved).toEqual([])
    expect(c.interpreter).toEqual({
      path: '/lib64/ld-linux-x86-64.so.2',
      realPath: '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'
    })
    expect(c.libraries.map(l => [l.name, l.path, l.realPath, l.via])).toEqual([
      // The path as ld.so names it: $ORIGIN/../lib expanded, not normalised.
      ['libanswer.so.1', '/app/bin/../lib/libanswer.so.1', '/app/lib/libanswer.so.1.0', 'runpath'],
      ['libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6', 'default']
    ])
    expect(c.files).toEqual([
      { path: '/app/bin/prog', type: 'file', role: 'program' },
      { path: '/app/lib/libanswer.so.1', type: 'symlink', target: 'libanswer.so.1.0', role: 'link' },
      { path: '/app/lib/libanswer.so.1.0', type: 'file', role: 'library' },
      { path: '/lib', type: 'symlink', target: 'usr/lib', role: 'link' },
      { path: '/lib64', type: 'symlink', target: 'usr/lib64', role: 'link' },
      { path: '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', type: 'file', role: 'interpreter' },
      { path: '/usr/lib/x86_64-linux-gnu/libc.so.6', type: 'file', role: 'library' },
      {
        path: '/usr/lib64/ld-linux-x86-64.so.2',
        type: 'symlink',
        target: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
        role: 'link'
      }
    ])
  })

  it('reports what it cannot find, with who needs it and where it looked', () => {
    const c = resolveClosure('/app/bin/plain', { sysroot: sys })
    expect(c.unresolved).toEqual([
      {
        name: 'libanswer.so.1',
        neededBy: ['/app/bin/plain'],
        searched: [
          '/lib/x86_64-linux-gnu',
          '/usr/lib/x86_64-linux-gnu',
          '/lib64',
          '/usr/lib64',
          '/lib',
          '/usr/lib'
        ]
      }
    ])
  })

  it('searches /etc/ld.so.conf and its include globs (relative to the including file)', () => {
    const s2 = join(tmp.dir, 'sysroot-conf')
    mkdirSync(join(s2, 'etc/ld.so.conf.d'), { recursive: true })
    mkdirSync(join(s2, 'opt/answer/lib'), { recursive: true })
    mkdirSync(join(s2, 'app/bin'), { recursive: true })
    copyFileSync(join(sys, 'app/bin/plain'), join(s2, 'app/bin/plain'))
    copyFileSync(join(sys, 'app/lib/libanswer.so.1.0'), join(s2, 'opt/answer/lib/libanswer.so.1'))
    writeFileSync(join(s2, 'etc/ld.so.conf'), '# comment\ninclude ld.so.conf.d/*.conf\n')
    writeFileSync(join(s2, 'etc/ld.so.conf.d/answer.conf'), '/opt/answer/lib  # trailing comment\n')
    writeFileSync(join(s2, 'etc/ld.so.conf.d/ignored.txt'), '/nowhere\n')
    const c = resolveClosure('/app/bin/plain', { sysroot: s2 })
    expect(new ClosureResolver(s2).confDirs()).toEqual(['/opt/answer/lib'])
    expect(c.libraries.find(l => l.name === 'libanswer.so.1')).toMatchObject({
      path: '/opt/answer/lib/libanswer.so.1',
      via: 'ld.so.conf'
    })
    expect(c.needsLdSoCache).toBe(true)
    expect(c.unresolved.map(u => u.name)).toEqual(['libc.so.6'])
  })

  it('skips a candidate of another machine and takes the next one, like ld.so', () => {
    const s3 = join(tmp.dir, 'sysroot-arch')
    mkdirSync(join(s3, 'lib/x86_64-linux-gnu'), { recursive: true })
    mkdirSync(join(s3, 'usr/lib'), { recursive: true })
    mkdirSync(join(s3, 'app/bin'), { recursive: true })
    copyFileSync(join(sys, 'app/bin/plain'), join(s3, 'app/bin/plain'))
    const good = readFileSync(join(sys, 'app/lib/libanswer.so.1.0'))
    const arm = Buffer.from(good)
    arm.writeUInt16LE(EM.AARCH64, 18)
    writeFileSync(join(s3, 'lib/x86_64-linux-gnu/libanswer.so.1'), arm)
    writeFileSync(join(s3, 'usr/lib/libanswer.so.1'), good)
    const c = resolveClosure('/app/bin/plain', { sysroot: s3 })
    expect(c.libraries.find(l => l.name === 'libanswer.so.1')?.path).toBe('/usr/lib/libanswer.so.1')
  })

  it('rejects a symlink loop in the tree, naming the path', () => {
    const s4 = join(tmp.dir, 'sysroot-loop')
    mkdirSync(join(s4, 'lib/x86_64-linux-gnu'), { recursive: true })
    mkdirSync(join(s4, 'app/bin'), { recursive: true })
    copyFileSync(join(sys, 'app/bin/plain'), join(s4, 'app/bin/plain'))
    symlinkSync('libanswer.so.2', join(s4, 'lib/x86_64-linux-gnu/libanswer.so.1'))
    symlinkSync('libanswer.so.1', join(s4, 'lib/x86_64-linux-gnu/libanswer.so.2'))
    expect(() => resolveClosure('/app/bin/plain', { sysroot: s4 })).toThrow(SymlinkLoopError)
    expect(() => resolveClosure('/app/bin/plain', { sysroot: s4 })).toThrow(
      /resolving '\/lib\/x86_64-linux-gnu\/libanswer\.so\.1'/
    )
  })

  it('never leaves the sysroot: an absolute symlink target is taken from the sysroot root', () => {
    const s5 = join(tmp.dir, 'sysroot-abs')
    mkdirSync(join(s5, 'app/bin'), { recursive: true })
    mkdirSync(join(s5, 'usr/lib'), { recursive: true })
    copyFileSync(join(sys, 'app/bin/plain'), join(s5, 'app/bin/plain'))
    // On the host /usr/lib/x86_64-linux-gnu/libc.so.6 exists; inside s5 it does not.
    symlinkSync('/usr/lib/x86_64-linux-gnu/libc.so.6', join(s5, 'usr/lib/libc.so.6'))
    symlinkSync('../../../../../../../../lib/x86_64-linux-gnu/libc.so.6', join(s5, 'usr/lib/libanswer.so.1'))
    const c = resolveClosure('/app/bin/plain', { sysroot: s5 })
    expect(c.unresolved.map(u => u.name).sort()).toEqual(['libanswer.so.1', 'libc.so.6'])
  })
})

describe('buildBinaryTree', () => {
  it('copies redis-server with its closure into a tree that runs under chroot and passes preflight', async () => {
    const tree = join(tmp.dir, 'redis-tree')
    writeFileSync(join(tmp.dir, 'redis.conf'), 'port 6379\n')
    const c = await buildBinaryTree('/usr/bin/redis-server', tree, {
      extra: [{ src: join(tmp.dir, 'redis.conf'), dest: '/etc/redis/redis.conf' }]
    })
    expect(c.unresolved).toEqual([])
    expect(readlinkSync(join(tree, 'lib64'))).toBe('usr/lib64')
    expect(lstatSync(join(tree, 'usr/bin/redis-server')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(tree, 'etc/redis/redis.conf'), 'utf8')).toBe('port 6379\n')
    expect(
      await preflight(tree, ['/usr/bin/redis-server', '/etc/redis/redis.conf'], {
        memoryMiB: 256,
        guest: 'unikraft'
      })
    ).toEqual([])
    if (isRoot) {
      const r = await run(['chroot', tree, '/usr/bin/redis-server', '--version'])
      expect(r.stdout).toMatch(/^Redis server v=/)
    }
  }, 60_000)

  it('puts an extra whose destination crosses a symlink of the tree where the symlink leads', async () => {
    const tree = join(tmp.dir, 'ls-tree')
    writeFileSync(join(tmp.dir, 'libextra.so'), 'not really a library')
    await buildBinaryTree('/bin/ls', tree, {
      extra: [{ src: join(tmp.dir, 'libextra.so'), dest: '/lib/x86_64-linux-gnu/libextra.so' }]
    })
    expect(readlinkSync(join(tree, 'lib'))).toBe('usr/lib')
    expect(existsSync(join(tree, 'usr/lib/x86_64-linux-gnu/libextra.so'))).toBe(true)
  })

  it('copies a directory extra with its symlinks kept', async () => {
    const tree = join(tmp.dir, 'dir-extra-tree')
    const conf = join(tmp.dir, 'confdir')
    mkdirSync(join(conf, 'sites'), { recursive: true })
    writeFileSync(join(conf, 'sites/a.conf'), 'a')
    symlinkSync('sites/a.conf', join(conf, 'default.conf'))
    await buildBinaryTree('/bin/ls', tree, { extra: [{ src: conf, dest: '/etc/app' }] })
    expect(readlinkSync(join(tree, 'etc/app/default.conf'))).toBe('sites/a.conf')
    expect(readFileSync(join(tree, 'etc/app/sites/a.conf'), 'utf8')).toBe('a')
  })

  it('fails before writing anything when the program is not in the sysroot', async () => {
    const tree = join(tmp.dir, 'none-tree')
    await expect(buildBinaryTree('/usr/bin/definitely-not-here', tree)).rejects.toThrow(
      /'\/usr\/bin\/definitely-not-here' is not a file in the host/
    )
    expect(existsSync(tree)).toBe(false)
  })
})
