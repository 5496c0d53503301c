// Diagnosis throughput on a ~200 MB console log made of the real Unikraft logs repeated, streamed
// from a temporary file, against `grep -E -c -i` with the same keyword alternation over the same
// file in the same run (the prefilter our scanner runs; grep does only that, we also run the rules).
// Memory must stay flat: the peak RSS growth while diagnosing is reported.
// DIAGNOSE_BENCH_MB overrides the log size.
import { spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { CONSOLE_KEYWORDS } from '../src/engine/diagnose/console-keywords.js'
import { diagnose, diagnoseFile } from '../src/engine/diagnose/index.js'
import type { BenchResult } from './run.js'

const FIXTURES = new URL('../__fixtures__/unikraft-logs/', import.meta.url).pathname
const TARGET_MB_S = 100
/** Growth of the peak RSS allowed while diagnosing: flat means independent of the log's size. */
const RSS_BUDGET_MB = 64
/** Best of this many runs each (the machine is shared; the best run is the least disturbed). */
const RUNS = 3
/** Each pathological input (1 MB) must be diagnosed within this. */
const PATHOLOGICAL_BUDGET_MS = 1000

/** 1 MB single lines (and one of 1 MB of short lines) built from what the rules' patterns start with. */
const PATHOLOGICAL = [
  'x',
  '[',
  '(',
  '\x1b[',
  '\r',
  'ERR:  [',
  'CRIT: [lib] ',
  'Powered by\n',
  'Unhandled Trap 1 (',
  ': Failed to execute ',
  ': cannot open shared object file',
  'Function not implemented ',
  'Assertion `',
  'Unikraft Calypso (0.17.0'
]

function worstPathologicalMs(): { ms: number; input: string } {
  let worst = { ms: 0, input: '' }
  for (const unit of PATHOLOGICAL) {
    const text = unit.repeat(Math.ceil(1e6 / unit.length))
    const started = performance.now()
    diagnose({ console: text })
    const ms = performance.now() - started
    if (ms > worst.ms) worst = { ms, input: JSON.stringify(unit) }
  }
  return worst
}

async function buildLog(path: string, bytes: number): Promise<number> {
  const logs = readdirSync(FIXTURES)
    .filter(f => f.endsWith('.log'))
    .sort()
    .map(f => readFileSync(join(FIXTURES, f)))
  const unit = Buffer.concat(logs)
  const out = createWriteStream(path)
  let written = 0
  while (written < bytes) {
    if (!out.write(unit)) await once(out, 'drain')
    written += unit.length
  }
  out.end()
  await once(out, 'finish')
  return statSync(path).size
}

/** The keywords as one POSIX ERE alternation (metacharacters escaped). */
function grepPattern(): string {
  return CONSOLE_KEYWORDS.map(k => k.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')).join('|')
}

function runGrep(path: string): Promise<{ ms: number; count: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn('grep', ['-E', '-c', '-i', '-a', '-e', grepPattern(), path], {
      shell: false,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', code => {
      const ms = performance.now() - started
      if (code !== 0 && code !== 1) reject(new Error(`grep exited with ${code}`))
      else resolve({ ms, count: Number(out.trim()) })
    })
  })
}

async function runOurs(path: string): Promise<{ ms: number; rssGrowthMb: number; ids: string[] }> {
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  const started = performance.now()
  const findings = await diagnoseFile(path)
  const ms = performance.now() - started
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  return { ms, rssGrowthMb: (peak - baseline) / 1e6, ids: [...new Set(findings.map(f => f.id))].sort() }
}

export default async function diagnoseBench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'diagnose-bench-'))
  try {
    const path = join(dir, 'console.log')
    const size = await buildLog(path, Number(process.env.DIAGNOSE_BENCH_MB ?? 200) * 1e6)
    const mb = size / 1e6
    let best = Infinity
    let bestGrep = Infinity
    let rssGrowth = 0
    let ids: string[] = []
    for (let i = 0; i < RUNS; i++) {
      const ours = await runOurs(path)
      best = Math.min(best, ours.ms)
      rssGrowth = Math.max(rssGrowth, ours.rssGrowthMb)
      ids = ours.ids
      bestGrep = Math.min(bestGrep, (await runGrep(path)).ms)
    }
    // Sanity: the repeated logs must still be diagnosed (a fast scanner that finds nothing is no win).
    for (const id of ['crash.assertion', 'loader.missing-library', 'syscall.unsupported', 'boot.banner'])
      if (!ids.includes(id))
        throw new Error(`the benchmark log did not produce ${id} (got ${ids.join(', ')})`)
    const ours = mb / (best / 1000)
    const grep = mb / (bestGrep / 1000)
    const worst = worstPathologicalMs()
    return [
      {
        name: `diagnose throughput (${mb.toFixed(0)} MB console log, streamed)`,
        value: ours,
        unit: 'MB/s',
        reference: { name: 'grep -E -c -i, same keywords', value: grep },
        ratio: ours / grep,
        target: `>= ${TARGET_MB_S} MB/s`,
        pass: ours >= TARGET_MB_S
      },
      {
        name: `diagnose peak RSS growth (${mb.toFixed(0)} MB log)`,
        value: rssGrowth,
        unit: 'MB',
        target: `<= ${RSS_BUDGET_MB} MB (flat)`,
        pass: rssGrowth <= RSS_BUDGET_MB
      },
      {
        name: `slowest 1 MB pathological input (${worst.input} repeated)`,
        value: worst.ms,
        unit: 'ms',
        target: `< ${PATHOLOGICAL_BUDGET_MS} ms`,
        pass: worst.ms < PATHOLOGICAL_BUDGET_MS
      }
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await diagnoseBench()) console.log(JSON.stringify(r))
}
