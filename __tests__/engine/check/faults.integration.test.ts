// Faults and mistakes, for real: QEMU killed from outside, a full disk under --out (a 48 KiB tmpfs),
// an --out that can never hold the logs, values past what QEMU or Node accept, and a huge value in a
// message. Each ends in its documented verdict and exit code (configuration 2, infrastructure 3),
// with one clear message, result.json where a run directory exists, and nothing left running.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { connect, createServer, type Socket } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { runCheck } from '../../../src/engine/check/run-check.js'
import { resolveCheckOptions } from '../../../src/engine/config/resolve.js'
import { ConfigurationError } from '../../../src/engine/errors.js'
import { buildProbeKernel } from '../../../src/engine/vm/probe-kernel.js'
import { testEngineDeps } from './test-engine-deps.js'

const root = new URL('../../..', import.meta.url).pathname
let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-faults-'))
})
afterAll(() => {
  spawnSync('umount', [join(work, 'tiny')])
  rmSync(work, { recursive: true, force: true })
})

/** The bundled CLI, as a user runs it. */
function cli(args: string[]): { status: number | null; out: string; ms: number } {
  const t = performance.now()
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'run', ...args, '--quiet'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000
  })
  return { status: r.status, out: r.stdout + r.stderr, ms: performance.now() - t }
}

describe('faults of the machine', () => {
  it('QEMU killed from outside while probing: verdict error, infrastructure, console kept', async () => {
    const kernel = join(work, 'spin')
    writeFileSync(
      kernel,
      buildProbeKernel({ message: 'Powered by a guest that never answers\r\n', then: 'spin' })
    )
    const app = join(work, 'app-kill')
    mkdirSync(app)
    const options = await resolveCheckOptions(
      { app, guest: 'unikraft', kernel, probe: 'tcp:1234', accel: 'tcg', baseline: 'never', timeout: '5m' },
      { cwd: work }
    )
    const out = join(work, 'out-kill')
    const running = runCheck(options, out, testEngineDeps(work))
    // Wait for QEMU's pid file and the guest's line, then kill it as the OOM killer would.
    for (let i = 0; i < 600; i++) {
      const log = existsSync(join(out, 'console.log')) ? readFileSync(join(out, 'console.log'), 'latin1') : ''
      if (existsSync(join(out, 'qemu.pid')) && log.includes('never answers')) break
      await new Promise(r => setTimeout(r, 100))
    }
    process.kill(Number(readFileSync(join(out, 'qemu.pid'), 'utf8').split('\n')[0]), 'SIGKILL')
    const { result } = await running
    expect(result.verdict).toBe('error')
    expect(result.error).toMatchObject({ kind: 'infrastructure' })
    expect(result.error?.message).toMatch(
      /^QEMU was ended by SIGKILL from outside this check at \d+ ms; the app was not judged$/
    )
    expect(result.error?.hint).toMatch(/OOM killer/)
    expect(result.baseline).toBeNull()
    expect(readFileSync(join(out, 'console.log'), 'latin1')).toContain('never answers')
  }, 120_000)

  it('the Docker engine lost mid-build (its socket cut): infrastructure, not the Dockerfile; the build log is kept', async () => {
    // A proxy in front of the engine's socket, cut once the build runs (as a daemon restart does).
    const sock = join(work, 'docker.sock')
    const conns = new Set<Socket>()
    const proxy = createServer(c => {
      const up = connect('/var/run/docker.sock')
      for (const s of [c, up]) {
        conns.add(s)
        s.on('error', () => {})
      }
      c.pipe(up)
      up.pipe(c)
    })
    await new Promise<void>(r => proxy.listen(sock, r))
    const app = join(work, 'app-lost')
    mkdirSync(app)
    writeFileSync(
      join(app, 'Dockerfile'),
      `FROM debian:bookworm-slim\nRUN sleep 60 && echo ${randomUUID()}\nCMD ["/bin/true"]\n`
    )
    const saved = process.env.DOCKER_HOST
    process.env.DOCKER_HOST = `unix://${sock}`
    try {
      const options = await resolveCheckOptions({ app, guest: 'linux', accel: 'tcg' }, { cwd: work })
      const out = join(work, 'out-lost')
      const running = runCheck(options, out, testEngineDeps(work))
      for (let i = 0; i < 300; i++) {
        const log = existsSync(join(out, 'docker-build.log'))
          ? readFileSync(join(out, 'docker-build.log'), 'utf8')
          : ''
        if (log.includes('RUN sleep 60')) break
        await new Promise(r => setTimeout(r, 100))
      }
      for (const c of conns) c.destroy()
      proxy.close()
      const { result } = await running
      expect(result.verdict).toBe('error')
      expect(result.error).toMatchObject({ kind: 'infrastructure' })
      expect(result.error?.message).toMatch(/^The Docker engine is not answering/)
      expect(result.findings.map(f => f.id)).not.toContain('config.invalid')
      // The log the message points at is in the run directory and in the artifact list.
      expect(result.error?.message).toContain(join(out, 'docker-build.log'))
      expect(readFileSync(join(out, 'docker-build.log'), 'utf8')).toContain('RUN sleep 60')
      expect(result.artifacts).toContain('docker-build.log')
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST
      else process.env.DOCKER_HOST = saved
      proxy.close()
    }
  }, 150_000)

  it('a full disk under --out: exit 3 with a hint, result.json still written when it fits', () => {
    const tiny = join(work, 'tiny')
    mkdirSync(tiny)
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', tiny])
    expect(mounted.status).toBe(0) // CI and these machines run as root
    const r = cli(['examples/redis-local', '--guest', 'linux', '--accel', 'tcg', '--out', join(tiny, 'out')])
    expect(r.status).toBe(3)
    expect(r.out).toContain('no space left on the disk')
    expect(r.out).toContain('hint: free some space, or write the run elsewhere')
    expect(r.out).not.toMatch(/internal error|please report|Error \(bug\)/)
    const result = JSON.parse(readFileSync(join(tiny, 'out', 'result.json'), 'utf8')) as {
      verdict: string
      error: { kind: string }
    }
    expect(result).toMatchObject({ verdict: 'error', error: { kind: 'infrastructure' } })
  }, 150_000)
})

