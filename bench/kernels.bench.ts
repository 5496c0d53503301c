// Real Unikraft kernels (issue "Real Unikraft in the loop"):
// - verification of a stored kernel (size + sha256) before every boot: ≤ 5 ms, against reading the
//   same file in the same run;
// - with real kernels (UNIKRAFT_COMPAT_BENCH_STORE=<kernel store>; this repository ships none):
//   a whole redis check (CLI start to verdict, cpio given) against the bare QEMU command of the same
//   kernel and cpio plus a 10 ms PING loop until PONG (≤ 1.5×); a run-to-completion program's verdict
//   after its `exit_group(N) = ?` line (≤ 300 ms); and, with UNIKRAFT_COMPAT_BENCH_NATIVE=<native hello
//   image>, a whole native check against the bare QEMU boot-to-exit of the same image (≤ 1.5×).
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  findStoredKernel,
  readKernelStore,
  verifiedKernelPath,
  type KernelStore,
  type StoredKernel
} from '../src/engine/kraft/kernel-store.js'
import type { BenchResult } from './run.js'

const root = new URL('..', import.meta.url).pathname
const CLI = join(root, 'dist/cli.js')
/** The QEMU flags a person types for a headless TCG boot with the console on stdout (the reference runs). */
const BARE_QEMU = [
  '-accel',
  'tcg',
  '-cpu',
  'max',
  '-m',
  '256',
  '-display',
  'none',
  '-serial',
  'stdio',
  '-no-reboot'
]
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** A kernel-sized file (the 0.16.3 `trace` image is 610 800 bytes) in a one-entry store. */
function syntheticStore(dir: string): { store: KernelStore; kernel: StoredKernel } {
  const bytes = Buffer.alloc(610_800)
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24
  writeFileSync(join(dir, 'k'), bytes)
  const kernel: StoredKernel = {
    version: '0.16.3',
    variant: 'net',
    file: 'k',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    sources: [
      { repo: 'unikraft/unikraft', ref: 'RELEASE-0.16.3', commit: 'e453b74a2e78a0de98563d75d8e0a97e668088e6' }
    ],
    config: 'k.opts'
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ kernels: [kernel] }))
  return { store: readKernelStore(dir), kernel }
}

async function verification(work: string): Promise<BenchResult> {
  const given = process.env.UNIKRAFT_COMPAT_BENCH_STORE
  const { store, kernel } = given
    ? (() => {
        const s = readKernelStore(given)
        return { store: s, kernel: s.kernels[0] }
      })()
    : syntheticStore(work)
  const path = join(store.dir, kernel.file)
  const ours: number[] = []
  const reading: number[] = []
  for (let i = 0; i < 21; i++) {
    let t = performance.now()
    await verifiedKernelPath(store, kernel)
    ours.push(performance.now() - t)
    t = performance.now()
    readFileSync(path)
    reading.push(performance.now() - t)
  }
  return {
    name: `kernels: verify a ${kernel.bytes}-byte kernel (size + sha256) before boot, median of 21`,
    value: median(ours),
    unit: 'ms',
    reference: { name: 'readFileSync of the same file', value: median(reading) },
    ratio: median(ours) / median(reading),
    target: '≤ 5 ms',
    pass: median(ours) <= 5
  }
}

/** ms from spawn until a PING on 127.0.0.1:port answers +PONG (10 ms between tries). */
function pingLoop(port: number, started: number, deadline: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (performance.now() > deadline) return reject(new Error('no PONG before the deadline'))
      const s = createConnection({ host: '127.0.0.1', port })
      let got = ''
      s.on('connect', () => s.write('*1\r\n$4\r\nPING\r\n'))
      s.on('data', d => {
        got += d.toString()
        if (got.includes('+PONG')) {
          s.destroy()
          resolve(performance.now() - started)
        }
      })
      const retry = (): void => {
        s.destroy()
        setTimeout(attempt, 10)
      }
      s.on('error', retry)
      s.on('close', () => {
        if (!got.includes('+PONG')) retry()
      })
      s.setTimeout(500, retry)
    }
    attempt()
  })
}

