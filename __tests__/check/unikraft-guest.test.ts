// The whole pipeline on guest: unikraft with a real QEMU (TCG) boot of a tiny multiboot kernel that
// prints a real Unikraft console log (helloworld-tcg, from the shared fixtures) and halts the way
// Unikraft does. No Unikraft image can be fetched here; this is the closest real boot of that path.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../src/engine/clock.js'
import { nodeCommandRunner } from '../../src/engine/command-runner.js'
import type { EngineDeps } from '../../src/engine/check/engine-deps.js'
import { runCheck } from '../../src/engine/check/run-check.js'
import { resolveCheckOptions } from '../../src/engine/config/resolve.js'
import { createMemoryLogger } from '../../src/engine/logger.js'
import { validateCheckResult } from '../../src/engine/report/result.js'
import { createFetchDownloader } from '../../src/engine/setup/fetch-download.js'
import { createDirectoryToolCache, noopPersistentCache } from '../../src/engine/setup/tool-cache.js'
import { buildProbeKernel } from '../../src/engine/vm/probe-kernel.js'

const root = new URL('../..', import.meta.url).pathname
/** What a Unikraft kernel printed in a real run: the fixture from "Powered by" on (QEMU's firmware prints the rest). */
function kernelOutput(fixture: string): string {
  const log = readFileSync(join(root, '__fixtures__/unikraft-logs', `${fixture}.log`), 'latin1')
  return log.slice(log.indexOf('Powered by'))
}
const KERNEL_OUTPUT = kernelOutput('helloworld-tcg')

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-unikraft-guest-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

function deps(): EngineDeps {
  return {
    logger: createMemoryLogger(),
    runner: nodeCommandRunner,
    clock: systemClock,
    cacheDir: join(tmpdir(), 'unikraft-compat-test-cache'),
    toolCache: createDirectoryToolCache(join(work, 'tools')),
    persistentCache: noopPersistentCache,
    download: createFetchDownloader(),
    installMissing: false,
    kernelFallback: 'error'
  }
}

describe('guest: unikraft with a given kernel', () => {
  it('boots it, reads the banner, passes the console probe, and warns about an empty argument', async () => {
    const app = join(work, 'app')
    mkdirSync(app)
    const kernel = join(work, 'helloworld_qemu-x86_64')
    writeFileSync(kernel, buildProbeKernel({ message: KERNEL_OUTPUT, then: 'exit', exitValue: 41 }))
    const options = await resolveCheckOptions(
      {
        app,
        guest: 'unikraft',
        kernel,
        cmd: "/helloworld --greeting ''",
        probe: 'console:Hello world!',
        baseline: 'never',
        accel: 'tcg',
        timeout: '60s'
      },
      { cwd: work }
    )
    const out = join(work, 'out')
    mkdirSync(out)
    const { result } = await runCheck(options, out, deps())
    expect(validateCheckResult(JSON.parse(JSON.stringify(result)))).toMatchObject({ ok: true })
    expect(result.guest).toBe('unikraft')
    expect(result.verdict).toBe('pass')
    expect(result.unikraft).toEqual({ version: '0.17.0', codename: 'Calypso', commit: '484ff209' })
    const warning = result.findings.find(f => f.id === 'config.empty-argument')
    expect(warning).toMatchObject({ severity: 'warning', detail: '2', source: 'preflight' })
    expect(warning?.evidence).toContain('["/helloworld","--greeting",""]')
    // The same run without the empty argument has no such finding.
    const clean = await resolveCheckOptions(
      {
        ...{ app, guest: 'unikraft', kernel, baseline: 'never', accel: 'tcg', timeout: '60s' },
        cmd: '/helloworld'
      },
      { cwd: work }
    )
    const out2 = join(work, 'out2')
    mkdirSync(out2)
    const second = await runCheck(clean, out2, deps())
    expect(second.result.findings.map(f => f.id)).not.toContain('config.empty-argument')
  }, 180_000)

  it('tells a Unikraft gap from a broken app: crashes on "Unikraft", passes on the real Linux baseline', async () => {
    // hello-c built from its real Dockerfile; the "Unikraft" kernel prints the real null-dereference
    // crash log and exits through isa-debug-exit with status 85, as that run did.
    const kernel = join(work, 'nullderef_qemu-x86_64')
    writeFileSync(
      kernel,
      buildProbeKernel({
        message: kernelOutput('crash-nullderef-isa-debug-exit'),
        then: 'exit',
        exitValue: 42
      })
    )
    const options = await resolveCheckOptions(
      { app: 'examples/hello-c', guest: 'unikraft', kernel, baseline: 'auto', accel: 'tcg', timeout: '120s' },
      { cwd: root }
    )
    const out = join(work, 'out-gap')
    mkdirSync(out)
    const { result } = await runCheck(options, out, deps())
    expect(validateCheckResult(JSON.parse(JSON.stringify(result)))).toMatchObject({ ok: true })
    expect(result.verdict).toBe('fail')
    expect(result.vm).toMatchObject({ qemuExit: 85, debugExit: 'crash' })
    // The crash dump arrived whole: the finding names the RIP from the register dump.
    expect(result.findings.find(f => f.severity === 'error')).toMatchObject({
      id: 'crash.other',
      detail: 'RIP 0x124e12'
    })
    expect(result.baseline?.verdict).toBe('pass')
    expect(result.baseline?.differential.kind).toBe('unikraft-gap')
    expect(result.summary).toMatch(/crash/i)
    expect(readFileSync(join(out, 'baseline', 'console.log'), 'latin1')).toContain('Hello from hello-c')
  }, 300_000)
})
