// `npm run bench`: runs every bench/*.bench.ts, prints a table, and writes bench/out/results.json.
// Each benchmark compares against a reference measured in the same run (a ratio), so results
// from a noisy or slower machine stay comparable. BENCHMARKS.md records the numbers.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface BenchResult {
  name: string
  value: number
  unit: string
  reference?: { name: string; value: number }
  ratio?: number
  target: string
  pass: boolean
}

const dir = new URL('.', import.meta.url).pathname
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter(f => f.endsWith('.bench.ts'))
  .filter(f => only.length === 0 || only.some(o => f.startsWith(o)))
  .sort()

const all: (BenchResult & { file: string })[] = []
let failed = 0
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`)
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: () => Promise<BenchResult[]> }
  try {
    for (const r of await mod.default()) all.push({ ...r, file })
  } catch (err) {
    failed++
    process.stderr.write(`bench: ${file} failed: ${(err as Error).stack ?? String(err)}\n`)
  }
}

const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2))
const rows = all.map(r => [
  r.pass ? 'ok' : 'MISS',
  r.name,
  `${fmt(r.value)} ${r.unit}`,
  r.reference ? `${r.reference.name}: ${fmt(r.reference.value)} ${r.unit}` : '',
  r.ratio !== undefined ? fmt(r.ratio) : '',
  r.target
])
const header = ['', 'benchmark', 'ours', 'reference (same run)', 'ratio', 'target']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
for (const row of [header, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '))

const out = join(dir, 'out')
mkdirSync(out, { recursive: true })
writeFileSync(
  join(out, 'results.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, results: all }, null, 2) + '\n'
)
process.exitCode = failed > 0 || all.some(r => !r.pass) ? 1 : 0
