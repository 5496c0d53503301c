// A Linux baseline guest that cannot have the network its probes need (the kernel lacks virtio-net)
// must end its run in verdict `error`, saying why, never in `fail`: otherwise the differential would
// call a working app broken. Real QEMU, the real baseline kernel, a modules directory without drivers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runOnGuest } from '../../../src/engine/check/guest-run.js'
import { resolveCheckOptions } from '../../../src/engine/config/resolve.js'
import type { ProbeSpec } from '../../../src/engine/probe/index.js'
import { ensureLinuxKernel } from '../../../src/engine/vm/linux-kernel.js'
import { LINUX_CACHE_DIR } from '../vm/vm-test-support.js'
import { testEngineDeps } from './test-engine-deps.js'

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-baseline-net-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('runOnGuest on the Linux baseline without a network driver', () => {
  it('ends in verdict error naming the missing driver, not in fail', async () => {
    const kernel = await ensureLinuxKernel(LINUX_CACHE_DIR)
    const noModules = join(work, 'modules')
    mkdirSync(join(noModules, 'kernel'), { recursive: true })
    const app = join(work, 'app')
    mkdirSync(app)
    const options = await resolveCheckOptions(
      { app, guest: 'linux', cmd: '/.ukc/busybox true', probe: 'tcp:8080', timeout: '120s' },
      { cwd: work }
    )
    const out = join(work, 'out')
    mkdirSync(out)
    const run = await runOnGuest(
      {
        guest: 'linux',
        kernel: kernel.kernel,
        linuxModulesDir: noModules,
        cmd: options.cmd ?? [],
        env: {},
        workdir: null,
        ports: options.ports,
        probes: options.probes as ProbeSpec[],
        preflight: [],
        options,
        outDir: out
      },
      testEngineDeps(work),
      Date.now()
    )
    expect(run.verdict).toBe('error')
    expect(run.summary).toMatch(
      /the Linux baseline guest had no network: the kernel has no virtio_pci or virtio_net/
    )
    expect(run.vm?.networkProblem).toMatch(/virtio_net/)
  }, 300_000)
})
