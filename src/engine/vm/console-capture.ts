// The guest's serial console: raw bytes to a file exactly as they came (ANSI, CRLF and all), and
// the same stream as lines stamped with their host-side arrival time for watchers (probes, the
// timeline). A size cap keeps a runaway guest from filling the disk; the cut is marked visibly.
import { closeSync, openSync, writeSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import type { ConsoleLine } from './vm-types.js'

export const DEFAULT_CONSOLE_CAP = 64 * 1024 * 1024

/** Longer unterminated output is delivered as a line of its own. */
const MAX_LINE_CHARS = 1024 * 1024

export function truncationMarker(cap: number): string {
  return `\n[unikraft-compat: console log truncated at ${cap} bytes; later output was not kept]\n`
}

export interface ConsoleCaptureOptions {
  path: string
  cap?: number
  /** ms since launch. */
  now: () => number
}

export class ConsoleCapture {
  private readonly fd: number
  private readonly cap: number
  private readonly decoder = new StringDecoder('utf8')
  private readonly now: () => number
  private readonly stored: ConsoleLine[] = []
  private keptText = ''
  private readonly listeners = new Set<(line: ConsoleLine) => void>()
  private partial = ''
  private lineNo = 0
  private closed = false
  bytes = 0
  truncated = false
  firstOutputMs: number | null = null

  constructor(opts: ConsoleCaptureOptions) {
    this.cap = opts.cap ?? DEFAULT_CONSOLE_CAP
    this.now = opts.now
    // Synchronous writes: the evidence is on disk the moment it arrives, even if this process dies.
    this.fd = openSync(opts.path, 'w')
  }

  push(chunk: Buffer): void {
    if (this.closed || chunk.length === 0) return
    const at = this.now()
    if (this.firstOutputMs === null) this.firstOutputMs = at
    let kept = chunk
    if (!this.truncated) {
      const room = this.cap - this.bytes
      if (chunk.length > room) kept = chunk.subarray(0, Math.max(0, room))
      if (kept.length > 0) writeSync(this.fd, kept)
      this.bytes += kept.length
      if (kept.length < chunk.length) {
        this.truncated = true
        writeSync(this.fd, truncationMarker(this.cap))
      }
    }
    // Lines are still delivered past the cap (a status line at the very end matters), only not kept.
    this.split(this.decoder.write(chunk), at, kept.length)
  }

  private split(text: string, at: number, keptBytes: number): void {
    if (keptBytes > 0 || !this.truncated) this.keptText += text
    this.partial += text
    let nl: number
    while ((nl = this.partial.indexOf('\n')) >= 0) {
      const raw = this.partial.slice(0, nl)
      this.partial = this.partial.slice(nl + 1)
      this.emit(raw.endsWith('\r') ? raw.slice(0, -1) : raw, at)
    }
    // A guest printing without newlines must not grow one line without bound.
    if (this.partial.length > MAX_LINE_CHARS) {
      this.emit(this.partial, at)
      this.partial = ''
    }
  }

  private emit(text: string, atMs: number): void {
    const line: ConsoleLine = { n: ++this.lineNo, text, atMs }
    if (!this.truncated) this.stored.push(line)
    for (const cb of this.listeners) {
      try {
        cb(line)
      } catch {
        // a watcher's bug must not stop the capture
      }
    }
  }

  /** Flushes the last unterminated line and closes the file. */
  finish(): void {
    if (this.closed) return
    const rest = this.decoder.end()
    if (rest) this.split(rest, this.now(), rest.length)
    if (this.partial !== '') {
      const raw = this.partial
      this.partial = ''
      this.emit(raw.endsWith('\r') ? raw.slice(0, -1) : raw, this.now())
    }
    this.closed = true
    closeSync(this.fd)
  }

  /** Replays the lines kept so far, then delivers new ones. */
  onLine(cb: (line: ConsoleLine) => void): () => void {
    for (const l of this.stored) cb(l)
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  text(): string {
    return this.truncated ? this.keptText + truncationMarker(this.cap) : this.keptText
  }
}
