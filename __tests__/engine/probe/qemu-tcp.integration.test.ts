// The tcp probe against a real QEMU with user networking (Linux baseline guest, TCG): QEMU accepts
// host-side connections by itself, so a bare connect succeeds while nothing listens in the guest;
// the probe must fail then, and pass only once the guest really listens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '../../../src/engine/logger.js'
import { parseProbes } from '../../../src/engine/probe/parse-probe.js'
import { runProbes } from '../../../src/engine/probe/run-probes.js'
import { type LinuxKernel, ensureLinuxKernel, startVm } from '../../../src/engine/vm/index.js'
import type { ConsoleLine, VmHandle } from '../../../src/engine/vm/vm-types.js'

/** Shared with the other QEMU tests and the bench: the kernel package is fetched once per machine. */
const KERNEL_CACHE = join(tmpdir(), 'unikraft-compat-cache', 'linux-kernel')
/** The baseline's own static busybox inside the guest. */
const BB = '/.ukc/busybox'

let kernel: LinuxKernel
const outDirs: string[] = []

beforeAll(async () => {
  kernel = await ensureLinuxKernel(KERNEL_CACHE)
}, 300_000)
afterAll(() => {
  for (const d of outDirs) rmSync(d, { recursive: true, force: true })
})

function boot(script: string): Promise<VmHandle> {
  const outDir = mkdtempSync(join(tmpdir(), 'probe-qemu-'))
  outDirs.push(outDir)
  return startVm(
    {
      guest: 'linux',
      kernel: kernel.kernel,
      linuxModulesDir: kernel.modulesDir ?? undefined,
      cmd: [BB, 'sh', '-c', script],
      env: {},
      memoryMiB: 256,
      ports: [{ guest: 6379 }],
      accel: 'tcg',
      timeoutMs: 150_000,
      outDir
    },
    { logger: silentLogger }
  )
}

function lineMatching(vm: VmHandle, re: RegExp): Promise<ConsoleLine> {
  return new Promise((resolve, reject) => {
    let found = false
    const unsubscribe = vm.onConsoleLine(l => {
      if (!found && re.test(l.text)) {
        found = true
        resolve(l)
        // Lines so far are delivered during onConsoleLine itself, before `unsubscribe` exists.
        queueMicrotask(() => unsubscribe())
      }
    })
    void vm.done.then(() => reject(new Error(`VM ended before a line matched ${re}:\n${vm.consoleText()}`)))
  })
}

function bareConnect(host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = connect({ host, port })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

describe('tcp probe under QEMU user networking', () => {
  it('fails while the guest never listens, though a bare connect succeeds', async () => {
    const vm = await boot(`echo guest-up; exec ${BB} sleep 600`)
    try {
      await lineMatching(vm, /^guest-up/)
      expect(await bareConnect(vm.hostAddress, vm.ports[6379])).toBe(true)
      const [r] = await runProbes(parseProbes(['tcp:6379']), vm, { deadlineMs: 5000 })
      expect(r.passed).toBe(false)
      expect(r.attempts).toBeGreaterThan(1)
      // The bare connect above succeeded, yet the probe did not pass. Its last attempt either saw QEMU
      // accept without the guest, or (on a busy machine) was cut short by the deadline mid-connect.
      expect(r.evidence.note).toMatch(
        /deadline\); last attempt: (QEMU accepted the host-side connection|connect did not complete within \d+ ms)/
      )
      expect(vm.ended).toBe(false)
    } finally {
      await vm.stop()
    }
  }, 180_000)

  it('passes only once the guest listens', async () => {
    const vm = await boot(`echo guest-up; ${BB} sleep 2; echo listening-now; exec ${BB} nc -l -p 6379`)
    try {
      const listening = lineMatching(vm, /^listening-now/)
      // Probing starts at launch, long before the guest listens.
      const [r] = await runProbes(parseProbes(['tcp:6379']), vm, { deadlineMs: 120_000 })
      const line = await listening
      expect(r.passed).toBe(true)
      expect(r.evidence.received).toMatch(/^guest accepted \(ESTABLISHED\)/)
      expect(r.readyAtMs!).toBeGreaterThanOrEqual(line.atMs)
      expect(r.attempts).toBeGreaterThan(1)
    } finally {
      await vm.stop()
    }
  }, 180_000)
})