describe('mistakes in the inputs: exit 2, one message naming the input, at once', () => {
  it.each([
    [
      '--out on an existing file',
      () => ['--out', '/etc/hostname'],
      /Input 'out' must be a directory this user can write \(made when missing\), got '\/etc\/hostname': \/etc\/hostname is not a directory/
    ],
    [
      '--out under /proc (where mkdir never succeeds)',
      () => ['--out', '/proc/nope/out'],
      /Input 'out' must be .*: \/proc\/nope: cannot be created \(ENOENT\)/
    ],
    [
      'memory past this machine',
      () => ['--memory', `${Math.ceil(totalmem() / 2 ** 30) + 1}G`],
      /Input 'memory' must be a size like 256M or 1G, at most this machine's \d+M/
    ],
    [
      'memory QEMU cannot even read',
      () => ['--memory', '99999999999G'],
      /Input 'memory' must be a size like 256M or 1G, at most this machine's \d+M, got '99999999999G'/
    ],
    [
      'a deadline past what timers hold',
      () => ['--timeout', '99999999999999999999h'],
      /Input 'timeout' must be a duration like 60s, 2m, 1m30s or 500ms \(a bare number is seconds\), at most 24h/
    ],
    ['a zero deadline', () => ['--timeout', '0'], /Input 'timeout' must be a duration/],
    [
      'a kernel that is a text file',
      () => ['--guest', 'unikraft', '--kernel', '/etc/passwd'],
      /Input 'kernel' must be a Unikraft kernel image .*: a text file, not a kernel image/
    ]
  ])(
    '%s',
    (_name, args, message) => {
      // A default --out first: a case that names its own comes later on the line and wins.
      const r = cli([
        'examples/redis-local',
        '--guest',
        'linux',
        '--accel',
        'tcg',
        '--out',
        join(work, `o-${Math.random()}`),
        ...args()
      ])
      expect(r.status).toBe(2)
      expect(r.out).toMatch(message)
      expect(r.out).not.toMatch(/internal error|please report/)
      expect(r.ms).toBeLessThan(60_000)
    },
    90_000
  )

  it('a 1 MB command (from the config file) is a configuration error, not a failed spawn', () => {
    const app = join(work, 'app-bigcmd')
    mkdirSync(app)
    writeFileSync(
      join(app, 'unikraft-compat.yml'),
      `rootfs: binary:/bin/true\ncmd: /bin/true ${'a'.repeat(1_000_000)}\n`
    )
    const kernel = join(work, 'k-bigcmd')
    writeFileSync(kernel, buildProbeKernel({ message: 'never booted\r\n', then: 'spin' }))
    const r = cli([
      app,
      '--guest',
      'unikraft',
      '--kernel',
      kernel,
      '--baseline',
      'never',
      '--out',
      join(work, 'o-bigcmd')
    ])
    expect(r.status).toBe(2)
    expect(r.out).toMatch(
      /Input 'cmd' \(with 'env'\) must fit a Unikraft command line of at most 131071 bytes, got 1000\d{3} bytes/
    )
    expect(r.out).not.toMatch(/E2BIG|internal error|Error \(bug\)/)
  }, 60_000)

  it("a run directory used again holds only the new run's evidence", async () => {
    const app = join(work, 'app-reuse')
    mkdirSync(app)
    const kernel = join(work, 'k-reuse')
    writeFileSync(
      kernel,
      buildProbeKernel({ message: 'Powered by a native image\r\n', then: 'exit', exitValue: 41 })
    )
    const out = join(work, 'out-reuse')
    const first = await runCheck(
      await resolveCheckOptions({ app, guest: 'unikraft', kernel, accel: 'tcg' }, { cwd: work }),
      out,
      testEngineDeps(work)
    )
    expect(first.result.artifacts).toContain('console.log')
    // The second run stops before any boot (a mistake in its input): no console log of its own.
    const second = await runCheck(
      await resolveCheckOptions(
        { app, guest: 'linux', rootfs: 'binary:/etc/passwd', accel: 'tcg' },
        { cwd: work }
      ),
      out,
      testEngineDeps(work)
    )
    expect(second.result.verdict).toBe('error')
    expect(second.result.artifacts).toEqual(['result.json'])
    expect(existsSync(join(out, 'console.log'))).toBe(false)
  }, 60_000)

  it('a 1 MB value is cut in the message', async () => {
    const app = join(work, 'app-big')
    mkdirSync(app)
    let err: unknown
    try {
      await resolveCheckOptions({ app, memory: 'x'.repeat(1_000_000) }, { cwd: work })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as Error).message.length).toBeLessThan(400)
    expect((err as Error).message).toMatch(/got 'x{120}… \(1000000 characters\)'$/)
  })
})
