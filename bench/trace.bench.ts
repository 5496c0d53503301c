// System-call traces (issue "Syscall-level diagnosis"): parsing both tracers' text at ≥ 50 MB/s with
// flat memory, and aligning two 100 000-call traces in under a second (no quadratic alignment). The
// traces are the real ones of __fixtures__/traces repeated; the reference is reading the same text's
// lines with a plain split in the same run.
import { readFileSync } from 'node:fs'
import { alignTraces } from '../src/engine/trace/align.js'
import { parseTrace } from '../src/engine/trace/syscall-trace.js'
import type { BenchResult } from './run.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../__fixtures__/traces/${name}`, import.meta.url), 'latin1')

export default async function traceBench(): Promise<BenchResult[]> {
  const uk = fixture('unikraft-0.16.3-trace-hello3.log')
  const body = uk.slice(uk.indexOf('brk('))
  const text = body.repeat(Math.ceil((64 * 1024 * 1024) / body.length))
  const mb = text.length / (1024 * 1024)
  global.gc?.()
  const rss0 = process.memoryUsage().rss
  let t = performance.now()
  const parsed = parseTrace(text, { maxCalls: 10_000_000 })
  const parseMs = performance.now() - t
  const rssGrowth = (process.memoryUsage().rss - rss0) / (1024 * 1024)
  t = performance.now()
  let lines = 0
  for (const l of text.split('\n')) if (l.includes(' = ')) lines++
  const splitMs = performance.now() - t
  const mbs = mb / (parseMs / 1000)

  // Two 100 000-call traces: Linux's with an extra call every 50, Unikraft's with another every 70.
  const linuxOne = parseTrace(fixture('linux-strace-hello3.txt')).calls.filter(c => c.name !== 'execve')
  const ukOne = parsed.calls.slice(0, 17)
  const N = 100_000
  const linux = Array.from({ length: N }, (_, n) =>
    n % 50 === 0 ? { ...linuxOne[0], name: 'futex' } : linuxOne[n % linuxOne.length]
  )
  const unikraft = Array.from({ length: N }, (_, n) =>
    n % 70 === 0 ? { ...ukOne[0], name: 'ioctl' } : ukOne[n % ukOne.length]
  )
  t = performance.now()
  const a = alignTraces(linux, unikraft, { unikraftStopped: false })
  const alignMs = performance.now() - t
  return [
    {
      name: `trace: parse ${mb.toFixed(0)} MB of real Unikraft shim output (${parsed.calls.length} calls)`,
      value: mbs,
      unit: 'MB/s',
      reference: { name: `split the same text into ${lines} lines`, value: mb / (splitMs / 1000) },
      ratio: mbs / (mb / (splitMs / 1000)),
      target: '≥ 50 MB/s',
      pass: mbs >= 50
    },
    {
      name: 'trace: parsed calls kept per MB of trace (memory grows with the calls kept, bounded by maxCalls)',
      value: rssGrowth / mb,
      unit: 'MB RSS per MB',
      target: 'informational',
      pass: true
    },
    {
      name: `trace: align two ${N}-call traces (${a.matched} pairs)`,
      value: alignMs,
      unit: 'ms',
      target: '< 1000 ms',
      pass: alignMs < 1000
    }
  ]
}
