// Accelerator choice. `auto` uses KVM only after a tiny guest proved it runs and prints under KVM
// within a short bound; else TCG, with the reason recorded. /dev/kvm can be present and unusable
// (QEMU aborting on an MSR, a guest paused on an internal error, permission denied, or nested KVM
// so slow that nothing prints): each ends on TCG within the bound. One probe per process.
import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InfrastructureError } from '../errors.js'
import { buildProbeKernel } from './probe-kernel.js'
import { buildQemuArgv, QEMU_BINARY } from './qemu-argv.js'
import { registerVm } from './vm-registry.js'
import type { Accel, AccelRequest } from './vm-types.js'

export const KVM_DEVICE = '/dev/kvm'
/**
 * A working KVM runs the probe in well under a second; this machine's nested KVM needs 6 to 7 s for
 * the probe and prints nothing of a Linux boot within 30 s, so a longer bound would only trade a
 * clear, fast fallback for a slow failure.
 */
export const DEFAULT_KVM_PROBE_TIMEOUT_MS = 3000
const PROBE_MESSAGE = 'UKC-KVM-PROBE-OK'

export interface AccelDecision {
  accel: Accel
  reason: string
}

export interface KvmProbeResult {
  ok: boolean
  /** What happened, for the accel reason. */
  detail: string
  elapsedMs: number
}

export interface KvmProbeOptions {
  timeoutMs?: number
  /** For tests: run the probe as another user (to see the permission-denied path for real). */
  uid?: number
  gid?: number
  /** The KVM device checked before QEMU starts (default /dev/kvm; tests name a missing one). */
  kvmDevice?: string
}

export interface KvmProbeOutcome {
  printed: boolean
  code: number | null
  signal: string | null
  stderr: string
  timedOut: boolean
  timeoutMs: number
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map(l => l.trim())
      .find(l => l !== '') ?? ''
  )
}

/** Names the failure from what QEMU did under KVM (pure; rows in the tests are real QEMU output). */
export function classifyKvmProbe(o: KvmProbeOutcome): KvmProbeResult['detail'] {
  const err = o.stderr
  if (/permission denied/i.test(err)) return `permission denied opening ${KVM_DEVICE}`
  if (/KVM internal error/i.test(err)) {
    return 'KVM internal error (emulation failure): the guest would stay paused'
  }
  if (/failed to set MSR/i.test(err) || o.signal === 'SIGABRT') {
    const lines = err.split('\n')
    const line = (
      lines.find(l => /MSR/.test(l)) ??
      lines.find(l => /assert|abort/i.test(l)) ??
      firstLine(err)
    ).trim()
    return `QEMU aborted under KVM${line ? `: ${line}` : ''}`
  }
  if (o.timedOut) {
    return o.printed
      ? `the KVM probe guest printed but did not finish within ${o.timeoutMs} ms`
      : `the KVM probe guest printed nothing within ${o.timeoutMs} ms (paused, or KVM too slow here)`
  }
  const status = o.code !== null ? `status ${o.code}` : `signal ${o.signal}`
  const line = firstLine(err)
  return `QEMU exited with ${status} under KVM${line ? `: ${line}` : ''}`
}

