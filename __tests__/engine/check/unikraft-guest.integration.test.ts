// The whole pipeline on guest: unikraft, with real QEMU (TCG) booting tiny multiboot kernels that
// print the real Unikraft console logs of __fixtures__/unikraft-logs and end as those runs ended.
// No Unikraft image can be fetched here; this is the closest real boot of that path: a given kernel,
// the differential against the real Linux baseline, and every recorded log replayed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCheck } from '../../../src/engine/check/run-check.js'
import { resolveCheckOptions } from '../../../src/engine/config/resolve.js'
import { rdseedWarning } from '../../../src/engine/setup/qemu-setup.js'
import { validateCheckResult } from '../../../src/engine/report/result.js'
import { buildProbeKernel, type ProbeKernelOptions } from '../../../src/engine/vm/probe-kernel.js'
import { gcc } from '../rootfs/helpers.js'
import { testEngineDeps } from './test-engine-deps.js'

const root = new URL('../../..', import.meta.url).pathname
/** What a Unikraft kernel printed in a real run: the fixture from "Powered by" on (QEMU's firmware prints the rest). */
function kernelOutput(fixture: string): string {
  const log = readFileSync(join(root, '__fixtures__/unikraft-logs', `${fixture}.log`), 'latin1')
  const start = log.indexOf('Powered by')
  const rom = log.indexOf('Booting from ROM..')
  return start >= 0 ? log.slice(start) : rom >= 0 ? log.slice(rom + 'Booting from ROM..'.length) : log
}
const KERNEL_OUTPUT = kernelOutput('helloworld-tcg')

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-unikraft-guest-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const deps = () => testEngineDeps(work)

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

describe('native images and program exits on the ELF loader (real QEMU boots)', () => {
  it('a native image given alone (no root filesystem, no cmd) boots as it is and passes', async () => {
    // KERNEL_OUTPUT is a real native helloworld's console; it ends through isa-debug-exit like that run.
    const kernel = join(work, 'native-hello_qemu-x86_64')
    writeFileSync(kernel, buildProbeKernel({ message: KERNEL_OUTPUT, then: 'exit', exitValue: 41 }))
    const app = join(work, 'native-app')
    mkdirSync(app)
    for (const probe of [{ probe: 'console:Hello world!' }, {}]) {
      const options = await resolveCheckOptions(
        { app, guest: 'unikraft', kernel, baseline: 'auto', accel: 'tcg', timeout: '60s', ...probe },
        { cwd: work }
      )
      expect(options.rootfs).toBeNull()
      expect(options.cmd).toBeNull()
      const out = mkdtempSync(join(work, 'native-out-'))
      const { result } = await runCheck(options, out, deps())
      expect(result.verdict).toBe('pass')
      expect(result.rootfs).toBeNull()
      expect(result.baseline).toBeNull() // nothing to rerun on Linux: there is no root filesystem
      expect(result.unikraft?.version).toBe('0.17.0')
      expect(result.probes.map(p => p.passed)).toEqual(probe.probe ? [true] : [])
      // Without a probe the run waits for the image to end by itself (a matched console probe stops it).
      if (!probe.probe) expect(result.vm).toMatchObject({ reason: 'exited', qemuExit: 83 })
    }
  }, 120_000)

  /** A root filesystem with a real static-PIE program, and a "kernel" printing the real ELF-loader hello log. */
  async function elfloaderRun(name: string, tail: string, extra: Record<string, string>) {
    const rootfs = join(work, `${name}-rootfs`)
    mkdirSync(rootfs)
    await gcc(rootfs, 'hello', '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n', [
      '-static-pie'
    ])
    const kernel = join(work, `${name}_qemu-x86_64`)
    writeFileSync(
      kernel,
      buildProbeKernel({ message: kernelOutput('elfloader-static-hello') + tail, then: 'spin' })
    )
    const options = await resolveCheckOptions(
      { app: work, guest: 'unikraft', kernel, rootfs, cmd: '/hello', accel: 'tcg', ...extra },
      { cwd: work }
    )
    const out = mkdtempSync(join(work, `${name}-out-`))
    return (await runCheck(options, out, deps())).result
  }

  it('exit:0 passes as soon as the kernel prints exit_group(0) = ? (the VM is stopped, no deadline waited)', async () => {
    const result = await elfloaderRun('exit0', 'exit_group(0) = ?\r\n', {
      probe: 'exit:0',
      baseline: 'never',
      timeout: '120s'
    })
    expect(result.verdict).toBe('pass')
    expect(result.probes[0]).toMatchObject({
      passed: true,
      evidence: { received: expect.stringMatching(/: exit_group\(0\) = \?$/) }
    })
    expect(result.vm?.reason).toBe('killed')
    expect(result.durationMs).toBeLessThan(100_000)
  }, 180_000)

  it('exit:0 on a program that returned 3 fails with app.exit-status 3', async () => {
    const result = await elfloaderRun('exit3', 'exit3: about to return 3exit_group(3) = ?\r\n', {
      probe: 'exit:0',
      baseline: 'never',
      timeout: '120s'
    })
    expect(result.verdict).toBe('fail')
    expect(result.probes[0].evidence.note).toBe('expected exit status 0, got 3')
    expect(result.findings.find(f => f.id === 'app.exit-status')).toMatchObject({
      severity: 'error',
      detail: '3'
    })
  }, 180_000)

  it('a kernel that never reports the exit: inconclusive, verdict error, and no gap although Linux passes', async () => {
    const result = await elfloaderRun('silent', '', { probe: 'exit:0', baseline: 'auto', timeout: '8s' })
    expect(validateCheckResult(JSON.parse(JSON.stringify(result)))).toMatchObject({ ok: true })
    expect(result.verdict).toBe('error')
    expect(result.error?.kind).toBe('inconclusive')
    expect(result.probes[0]).toMatchObject({ passed: false, inconclusive: true })
    expect(result.summary).toMatch(/could not be judged on Unikraft 0\.16\.3 .*exit status unknown/)
    expect(result.baseline?.verdict).toBe('pass')
    expect(result.baseline?.differential.kind).toBe('inconclusive')
  }, 240_000)
})

