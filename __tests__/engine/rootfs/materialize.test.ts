import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { writeCpio } from '../../../src/engine/rootfs/cpio-writer.js'
import { materializeRootfs } from '../../../src/engine/rootfs/materialize.js'
import { preflight } from '../../../src/engine/rootfs/preflight.js'
import { HELLO_C, gcc, makeTemp, mustRun, writeTree } from './helpers.js'

let tmp: { dir: string; cleanup: () => Promise<void> }
let app: string
const deps = () => ({ runner: nodeCommandRunner, logger: createMemoryLogger() })
beforeAll(async () => {
  tmp = await makeTemp('materialize')
  app = join(tmp.dir, 'app')
  writeTree(app, { 'tree/etc/app.conf': 'a=1\n', 'redis.conf': 'port 6379\n' })
  mkdirSync(join(app, 'tree/usr/bin'), { recursive: true })
  await gcc(join(app, 'tree/usr/bin'), 'prog', HELLO_C, ['-static-pie'])
})
afterAll(async () => tmp.cleanup())

/** Only the finished outputs may be in the work directory: no partial tree, tarball or sidecar. */
function expectClean(workDir: string, allowed: string[]): void {
  expect(readdirSync(workDir).sort()).toEqual([...allowed].sort())
}

describe('materializeRootfs', () => {
  it('uses a directory as it is, and writes its manifest', async () => {
    const work = join(tmp.dir, 'w-dir')
    const r = await materializeRootfs('tree', { appDir: app, workDir: work }, deps())
    expect(r.kind).toBe('directory')
    expect(r.treeDir).toBe(join(app, 'tree'))
    expect(r.manifest.entries.map(e => e.path)).toContain('/usr/bin/prog')
    expect(JSON.parse(readFileSync(r.manifestPath, 'utf8'))).toEqual(r.manifest)
    expectClean(work, ['rootfs-manifest.json'])
  })

  it('copies a directory when extra files are added, leaving the original untouched', async () => {
    const work = join(tmp.dir, 'w-dir-extra')
    const r = await materializeRootfs(
      'tree',
      { appDir: app, workDir: work, extra: ['redis.conf:/etc/redis/'] },
      deps()
    )
    expect(r.treeDir).toBe(join(work, 'rootfs'))
    expect(readFileSync(join(r.treeDir, 'etc/redis/redis.conf'), 'utf8')).toBe('port 6379\n')
    expect(existsSync(join(app, 'tree/etc/redis'))).toBe(false)
  })

  it('extracts a tarball into <workDir>/rootfs', async () => {
    const tar = join(app, 'rootfs.tar.gz')
    await mustRun(['tar', '-czf', tar, '-C', join(app, 'tree'), '.'])
    const work = join(tmp.dir, 'w-tar')
    const r = await materializeRootfs('rootfs.tar.gz', { appDir: app, workDir: work }, deps())
    expect(r).toMatchObject({ kind: 'tar', treeDir: join(work, 'rootfs') })
    expect(readFileSync(join(r.treeDir, 'etc/app.conf'), 'utf8')).toBe('a=1\n')
    expect(await preflight(r.treeDir, ['/usr/bin/prog'], { memoryMiB: 64, guest: 'unikraft' })).toEqual([])
    expectClean(work, ['rootfs', 'rootfs-manifest.json'])
  })

  it("leaves nothing behind (not even an earlier run's tree) when a tarball escapes its root", async () => {
    const work = join(tmp.dir, 'w-evil')
    await materializeRootfs('tree', { appDir: app, workDir: work, extra: ['redis.conf:/etc/'] }, deps())
    expect(existsSync(join(work, 'rootfs'))).toBe(true)
    const base = join(tmp.dir, 'evil-src')
    writeTree(base, { 'top.txt': 'x', 'sub/.keep': '' })
    await mustRun(['tar', '-cPf', join(app, 'evil.tar'), '../top.txt'], { cwd: join(base, 'sub') })
    const err = await materializeRootfs('evil.tar', { appDir: app, workDir: work }, deps()).catch(
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as Error).message).toMatch(/entry '\.\.\/top\.txt' escapes the root filesystem/)
    expectClean(work, [])
  })

  it('extracts an existing cpio archive for preflight and passes the archive through', async () => {
    const cpio = join(app, 'initrd.cpio')
    await writeCpio(
      [
        { path: 'bin', type: 'dir', mode: 0o755 },
        {
          path: 'bin/prog',
          type: 'file',
          mode: 0o755,
          source: join(app, 'tree/usr/bin/prog'),
          size: lstatSync(join(app, 'tree/usr/bin/prog')).size
        },
        { path: 'dev', type: 'dir', mode: 0o755 },
        { path: 'dev/console', type: 'char', mode: 0o600, rdevMajor: 5, rdevMinor: 1 }
      ],
      cpio
    )
    const work = join(tmp.dir, 'w-cpio')
    const r = await materializeRootfs(cpio, { appDir: app, workDir: work }, deps())
    expect(r).toMatchObject({ kind: 'cpio', cpioPath: cpio })
    expect(r.manifest.entries.find(e => e.path === '/dev/console')).toMatchObject({
      type: 'char',
      rdev: '5,1'
    })
    expect(await preflight(r.treeDir, ['/bin/prog'], { memoryMiB: 64, guest: 'unikraft' })).toEqual([])
  })

  it('builds binary:/usr/bin/redis-server with its libraries, loader and an extra config file', async () => {
    const work = join(tmp.dir, 'w-binary')
    const r = await materializeRootfs(
      'binary:/usr/bin/redis-server',
      { appDir: app, workDir: work, extra: ['redis.conf:/etc/redis/redis.conf'] },
      deps()
    )
    expect(r.kind).toBe('binary')
    expect(r.closure?.unresolved).toEqual([])
    expect(readlinkSync(join(r.treeDir, 'usr/bin/redis-server'))).toBe('redis-check-rdb')
    expect(r.manifest.entries.map(e => e.path)).toEqual(
      expect.arrayContaining(['/lib64', '/etc/redis/redis.conf', '/usr/lib/x86_64-linux-gnu/libssl.so.3'])
    )
    expect(
      await preflight(r.treeDir, ['/usr/bin/redis-server', '/etc/redis/redis.conf'], {
        memoryMiB: 256,
        guest: 'unikraft',
        manifest: r.manifest
      })
    ).toEqual([])
    expectClean(work, ['rootfs', 'rootfs-manifest.json'])
  })

  it.each([
    ['a path climbing out', () => '../../../../../../etc/passwd'],
    ['an absolute path', () => '/etc/passwd'],
    [
      'a symlink inside the app to a host file',
      () => {
        symlinkSync('/etc/passwd', join(app, 'innocent.conf'))
        return 'innocent.conf'
      }
    ]
  ])(
    'refuses %s as a files source: host files never reach the guest or the artifacts',
    async (_name, src) => {
      const work = join(tmp.dir, `w-outside-${randomUUID()}`)
      const spec = `${src()}:/etc/leak`
      const err = await materializeRootfs(
        'binary:/bin/true',
        { appDir: app, workDir: work, extra: [spec] },
        deps()
      ).catch((e: unknown) => e)
      rmSync(join(app, 'innocent.conf'), { force: true })
      expect(err).toBeInstanceOf(ConfigurationError)
      expect((err as ConfigurationError).input).toBe('files')
      expect((err as Error).message).toMatch(
        /^Input 'files' must name files inside the app directory .*: copy the file into the app directory$/
      )
      expectClean(work, [])
    }
  )

  it('names a missing extra file as the files input', async () => {
    const work = join(tmp.dir, 'w-extra-missing')
    const err = await materializeRootfs(
      'binary:/bin/ls',
      { appDir: app, workDir: work, extra: ['nope.conf:/etc/nope.conf'] },
      deps()
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as ConfigurationError).input).toBe('files')
    expect((err as Error).message).toMatch(
      /Input 'files' names '.*nope\.conf' \(for '\/etc\/nope\.conf'\), which does not exist/
    )
    expectClean(work, [])
  })

  it.each(['nope.conf', 'a:relative/dest', 'a:'])(
    'rejects the extra %j before doing anything',
    async extra => {
      const err = await materializeRootfs(
        'binary:/bin/ls',
        { appDir: app, workDir: join(tmp.dir, 'w-x'), extra: [extra] },
        deps()
      ).catch((e: unknown) => e)
      expect((err as ConfigurationError).input).toBe('files')
      expect((err as Error).message).toMatch(/^Input 'files' must be 'SRC:DEST'/)
    }
  )
})

