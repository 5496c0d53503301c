// Root filesystem benchmarks: packDirectory against GNU `find . | cpio -o -H newc` on the same
// 200 MB mixed tree in the same run; peak RSS while packing a 1 GB tree (in a child process that
// reports its own peak); closure resolution of redis-server and of 50 /usr/bin programs.
import { spawn } from 'node:child_process'
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ClosureResolver, resolveClosure } from '../src/engine/rootfs/closure.js'
import { readElf } from '../src/engine/rootfs/elf.js'
import { packDirectory } from '../src/engine/rootfs/pack-directory.js'
import type { BenchResult } from './run.js'

/** Deterministic filler bytes (xorshift), so both packers read the same incompressible data. */
function filler(n: number): Buffer {
  const b = Buffer.allocUnsafe(n)
  let x = 0x9e3779b9
  for (let i = 0; i + 4 <= n; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    b.writeUInt32LE(x >>> 0, i)
  }
  return b
}

/**
 * A tree of `smallCount` small files (0..16 KiB, like /etc and /usr/share) in 100-file
 * directories, `largeCount` files of `largeBytes`, and a symlink per directory.
 */
function makeTree(root: string, smallCount: number, largeCount: number, largeBytes: number): number {
  const data = filler(Math.max(largeBytes, 1 << 16))
  let total = 0
  let seed = 12345
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed
  }
  for (let i = 0; i < smallCount; i++) {
    const d = join(root, 'usr', 'share', `d${Math.floor(i / 100)}`)
    if (i % 100 === 0) {
      mkdirSync(d, { recursive: true })
      symlinkSync('../d0', join(d, 'up'))
    }
    const size = rnd() % 16384
    writeFileSync(join(d, `f${i}.txt`), data.subarray(0, size))
    total += size
  }
  mkdirSync(join(root, 'usr', 'lib'), { recursive: true })
  for (let i = 0; i < largeCount; i++) {
    writeFileSync(join(root, 'usr', 'lib', `big${i}.so`), data.subarray(0, largeBytes))
    total += largeBytes
  }
  return total
}

function gnuCpio(tree: string, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const fd = openSync(out, 'w')
    const find = spawn('find', ['.'], { cwd: tree, stdio: ['ignore', 'pipe', 'inherit'] })
    const cpio = spawn('cpio', ['-o', '-H', 'newc', '--quiet'], { cwd: tree, stdio: ['pipe', fd, 'inherit'] })
    if (!cpio.stdin) throw new Error('cpio has no stdin pipe')
    find.stdout.pipe(cpio.stdin)
    find.on('error', reject)
    cpio.on('error', reject)
    cpio.on('close', code => {
      closeSync(fd)
      if (code !== 0) reject(new Error(`cpio exited ${code}`))
      else resolve(performance.now() - started)
    })
  })
}

async function ours(tree: string, out: string): Promise<number> {
  const started = performance.now()
  await packDirectory(tree, out)
  return performance.now() - started
}

/**
 * Peak RSS (MiB) of a plain `node` child that packs `tree`, reported by the child itself. The
 * child runs packDirectory bundled to JavaScript (as dist/ ships it), not under the tsx loader,
 * whose own compiler state would add some 35 MiB that production never carries.
 */
async function childPeakRss(
  work: string,
  tree: string,
  out: string
): Promise<{ peak: number; baseline: number }> {
  const { build } = await import('esbuild')
  const entry = join(work, 'rss-child.ts')
  const bundle = join(work, 'rss-child.mjs')
  const packModule = fileURLToPath(new URL('../src/engine/rootfs/pack-directory.ts', import.meta.url))
  writeFileSync(
    entry,
    `import { packDirectory } from ${JSON.stringify(packModule)}\n` +
      'const baseline = process.resourceUsage().maxRSS\n' +
      'await packDirectory(process.argv[2], process.argv[3])\n' +
      'console.log(JSON.stringify({ baseline, peak: process.resourceUsage().maxRSS }))\n'
  )
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'warning'
  })
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, tree, out], { stdio: ['ignore', 'pipe', 'inherit'] })
    let text = ''
    child.stdout.on('data', (d: Buffer) => (text += d.toString()))
    child.on('error', reject)
    child.on('close', code => {
      if (code !== 0) return reject(new Error(`RSS child exited ${code}`))
      const r = JSON.parse(text) as { baseline: number; peak: number }
      resolve({ peak: r.peak / 1024, baseline: r.baseline / 1024 })
    })
  })
}

