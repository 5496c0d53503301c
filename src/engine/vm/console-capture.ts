// The guest's serial console: raw bytes to a file exactly as they came (ANSI, CRLF and all), and
// the same stream as lines stamped with their host-side arrival time for watchers (probes, the
// timeline). A size cap keeps a runaway guest from filling the disk; the cut is marked visibly and
// falls between two characters, never inside one. Both runners (startVm and `runner: kraft`) use it.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import type { ConsoleLine } from './vm-types.js'

export const DEFAULT_CONSOLE_CAP = 64 * 1024 * 1024

/** Longer unterminated output is delivered as a line of its own. */
const MAX_LINE_CHARS = 1024 * 1024

export function truncationMarker(cap: number): string {
  return `\n[unikraft-compat: console log truncated at ${cap} bytes; later output was not kept]\n`
}

/**
 * The length of `buf` without a UTF-8 character whose last bytes lie beyond its end. Bytes that
 * cannot be the start of such a character (ASCII, binary noise) count as whole.
 */
export function wholeUtf8Length(buf: Uint8Array): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
    const b = buf[i]
    if ((b & 0xc0) === 0x80) continue // a continuation byte: its lead is further back
    const size = b >= 0xc0 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf7 ? 4 : 1
    return i + size > buf.length ? i : buf.length
  }
  return buf.length
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
  /** Decodes what the file keeps (text() ends where the file does). */
  private readonly keptDecoder = new StringDecoder('utf8')
  /** The last bytes written: a character the cut falls into may have begun in an earlier chunk. */
  private tail: Buffer = Buffer.alloc(0)
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
    if (!this.truncated) {
      const room = this.cap - this.bytes
      if (chunk.length <= room) this.write(chunk)
      else this.cut(chunk.subarray(0, room))
    }
    // Lines are still delivered past the cap (a status line at the very end matters), only not kept.
    this.split(this.decoder.write(chunk), at)
  }

  private write(bytes: Buffer): void {
    if (bytes.length === 0) return
    writeSync(this.fd, bytes, 0, bytes.length, this.bytes)
    this.bytes += bytes.length
    this.keptText += this.keptDecoder.write(bytes)
    this.tail = Buffer.concat([this.tail, bytes.subarray(-3)]).subarray(-3)
  }

  /** Keeps `head` up to its last whole character (taking back a character begun before it), then the marker. */
  private cut(head: Buffer): void {
    const seen = Buffer.concat([this.tail, head])
    const whole = wholeUtf8Length(seen)
    if (whole < this.tail.length) {
      // The part of the character already written goes; the decoder holds it unfinished, so
      // keptText never had it.
      this.bytes -= this.tail.length - whole
      ftruncateSync(this.fd, this.bytes)
    } else this.write(head.subarray(0, whole - this.tail.length))
    this.truncated = true
    const marker = Buffer.from(truncationMarker(this.cap))
    writeSync(this.fd, marker, 0, marker.length, this.bytes)
  }

  private split(text: string, at: number): void {
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
    if (rest) this.split(rest, this.now())
    if (!this.truncated) this.keptText += this.keptDecoder.end()
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