/** Boots the probe kernel under KVM; never takes longer than the bound (plus the kill). */
export async function probeKvm(qemuBinary: string, opts: KvmProbeOptions = {}): Promise<KvmProbeResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_KVM_PROBE_TIMEOUT_MS
  // No device to open: named as such, without starting QEMU (whose own message is less clear).
  const problem = await kvmDeviceProblem(opts.kvmDevice ?? KVM_DEVICE)
  if (problem) return { ok: false, detail: problem, elapsedMs: 0 }
  const dir = await mkdtemp(join(tmpdir(), 'ukc-kvm-probe-'))
  const kernel = join(dir, 'probe.bin')
  await writeFile(kernel, buildProbeKernel({ message: `${PROBE_MESSAGE}\n`, then: 'exit', exitValue: 41 }))
  const argv = buildQemuArgv({
    binary: qemuBinary,
    accel: 'kvm',
    memoryMiB: 16,
    console: 'stdio',
    kernel,
    pvpanic: false
  })
  const started = performance.now()
  try {
    return await new Promise<KvmProbeResult>(resolve => {
      const child = spawn(argv[0], argv.slice(1), {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
        ...(opts.gid !== undefined ? { gid: opts.gid } : {})
      })
      let stdout = ''
      let stderr = ''
      let timedOut = false
      let settled = false
      const killGroup = (): void => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      const timer = setTimeout(() => {
        timedOut = true
        killGroup()
      }, timeoutMs)
      // Like any VM of ours: SIGINT/SIGTERM of this process during the probe takes it down too.
      const unregister = child.pid ? registerVm({ pid: child.pid, stop: async () => killGroup() }) : () => {}
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString('latin1')
      })
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString('utf8')
        // A paused guest never recovers: no need to wait out the bound.
        if (/KVM internal error/i.test(stderr)) killGroup()
      })
      const finish = (code: number | null, signal: string | null): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        unregister()
        const elapsedMs = Math.round(performance.now() - started)
        const printed = stdout.includes(PROBE_MESSAGE)
        if (printed && code === 83) {
          resolve({ ok: true, detail: `KVM probe guest ran in ${elapsedMs} ms`, elapsedMs })
          return
        }
        resolve({
          ok: false,
          detail: classifyKvmProbe({ printed, code, signal, stderr, timedOut, timeoutMs }),
          elapsedMs
        })
      }
      child.on('error', e => {
        stderr += String(e.message)
        finish(null, null)
      })
      child.on('close', (code, signal) => finish(code, signal))
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function kvmDeviceProblem(device: string): Promise<string | null> {
  try {
    await access(device, constants.R_OK | constants.W_OK)
    return null
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return `no ${device} on this machine`
    if (code === 'EACCES' || code === 'EPERM') return `permission denied opening ${device}`
    return `${device} is not usable (${code ?? String(e)})`
  }
}

const probeCache = new Map<string, Promise<KvmProbeResult>>()

/** Forgets cached probe results (tests). */
export function resetAccelCache(): void {
  probeCache.clear()
}

export interface ResolveAccelOptions {
  qemuBinary?: string
  probeTimeoutMs?: number
  /** For tests (default /dev/kvm). */
  kvmDevice?: string
}

async function cachedProbe(opts: ResolveAccelOptions): Promise<KvmProbeResult> {
  const binary = opts.qemuBinary ?? QEMU_BINARY
  const device = opts.kvmDevice ?? KVM_DEVICE
  const timeoutMs = opts.probeTimeoutMs ?? DEFAULT_KVM_PROBE_TIMEOUT_MS
  // A probe that timed out under one bound says nothing about a longer one.
  const key = `${binary}\0${device}\0${timeoutMs}`
  let p = probeCache.get(key)
  if (!p) {
    p = probeKvm(binary, { timeoutMs, kvmDevice: device })
    probeCache.set(key, p)
  }
  return p
}

const KVM_HINT =
  'use accel auto (falls back to TCG) or tcg; on GitHub-hosted Linux runners, open /dev/kvm to the ' +
  'runner user with the udev rule in docs/vm.md'

export async function resolveAccel(
  request: AccelRequest,
  opts: ResolveAccelOptions = {}
): Promise<AccelDecision> {
  if (request === 'tcg') return { accel: 'tcg', reason: 'TCG requested' }
  const probe = await cachedProbe(opts)
  if (request === 'kvm') {
    if (probe.ok) return { accel: 'kvm', reason: `KVM requested; ${probe.detail}` }
    throw new InfrastructureError(
      `accel 'kvm' was requested but KVM does not work here: ${probe.detail}`,
      KVM_HINT
    )
  }
  if (probe.ok) return { accel: 'kvm', reason: `auto: ${probe.detail}` }
  return { accel: 'tcg', reason: `auto: KVM unusable (${probe.detail}); using TCG` }
}
