// Interruption, for real: a signal (an aborted AbortSignal in the engine, SIGINT/SIGTERM at the CLI)
// during each phase ends the check as verdict `error`, kind `interrupted`, with result.json written,
// what was captured kept, no baseline started, and no QEMU or `docker build` left behind.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCheck } from '../../../src/engine/check/run-check.js'
import { resolveCheckOptions } from '../../../src/engine/config/resolve.js'
import { validateCheckResult } from '../../../src/engine/report/result.js'
import { buildProbeKernel } from '../../../src/engine/vm/probe-kernel.js'
import { testEngineDeps } from './test-engine-deps.js'

const root = new URL('../../..', import.meta.url).pathname
let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-interrupt-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Pids whose command line mentions `marker` (a QEMU or docker client of this test). */
function processesMentioning(marker: string): number[] {
  return readdirSync('/proc')
    .filter(e => /^\d+$/.test(e) && Number(e) !== process.pid)
    .filter(e => {
      try {
        return readFileSync(`/proc/${e}/cmdline`, 'utf8')
          .split('\0')
          .some(a => a.includes(marker))
      } catch {
        return false
      }
    })
    .map(Number)
}

async function until<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = probe()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

describe('an interrupted check', () => {
  it('before it starts: verdict error, kind interrupted, result.json written, nothing booted', async () => {
    const app = join(work, 'early')
    mkdirSync(app)
    const kernel = join(work, 'k-early')
    writeFileSync(kernel, buildProbeKernel({ message: 'never\r\n', then: 'spin' }))
    const options = await resolveCheckOptions({ app, guest: 'unikraft', kernel, accel: 'tcg' }, { cwd: work })
    const abort = new AbortController()
    abort.abort('SIGTERM')
    const out = join(work, 'out-early')
    const { result, resultFile } = await runCheck(options, out, {
      ...testEngineDeps(work),
      signal: abort.signal
    })
    expect(result.verdict).toBe('error')
    expect(result.error).toEqual({ kind: 'interrupted', message: 'interrupted by SIGTERM during setup' })
    expect(result.vm).toBeNull()
    expect(validateCheckResult(JSON.parse(readFileSync(resultFile, 'utf8')))).toMatchObject({ ok: true })
  })

  it('while the Unikraft side runs: its console is kept, and no Linux baseline is started', async () => {
    const kernel = join(work, 'k-spin')
    writeFileSync(
      kernel,
      buildProbeKernel({ message: 'Powered by a guest that never ends\r\n', then: 'spin' })
    )
    const options = await resolveCheckOptions(
      {
        app: work,
        guest: 'unikraft',
        kernel,
        rootfs: 'binary:/bin/true',
        cmd: '/bin/true',
        probe: 'tcp:1234',
        accel: 'tcg',
        baseline: 'always',
        timeout: '5m'
      },
      { cwd: work }
    )
    const abort = new AbortController()
    const out = join(work, 'out-run')
    const deps = testEngineDeps(work)
    const running = runCheck(options, out, { ...deps, signal: abort.signal })
    await until('the guest printing', 60_000, () =>
      existsSync(join(out, 'console.log')) &&
      readFileSync(join(out, 'console.log'), 'latin1').includes('never ends')
        ? true
        : undefined
    )
    const t0 = Date.now()
    abort.abort('SIGINT')
    // What the CLI and the action do on a signal besides aborting: stop every VM of this process.
    const { stopAllVms } = await import('../../../src/engine/vm/index.js')
    await stopAllVms()
    const { result } = await running
    expect(Date.now() - t0).toBeLessThan(10_000)
    expect(result.verdict).toBe('error')
    expect(result.error?.kind).toBe('interrupted')
    expect(result.error?.message).toBe('interrupted by SIGINT during the run on the guest')
    expect(result.baseline).toBeNull()
    expect(existsSync(join(out, 'baseline'))).toBe(false)
    expect(readFileSync(join(out, 'console.log'), 'latin1')).toContain('never ends')
    expect(processesMentioning(out)).toEqual([])
  }, 120_000)

  it('during a Docker build: the build is ended within seconds, not blamed on the Dockerfile', async () => {
    const app = join(work, 'slow')
    mkdirSync(app)
    // Never cached (the nonce), from the locally imported base image.
    writeFileSync(
      join(app, 'Dockerfile'),
      `FROM debian:bookworm-slim\nRUN sleep 120 && echo ${randomUUID()}\nCMD ["/bin/true"]\n`
    )
    const options = await resolveCheckOptions({ app, guest: 'linux', accel: 'tcg' }, { cwd: work })
    const abort = new AbortController()
    const out = join(work, 'out-build')
    const running = runCheck(options, out, { ...testEngineDeps(work), signal: abort.signal })
    await until('docker build started', 60_000, () =>
      processesMentioning(join(app, 'Dockerfile')).length > 0 ? true : undefined
    )
    const t0 = Date.now()
    abort.abort('SIGTERM')
    const { result } = await running
    expect(Date.now() - t0).toBeLessThan(5_000)
    expect(result.verdict).toBe('error')
    expect(result.error).toEqual({
      kind: 'interrupted',
      message: 'interrupted by SIGTERM during the Docker build'
    })
    expect(result.findings.map(f => f.id)).not.toContain('config.invalid')
    expect(processesMentioning(join(app, 'Dockerfile'))).toEqual([])
  }, 120_000)

  it('at the CLI: SIGINT while probing exits 130 with result.json saying interrupted, no QEMU left', async () => {
    const out = join(work, 'out-cli')
    const child = spawn(
      process.execPath,
      [
        join(root, 'dist/cli.js'),
        'run',
        'examples/redis-local',
        '--guest',
        'linux',
        '--accel',
        'tcg',
        '--probe',
        'tcp:1234',
        '--timeout',
        '5m',
        '--out',
        out,
        '--quiet'
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | null>(r => child.on('close', code => r(code)))
    await until('redis serving in the guest', 120_000, () =>
      existsSync(join(out, 'console.log')) &&
      readFileSync(join(out, 'console.log'), 'utf8').includes('Ready to accept connections')
        ? true
        : undefined
    )
    const t0 = Date.now()
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(Date.now() - t0).toBeLessThan(10_000)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      verdict: string
      error: { kind: string }
    }
    expect(result.verdict).toBe('error')
    expect(result.error.kind).toBe('interrupted')
    expect(processesMentioning(out)).toEqual([])
    expect(stderr).not.toMatch(/internal error/)
  }, 180_000)
})
