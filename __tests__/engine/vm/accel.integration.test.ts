import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { InfrastructureError } from '../../../src/engine/errors.js'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import {
  classifyKvmProbe,
  probeKvm,
  resolveAccel,
  type KvmProbeOutcome
} from '../../../src/engine/vm/accel.js'
import { buildProbeKernel } from '../../../src/engine/vm/probe-kernel.js'
import { startVm } from '../../../src/engine/vm/start-vm.js'
import { tinyGuestSpec } from './vm-test-support.js'

const permissionDenied = readFileSync(
  new URL('../../../__fixtures__/unikraft-logs/qemu-kvm-permission-denied.log', import.meta.url),
  'utf8'
)

describe('classifyKvmProbe', () => {
  const base: KvmProbeOutcome = {
    printed: false,
    code: 1,
    signal: null,
    stderr: '',
    timedOut: false,
    timeoutMs: 3000
  }
  it.each<[string, Partial<KvmProbeOutcome>, RegExp]>([
    ['permission denied (captured)', { stderr: permissionDenied }, /^permission denied opening \/dev\/kvm$/],
    [
      'QEMU abort on an MSR',
      {
        code: null,
        signal: 'SIGABRT',
        stderr:
          "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3201: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\nqemu-system-x86_64: error: failed to set MSR 0x10a to 0x0\n"
      },
      /^QEMU aborted under KVM: .*MSR/
    ],
    [
      'internal error (guest paused)',
      { code: null, signal: 'SIGKILL', stderr: 'KVM internal error. Suberror: 1\nemulation failure\n' },
      /KVM internal error .*paused/
    ],
    [
      'nothing within the bound',
      { code: null, signal: 'SIGKILL', timedOut: true },
      /printed nothing within 3000 ms/
    ],
    [
      'another failure',
      { code: 1, stderr: 'qemu-system-x86_64: something else\n' },
      /exited with status 1 under KVM: qemu-system-x86_64: something else/
    ]
  ])('%s', (_name, over, detail) => {
    expect(classifyKvmProbe({ ...base, ...over })).toMatch(detail)
  })
})

describe('resolveAccel', () => {
  it('tcg needs no probe', async () => {
    expect(await resolveAccel('tcg')).toEqual({ accel: 'tcg', reason: 'TCG requested' })
  })

  it('a machine without the KVM device: auto takes TCG and names the device, kvm is refused with it (no QEMU started)', async () => {
    const kvmDevice = join(tmpdir(), `ukc-no-kvm-${process.pid}`, 'kvm')
    expect(await resolveAccel('auto', { kvmDevice })).toEqual({
      accel: 'tcg',
      reason: `auto: KVM unusable (no ${kvmDevice} on this machine); using TCG`
    })
    await expect(resolveAccel('kvm', { kvmDevice })).rejects.toThrow(
      `accel 'kvm' was requested but KVM does not work here: no ${kvmDevice} on this machine`
    )
    expect(await probeKvm('qemu-system-x86_64', { kvmDevice })).toEqual({
      ok: false,
      detail: `no ${kvmDevice} on this machine`,
      elapsedMs: 0
    })
  })

  it('auto decides within the probe bound and says why; kvm is refused exactly when auto chose TCG', async () => {
    const started = performance.now()
    const auto = await resolveAccel('auto', { probeTimeoutMs: 3000 })
    // Bounded by construction: the probe is killed at 3 s (the margin is for a loaded machine).
    expect(performance.now() - started).toBeLessThan(20_000)
    if (auto.accel === 'tcg') {
      expect(auto.reason).toMatch(/^auto: KVM unusable \(.+\); using TCG$/)
      await expect(resolveAccel('kvm', { probeTimeoutMs: 3000 })).rejects.toThrow(InfrastructureError)
    } else {
      expect(auto.reason).toMatch(/^auto: KVM probe guest ran in \d+ ms$/)
      expect((await resolveAccel('kvm', { probeTimeoutMs: 3000 })).accel).toBe('kvm')
    }
  }, 60_000)

  it('on a KVM that works, however slowly, a VM runs to its end under KVM (else the probe names why not)', async () => {
    // The machines here have a /dev/kvm that is slow to start (nested: the probe guest needs 6 to 7 s,
    // past auto's 3 s bound) or fails outright. With a bound long enough for the slow one, the KVM
    // path of the runner itself runs for real; a failing KVM must be refused with the probe's reason.
    const LONG = 30_000
    const probe = await probeKvm('qemu-system-x86_64', { timeoutMs: LONG })
    if (!probe.ok) {
      await expect(resolveAccel('kvm', { probeTimeoutMs: LONG })).rejects.toThrow(probe.detail)
      return
    }
    const dir = await mkdtemp(join(tmpdir(), 'ukc-kvm-run-'))
    try {
      const kernel = join(dir, 'kernel.bin')
      await writeFile(kernel, buildProbeKernel({ message: 'on kvm\r\n', then: 'exit', exitValue: 41 }))
      const vm = await startVm(tinyGuestSpec(kernel, join(dir, 'out'), { accel: 'kvm', timeoutMs: 60_000 }), {
        logger: createMemoryLogger(),
        kvmProbeTimeoutMs: LONG
      })
      const r = await vm.done
      expect(r).toMatchObject({ accel: 'kvm', reason: 'exited', qemuExit: 83, debugExit: 'halt' })
      expect(r.accelReason).toMatch(/^KVM requested; KVM probe guest ran in \d+ ms$/)
      expect(r.argv).toEqual(expect.arrayContaining(['-accel', 'kvm']))
      expect(await readFile(r.consoleLog, 'latin1')).toContain('on kvm')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)

  /** Root can run QEMU as `nobody`, and nobody may not open a /dev/kvm that is not world-accessible. */
  const permissionDeniedReachable = async (): Promise<boolean> => {
    if (process.getuid?.() !== 0) return false
    try {
      return ((await stat('/dev/kvm')).mode & 0o006) === 0
    } catch {
      return false
    }
  }

  it('a QEMU that may not open /dev/kvm ends on a permission-denied reason at once (real QEMU, as nobody)', async () => {
    if (!(await permissionDeniedReachable())) return
    const r = await probeKvm('qemu-system-x86_64', { timeoutMs: 3000, uid: 65534, gid: 65534 })
    expect(r.ok).toBe(false)
    expect(r.detail).toBe('permission denied opening /dev/kvm')
  }, 30_000)
})
