// A traced check end to end: real QEMU, the real Linux baseline under real strace, and the Unikraft
// side replayed. No Unikraft kernel can be built or fetched in CI, so the kernel store's `net` and
// `trace` kernels are tiny multiboot guests that print, byte for byte, what the real 0.16.3 ELF
// loader kernels printed for the same program (__fixtures__/traces/sendfile-demo/, captured here
// with the same check on the real kernels), then halt as they did.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCheck } from '../../../src/engine/check/run-check.js'
import { resolveCheckOptions } from '../../../src/engine/config/resolve.js'
import { validateCheckResult } from '../../../src/engine/report/result.js'
import { buildProbeKernel } from '../../../src/engine/vm/probe-kernel.js'
import { testEngineDeps } from './test-engine-deps.js'

const FIXTURES = new URL('../../../__fixtures__/traces/sendfile-demo/', import.meta.url).pathname
let work: string
let app: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-trace-check-'))
  app = join(work, 'app')
  mkdirSync(app)
  execFileSync('gcc', ['-O2', '-o', join(app, 'sendfile-demo'), join(FIXTURES, 'sendfile-demo.c')])
  // 27 bytes, as in the capture: Linux's sendfile returns 27.
  writeFileSync(join(app, 'demo.txt'), 'unikraft-compat trace demo\n')
  writeFileSync(
    join(app, 'unikraft-compat.yml'),
    [
      `rootfs: binary:${join(app, 'sendfile-demo')}`,
      'files:',
      '  - demo.txt:/etc/demo.txt',
      `cmd: [${join(app, 'sendfile-demo')}]`,
      'memory: 64M',
      'timeout: 60s',
      'probes:',
      '  - exit:0'
    ].join('\n')
  )
}, 60_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A store of replay kernels: each prints its captured console, then halts through isa-debug-exit (83). */
function store(name: string, variants: string[]): string {
  const dir = join(work, name)
  mkdirSync(dir)
  const kernels = variants.map(variant => {
    const file = `elfloader-0.16.3-${variant}`
    const bytes = buildProbeKernel({
      message: readFileSync(join(FIXTURES, `unikraft-0.16.3-${variant}.log`), 'latin1'),
      then: 'exit',
      exitValue: 41
    })
    writeFileSync(join(dir, file), bytes)
    writeFileSync(join(dir, `${file}.config`), 'CONFIG_LIBSYSCALL_SHIM_STRACE=y\n')
    return {
      version: '0.16.3',
      variant,
      file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      sources: [
        {
          repo: 'unikraft/unikraft',
          ref: 'RELEASE-0.16.3',
          commit: 'e453b74a2e78a0de98563d75d8e0a97e668088e6'
        }
      ],
      config: `${file}.config`
    }
  })
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ kernels }, null, 2))
  return dir
}

async function check(storeDir: string, trace: string) {
  const options = await resolveCheckOptions(
    { app, 'kernel-store': storeDir, accel: 'tcg', trace },
    { cwd: work }
  )
  const out = mkdtempSync(join(work, 'out-'))
  const run = await runCheck(options, out, testEngineDeps(work))
  expect(validateCheckResult(JSON.parse(readFileSync(run.resultFile, 'utf8')))).toMatchObject({ ok: true })
  return { ...run, out }
}

describe('trace: auto, the app fails on Unikraft and a trace kernel is stored', () => {
  it('names sendfile: Linux copied 27 bytes, Unikraft said ENOSYS, with both trace lines', async () => {
    const { result, out } = await check(store('with-trace', ['net', 'trace']), 'auto')
    expect(result.verdict).toBe('fail')
    expect(result.baseline?.verdict).toBe('pass')
    expect(result.syscalls?.traced).toEqual({ unikraft: true, linux: true })
    expect(result.syscalls?.divergence).toMatchObject({
      syscall: 'sendfile',
      linux: '27',
      unikraft: 'ENOSYS (-38)'
    })
    expect(result.syscalls?.unsupported).toContainEqual(
      expect.objectContaining({ syscall: 'sendfile', count: 1 })
    )
    const d = result.findings.find(f => f.id === 'syscall.divergence')
    expect(d?.severity).toBe('error')
    expect(d?.evidence).toMatch(/baseline\/strace\.log line \d+: sendfile\(4, 3, NULL, 4096\) += 27\b/)
    expect(d?.evidence).toMatch(
      /unikraft-trace\/console\.log line \d+: sendfile\(0x4, 0x3, \.\.\.\) = Function not implemented \(-38\)/
    )
    expect(result.artifacts).toEqual(
      expect.arrayContaining(['baseline/strace.log', 'unikraft-trace/console.log', 'console.log'])
    )
    // The console the findings and probes read stays the app's: no strace line in the baseline's.
    expect(readFileSync(join(out, 'baseline', 'console.log'), 'utf8')).not.toMatch(/sendfile\(/)
  }, 180_000)
})

describe('trace wanted, no trace kernel for the version', () => {
  it('runs untraced, says why in a note and in the syscalls section, and the verdict is unchanged', async () => {
    const { result } = await check(store('net-only', ['net']), 'always')
    expect(result.verdict).toBe('fail')
    expect(result.syscalls).toMatchObject({ traced: { unikraft: false, linux: false }, divergence: null })
    expect(result.syscalls?.notes.join(' ')).toMatch(
      /no trace kernel for Unikraft 0\.16\.3: the run was not traced/
    )
    expect(result.findings.find(f => f.id === 'trace.unavailable')?.severity).toBe('note')
  }, 180_000)

  it('trace: never: no syscalls section at all', async () => {
    const { result } = await check(store('never', ['net', 'trace']), 'never')
    expect(result.syscalls).toBeNull()
    expect(result.artifacts.some(a => a.startsWith('unikraft-trace/'))).toBe(false)
  }, 180_000)
})