function dynamicPrograms(dir: string, count: number): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    if (out.length === count) break
    try {
      const e = readElf(join(dir, name))
      if (e.interpreter && e.machineName === 'x86-64') out.push(join(dir, name))
    } catch {
      // scripts, symlinks to scripts, unreadable: not a program to resolve
    }
  }
  return out
}

export default async function rootfsBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const work = mkdtempSync(join(tmpdir(), 'rootfs-bench-'))
  try {
    // 1. Packing speed on a 200 MB tree: 20 000 small files (about 160 MB) + 4 x 10 MiB.
    const tree = join(work, 'tree200')
    const bytes = makeTree(tree, 20000, 4, 10 << 20)
    const outA = join(work, 'ours.cpio')
    const outB = join(work, 'gnu.cpio')
    await ours(tree, outA) // warm the page cache for both
    await gnuCpio(tree, outB)
    const oursMs: number[] = []
    const gnuMs: number[] = []
    for (let i = 0; i < 5; i++) {
      oursMs.push(await ours(tree, outA))
      gnuMs.push(await gnuCpio(tree, outB))
    }
    const a = Math.min(...oursMs)
    const b = Math.min(...gnuMs)
    results.push({
      name: `rootfs: pack ${(bytes / 1e6).toFixed(0)} MB tree (20 000 small + 4 large files), best of 5`,
      value: a,
      unit: 'ms',
      reference: { name: 'find . | cpio -o -H newc', value: b },
      ratio: a / b,
      target: 'ratio <= 1.0',
      pass: a / b <= 1.0
    })
    rmSync(tree, { recursive: true, force: true })
    rmSync(outA, { force: true })
    rmSync(outB, { force: true })

    // 2. Peak memory packing a 1 GB tree (20 000 small files + 54 x 16 MiB).
    const big = join(work, 'tree1g')
    const bigBytes = makeTree(big, 20000, 54, 16 << 20)
    const rss = await childPeakRss(work, big, join(work, 'big.cpio'))
    results.push({
      name: `rootfs: peak RSS of a node process packing a ${(bigBytes / 1e9).toFixed(2)} GB tree (node alone: ${rss.baseline.toFixed(0)} MiB)`,
      value: rss.peak,
      unit: 'MiB',
      target: '< 100 MiB',
      pass: rss.peak < 100
    })
    rmSync(join(work, 'big.cpio'), { force: true })
    rmSync(big, { recursive: true, force: true })

    // 3. Closure resolution, cold in-process caches (the page cache is warm after a first run).
    resolveClosure('/usr/bin/redis-server')
    let t = performance.now()
    const c = resolveClosure('/usr/bin/redis-server')
    const redisMs = performance.now() - t
    results.push({
      name: `rootfs: closure of /usr/bin/redis-server (${c.libraries.length} libraries)`,
      value: redisMs,
      unit: 'ms',
      target: '< 1000 ms',
      pass: redisMs < 1000
    })
    const progs = dynamicPrograms('/usr/bin', 50)
    t = performance.now()
    const resolver = new ClosureResolver('/')
    let libs = 0
    for (const p of progs) libs += resolveClosure(p, { resolver }).libraries.length
    const manyMs = performance.now() - t
    results.push({
      name: `rootfs: closures of ${progs.length} /usr/bin programs (${libs} library lookups resolved)`,
      value: manyMs,
      unit: 'ms',
      target: '< 1000 ms',
      pass: manyMs < 1000 && progs.length === 50
    })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await rootfsBench()) console.log(JSON.stringify(r))
}