async function bareRedis(kernel: string, cpio: string, port: number): Promise<number> {
  const started = performance.now()
  const append =
    'netdev.ip=10.0.2.15/24:10.0.2.2:10.0.2.3 vfs.fstab=[ "initrd0:/:extract::ramfs=1:" ] -- /usr/bin/redis-server /etc/redis/redis.conf'
  const q = spawn(
    'qemu-system-x86_64',
    [
      ...BARE_QEMU,
      '-kernel',
      kernel,
      '-initrd',
      cpio,
      '-netdev',
      `user,id=n0,hostfwd=tcp:127.0.0.1:${port}-:6379`,
      '-device',
      'virtio-net-pci,netdev=n0',
      '-append',
      append
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] }
  )
  try {
    return await pingLoop(port, started, started + 60_000)
  } finally {
    q.kill('SIGKILL')
    await new Promise(r => q.once('close', r))
  }
}

function cliCheck(
  args: string[],
  baseline = 'never'
): {
  ms: number
  result: {
    verdict: string
    durationMs: number
    timeline: { launchMs: number }
    probes: { evidence: { atMs: number } }[]
  }
} {
  const out = mkdtempSync(join(tmpdir(), 'ukc-kbench-out-'))
  const t = performance.now()
  const r = spawnSync(
    process.execPath,
    [CLI, 'run', ...args, '--accel', 'tcg', '--baseline', baseline, '--quiet', '--out', out],
    { cwd: root, encoding: 'utf8' }
  )
  const ms = performance.now() - t
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'))
  rmSync(out, { recursive: true, force: true })
  if (r.status !== 0) throw new Error(`check failed (${r.status}): ${result.summary}`)
  return { ms, result }
}

