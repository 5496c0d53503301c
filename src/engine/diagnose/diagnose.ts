// Diagnosis entry points: the whole run at once (`diagnose`), or the console streamed in chunks
// (`ConsoleDiagnoser`, `diagnoseStream`, `diagnoseFile`) for logs too large to hold; both give the
// same findings.
import { createReadStream } from 'node:fs'
import { CONSOLE_KEYWORDS } from './console-keywords.js'
import { ConsoleRules } from './console-rules.js'
import type { Finding } from '../finding.js'
import { KeywordAutomaton } from './keyword-automaton.js'
import { KeywordLineScanner } from './keyword-scanner.js'
import { mergeFindings, runFindings, type RunContext } from './run-rules.js'

export interface DiagnoseInput extends RunContext {
  /** The raw console bytes (ANSI, CRLF and firmware text included). */
  console: Buffer | string
}

/** Bytes handed to the scanner at once: bounds the copy of a partial line at a slice boundary. */
const SLICE_BYTES = 1024 * 1024

let automaton: KeywordAutomaton | null = null

/** Streaming diagnosis of a console log: `push` chunks in order, then `end` once. */
export class ConsoleDiagnoser {
  private readonly rules = new ConsoleRules()
  private readonly scanner: KeywordLineScanner
  private ended = false

  constructor() {
    automaton ??= new KeywordAutomaton(CONSOLE_KEYWORDS)
    const rules = this.rules
    const scanner = new KeywordLineScanner(automaton, {
      line(lineNo, text, matched) {
        rules.line(lineNo, text, matched)
        scanner.deliverAll = rules.wantsAllLines()
      }
    })
    this.scanner = scanner
  }

  push(chunk: Buffer | Uint8Array | string): void {
    if (this.ended) throw new Error('ConsoleDiagnoser: push after end')
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    for (let at = 0; at < bytes.length; at += SLICE_BYTES)
      this.scanner.push(bytes.subarray(at, at + SLICE_BYTES))
  }

  /** The findings of the console and of everything else the run knows (`context`). */
  end(context: RunContext = {}): Finding[] {
    if (this.ended) throw new Error('ConsoleDiagnoser: end called twice')
    this.ended = true
    this.scanner.end()
    const summary = this.rules.finish()
    return mergeFindings(summary.findings, runFindings(summary, context), context.preflight ?? [])
  }
}

/** Diagnoses a run: the console log plus QEMU's stderr, exit status, QMP events, preflight, probes. */
export function diagnose(input: DiagnoseInput): Finding[] {
  const { console: consoleLog, ...context } = input
  const d = new ConsoleDiagnoser()
  d.push(consoleLog)
  return d.end(context)
}

/** Diagnoses a console that arrives as a stream of chunks (a file stream, a socket). */
export async function diagnoseStream(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  context: RunContext = {}
): Promise<Finding[]> {
  const d = new ConsoleDiagnoser()
  for await (const chunk of source) d.push(chunk)
  return d.end(context)
}

/** Diagnoses a console log file without reading it into memory. */
export function diagnoseFile(path: string, context: RunContext = {}): Promise<Finding[]> {
  return diagnoseStream(createReadStream(path, { highWaterMark: SLICE_BYTES }), context)
}
