// The console probe: a regex over the console stream, line by line (ANSI escapes stripped), from the
// first line, including lines printed before the probe started. For run-to-completion programs.
import type { ConsoleLine } from '../vm/vm-types.js'
import type { ConsoleProbeSpec, ProbeResult } from './probe-types.js'
import { compilePattern, formatPattern } from './probe-values.js'
import { type ProbeRunContext, cleanLine, describeEnd, watchResult } from './run-context.js'
import { showBytes } from './socket-exchange.js'
import { Waker } from './waker.js'

function lastLines(text: string, count: number): string {
  const lines = text
    .split('\n')
    .map(cleanLine)
    .filter(l => l.trim() !== '')
  return lines.length === 0 ? '(no console output)' : showBytes(lines.slice(-count).join('\n'), 400)
}

export async function runConsoleProbe(spec: ConsoleProbeSpec, ctx: ProbeRunContext): Promise<ProbeResult> {
  const { clock, vm } = ctx
  const started = clock.now()
  const re = compilePattern(spec.pattern)
  const waker = new Waker(clock)
  let match: { n: number; text: string; atMs: number } | null = null
  let seen = 0
  const unsubscribe = vm.onConsoleLine((line: ConsoleLine) => {
    if (match) return
    seen = Math.max(seen, line.n)
    const text = cleanLine(line.text)
    if (re.test(text)) {
      match = { n: line.n, text, atMs: line.atMs }
      waker.wake()
    }
  })
  void ctx.whenEnded.then(() => waker.wake())
  const sent = `match ${formatPattern(spec.pattern)} against each console line`
  const result = (passed: boolean, atMs: number, received: string, note?: string): ProbeResult =>
    watchResult(spec, { clock, startedAt: started, sent }, { passed, atMs, received, note })
  try {
    for (;;) {
      if (match) {
        const m: { n: number; text: string; atMs: number } = match
        if (spec.stop) ctx.stopRequested = true
        return result(true, m.atMs, `line ${m.n}: ${showBytes(m.text, 300)}`)
      }
      if (ctx.isEnded()) {
        const end = await ctx.whenEnded
        if (match) continue
        // A last line without its newline may come only with QEMU's exit: read the whole text once.
        const all = vm.consoleText()
        const lines = all.split('\n')
        for (let i = seen; i < lines.length; i++) {
          const text = cleanLine(lines[i])
          if (re.test(text)) {
            match = { n: i + 1, text, atMs: vm.elapsedMs() }
            break
          }
        }
        if (match) continue
        return result(
          false,
          vm.elapsedMs(),
          lastLines(all, 3),
          `no console line matched before ${describeEnd(end)}`
        )
      }
      const now = clock.now()
      if (now >= ctx.deadlineAt) {
        return result(
          false,
          vm.elapsedMs(),
          lastLines(vm.consoleText(), 3),
          `no console line matched within ${Math.round(now - started)} ms (deadline)`
        )
      }
      await waker.wait(ctx.deadlineAt - now)
    }
  } finally {
    unsubscribe()
  }
}