const escapeRegex = (t: string): string => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
/** The last line with text, as the console probe sees lines (colour codes and \r removed). */
function lastLine(text: string): string {
  const lines = text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .split('\n')
    .map(l => l.replace(/\r/g, ''))
    .filter(l => l.trim() !== '')
  return lines[lines.length - 1]
}

interface Expected {
  expect: string
  detail?: string
  version?: string
  codename?: string
  exit_status?: number
  qemu_exit: number
}
const EXPECTED = JSON.parse(
  readFileSync(join(root, '__fixtures__/unikraft-logs/expected.json'), 'utf8')
) as Record<string, Expected>

/** How the recorded run ended, as the test kernel can end: isa-debug-exit 83/85, ACPI off, or never. */
function endingOf(e: Expected): Pick<ProbeKernelOptions, 'then' | 'exitValue'> {
  if (e.qemu_exit === 83) return { then: 'exit', exitValue: 41 }
  if (e.qemu_exit === 85) return { then: 'exit', exitValue: 42 }
  if (e.qemu_exit === 0) return { then: 'poweroff' }
  return { then: 'spin' } // killed at the capture's timeout
}

describe('every real Unikraft console log, replayed through a real boot and the whole pipeline', () => {
  // QEMU's own failure (no guest output at all) is covered by the accelerator tests.
  const replayable = Object.entries(EXPECTED).filter(([name]) => name !== 'qemu-kvm-permission-denied')

  it.each(replayable.map(([name, e]) => [name, e.expect, e] as const))(
    '%s: the check names %s',
    async (name, _id, e) => {
      const kernel = join(work, `replay-${name}`)
      const ending = endingOf(e)
      writeFileSync(kernel, buildProbeKernel({ message: kernelOutput(name), ...ending }))
      const app = join(work, `replay-app-${name}`)
      mkdirSync(app)
      // A run that never ended by itself was killed once its log was complete: here a console
      // probe on its last line stops it (a deadline would race the guest's printing when busy).
      const probe =
        ending.then === 'spin' ? { probe: `console:/^${escapeRegex(lastLine(kernelOutput(name)))}$/` } : {}
      const options = await resolveCheckOptions(
        {
          app,
          guest: 'unikraft',
          kernel,
          cmd: '/app',
          baseline: 'never',
          accel: 'tcg',
          timeout: '60s',
          ...probe
        },
        { cwd: work }
      )
      const out = join(work, `replay-out-${name}`)
      mkdirSync(out)
      const d = deps()
      const { result } = await runCheck(options, out, d)
      const found = result.findings.find(f => f.id === e.expect)
      expect(found).toBeDefined()
      if (e.detail) expect(found?.detail?.split(', ')).toContain(e.detail)
      if (e.version) expect(result.unikraft?.version).toBe(e.version)
      if (e.codename) expect(result.unikraft?.codename).toBe(e.codename)
      if (e.exit_status !== undefined)
        expect(result.findings.find(f => f.id === 'app.exit-status')?.detail).toBe(String(e.exit_status))
      if (ending.then === 'spin') expect(result.probes.map(p => p.passed)).toEqual([true])
      else expect(result.vm?.qemuExit).toBe(e.qemu_exit)
      if (name === 'nginx-socketpair-af-unix') {
        // nginx went on serving after its AF_UNIX alert (the probe passed): a warning, and a pass.
        expect(found?.severity).toBe('warning')
        expect(result.verdict).toBe('pass')
      }
      // The RDSEED warning (old QEMU, TCG, Unikraft latest) only for a kernel that never got past
      // its init: one that printed its banner evidently did not need RDSEED.
      const warned = d.logger.lines.some(l => l.level === 'warning' && /RDSEED/.test(l.message))
      const qemuLacksRdseed =
        rdseedWarning({
          qemuVersion: result.qemu?.version ?? null,
          accel: 'tcg',
          unikraftVersion: 'latest'
        }) !== null
      expect(warned).toBe(qemuLacksRdseed && result.unikraft === null)
    },
    60_000
  )
})