describe('materializeRootfs with Docker', () => {
  const docker = '/usr/bin/docker'
  beforeAll(async () => {
    const info = await nodeCommandRunner.run([docker, 'info'], { timeoutMs: 20_000 }).catch(() => null)
    if (!info || info.code !== 0)
      throw new Error('These tests need the Docker engine: run .ci/start-dockerd.sh (as root) first.')
    const ctx = join(app, 'docker')
    mkdirSync(ctx, { recursive: true })
    await gcc(ctx, 'hello', HELLO_C, ['-static-pie'])
    writeFileSync(
      join(ctx, 'Dockerfile'),
      'FROM scratch\nCOPY hello /app/hello\nENV GREETING=hi\nWORKDIR /app\nCMD ["/app/hello"]\n'
    )
    writeFileSync(
      join(ctx, 'broken.Dockerfile'),
      'FROM scratch\nCOPY hello /app/hello\nCOPY not-there /app/\n'
    )
  }, 60_000)

  it('builds the Dockerfile to a tree, with the image CMD, ENV and WORKDIR', async () => {
    const work = join(tmp.dir, 'w-docker')
    const r = await materializeRootfs('docker/Dockerfile', { appDir: app, workDir: work }, deps())
    expect(r.kind).toBe('dockerfile')
    expect(r.imageConfig).toMatchObject({ cmd: ['/app/hello'], workdir: '/app' })
    expect(r.imageConfig?.env.GREETING).toBe('hi')
    expect(r.buildLogPath && existsSync(r.buildLogPath)).toBe(true)
    expect(readFileSync(join(r.treeDir, 'app/hello')).subarray(0, 4).toString('latin1')).toBe('\x7fELF')
    expect(
      await preflight(r.treeDir, r.imageConfig?.cmd ?? [], { memoryMiB: 64, guest: 'unikraft' })
    ).toEqual([])
    expectClean(work, ['docker-build.log', 'rootfs', 'rootfs-manifest.json'])
  }, 180_000)

  it('fails a broken Dockerfile with its line, leaving only the build log', async () => {
    const work = join(tmp.dir, 'w-docker-broken')
    const err = await materializeRootfs(
      'docker/broken.Dockerfile',
      { appDir: app, workDir: work },
      deps()
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as Error).message).toMatch(/broken\.Dockerfile:3/)
    expectClean(work, ['docker-build.log'])
  }, 180_000)
})