async function realKernels(storeDir: string, work: string): Promise<BenchResult[]> {
  const store = readKernelStore(storeDir)
  const net = findStoredKernel(store, '0.16.3') ?? store.kernels[0]
  const kernel = join(store.dir, net.file)
  const results: BenchResult[] = []
  // The redis root filesystem as a cpio: redis-server, its libraries and the example's config, packed once.
  const tree = join(work, 'redis-tree')
  const cpio = join(work, 'redis.cpio')
  const pack = spawnSync(
    'sh',
    [
      '-c',
      'set -e; d="$1"; for f in /usr/bin/redis-server $(ldd /usr/bin/redis-server | grep -o "/[^ ]*"); do mkdir -p "$d$(dirname "$f")"; cp -L "$f" "$d$f"; done; mkdir -p "$d/etc/redis"; cp examples/redis-local/redis.conf "$d/etc/redis/redis.conf"',
      'pack',
      tree
    ],
    { cwd: root, encoding: 'utf8' }
  )
  if (pack.status !== 0) throw new Error(`copying redis failed: ${pack.stderr}`)
  const packed = spawnSync(process.execPath, [CLI, 'rootfs', 'pack', tree, cpio], { encoding: 'utf8' })
  if (packed.status !== 0) throw new Error(`packing redis failed: ${packed.stderr}`)
  // An app directory with nothing in it: no config adds files, so the cpio boots as given.
  const app = join(work, 'redis-app')
  mkdirSync(app)
  const redisArgs = [
    app,
    '--kernel',
    kernel,
    '--rootfs',
    cpio,
    '--cmd',
    '/usr/bin/redis-server /etc/redis/redis.conf',
    '--probe',
    'redis:6379'
  ]
  const ours: number[] = []
  const bare: number[] = []
  for (let i = 0; i < 5; i++) {
    ours.push(cliCheck(redisArgs).ms)
    bare.push(await bareRedis(kernel, cpio, 17000 + i))
  }
  results.push({
    name: 'kernels: whole redis check on the real 0.16.3 kernel (CLI start to verdict, cpio given), median of 5',
    value: median(ours),
    unit: 'ms',
    reference: {
      name: 'bare QEMU of the same kernel and cpio + 10 ms PING loop until PONG',
      value: median(bare)
    },
    ratio: median(ours) / median(bare),
    target: 'ratio ≤ 1.5',
    pass: median(ours) / median(bare) <= 1.5
  })
  // Tracing (issue 14): the same redis check through the kernel store, untraced and traced.
  const trace = findStoredKernel(store, net.version, 'trace')
  if (trace) {
    const viaStore = [
      app,
      '--kernel-store',
      storeDir,
      '--unikraft-version',
      net.version,
      ...redisArgs.slice(3)
    ]
    const untraced: number[] = []
    const withBaseline: number[] = []
    const traced: number[] = []
    for (let i = 0; i < 3; i++) {
      untraced.push(cliCheck([...viaStore, '--trace', 'never']).ms)
      withBaseline.push(cliCheck([...viaStore, '--trace', 'never'], 'always').ms)
      traced.push(cliCheck([...viaStore, '--trace', 'always'], 'auto').ms)
    }
    results.push({
      name: 'kernels: traced redis check (the Unikraft run, the Linux baseline under strace, the rerun on the trace kernel), median of 3',
      value: median(traced),
      unit: 'ms',
      reference: { name: 'the untraced redis check (the Unikraft run only)', value: median(untraced) },
      ratio: median(traced) / median(untraced),
      target: 'ratio ≤ 2',
      pass: median(traced) / median(untraced) <= 2
    })
    results.push({
      name: 'kernels: traced redis check vs the untraced one that also runs the Linux baseline (same boots but the trace rerun), median of 3',
      value: median(traced),
      unit: 'ms',
      reference: { name: 'untraced redis check with baseline: always', value: median(withBaseline) },
      ratio: median(traced) / median(withBaseline),
      target: 'informational',
      pass: true
    })
  }
  // Run to completion: the verdict after the program's exit line.
  const hello = join(work, 'hello-tree')
  mkdirSync(hello)
  writeFileSync(join(work, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n')
  spawnSync('gcc', ['-static-pie', '-O2', '-o', join(hello, 'hello'), join(work, 'hello.c')])
  const after: number[] = []
  for (let i = 0; i < 5; i++) {
    const { result } = cliCheck([
      work,
      '--kernel',
      kernel,
      '--rootfs',
      hello,
      '--cmd',
      '/hello',
      '--probe',
      'exit:0'
    ])
    // durationMs counts from the check's start; the line arrived at launchMs + its atMs.
    after.push(result.durationMs - (result.timeline.launchMs + result.probes[0].evidence.atMs))
  }
  results.push({
    name: 'kernels: verdict after the exit_group(0) = ? line of a run-to-completion program, median of 5',
    value: median(after),
    unit: 'ms',
    target: '≤ 300 ms',
    pass: median(after) <= 300
  })
  const nativeImage = process.env.UNIKRAFT_COMPAT_BENCH_NATIVE
  if (nativeImage) {
    const empty = join(work, 'native-app')
    mkdirSync(empty)
    const oursN: number[] = []
    const bareN: number[] = []
    for (let i = 0; i < 5; i++) {
      oursN.push(cliCheck([empty, '--kernel', nativeImage]).ms)
      const t = performance.now()
      spawnSync('qemu-system-x86_64', [
        ...BARE_QEMU,
        '-device',
        'isa-debug-exit,iobase=0x501,iosize=0x04',
        '-kernel',
        nativeImage
      ])
      bareN.push(performance.now() - t)
    }
    results.push({
      name: 'kernels: whole check of a native hello image (CLI start to verdict), median of 5',
      value: median(oursN),
      unit: 'ms',
      reference: { name: 'bare QEMU boot-to-exit of the same image', value: median(bareN) },
      ratio: median(oursN) / median(bareN),
      target: 'ratio ≤ 1.5',
      pass: median(oursN) / median(bareN) <= 1.5
    })
  }
  return results
}

export default async function kernelsBench(): Promise<BenchResult[]> {
  const work = mkdtempSync(join(tmpdir(), 'ukc-kernels-bench-'))
  try {
    const results = [await verification(work)]
    const store = process.env.UNIKRAFT_COMPAT_BENCH_STORE
    if (store) results.push(...(await realKernels(store, work)))
    else
      process.stderr.write(
        'bench: kernels: no UNIKRAFT_COMPAT_BENCH_STORE, so the real-kernel checks are not measured\n'
      )
    return results
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
