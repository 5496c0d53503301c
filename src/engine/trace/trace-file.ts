// A trace of any size read with bounded memory: bytes in chunks (a console log of the Unikraft
// trace kernel, strace's output file), lines carried across chunks as bytes (so a chunk may end in
// the middle of a line or of a UTF-8 character), at most `maxBytes` read, and garbage (binary,
// invalid UTF-8, NULs) counted, never thrown. The calls are those parseTrace finds in the same text
// decoded as UTF-8, with the same line numbers; only the calls' bytes are kept (CallStore).
import { isAscii, isUtf8 } from 'node:buffer'
import { open } from 'node:fs/promises'
import { CallScanner, parsedTrace, type ParseOptions, type ParsedTrace } from './syscall-trace.js'

export interface TraceFileOptions extends ParseOptions {
  /** Read at most this many bytes (default 64 MiB); the rest is not read, and `truncated` says so. */
  maxBytes?: number
  /** Bytes per read (default 1 MiB). */
  chunkBytes?: number
}

export interface ParsedTraceFile extends ParsedTrace {
  /** Bytes read (at most maxBytes). */
  bytesRead: number
  /** The file's size when reading began (null for a stream). */
  fileBytes: number | null
  /** Why reading stopped before the end: the byte limit, the call limit; null when it did not. */
  truncatedBy: 'maxBytes' | 'maxCalls' | null
  /** Lines read. */
  lines: number
  /** Lines that were not UTF-8 text (binary); they are not calls, but may be counted in `unreadable` too. */
  binaryLines: number
  /** Why the file could not be read at all (it does not exist, is a directory...), else null. */
  error: string | null
  /** What a reader should know, in words: the cut, that nothing could be read. Empty when all is well. */
  notes: string[]
}

/** The default maxBytes. */
export const TRACE_MAX_BYTES = 64 * 1024 * 1024
/** A line longer than this is read by its last LINE_MAX bytes (a call sits at the end of its line). */
export const LINE_MAX = 256 * 1024
const CHUNK = 1024 * 1024

/**
 * Streaming parse of a trace's bytes: `push` chunks in order (any sizes, any boundaries), then
 * `end` once. Never throws on content; memory is the calls kept plus one line (LINE_MAX at most).
 */
export class TraceParser {
  private readonly scanner: CallScanner
  private readonly maxBytes: number
  private carry: Buffer = Buffer.alloc(0)
  private carryLen = 0
  private bytesRead = 0
  private truncatedBy: 'maxBytes' | 'maxCalls' | null = null
  private ended = false

  constructor(opts: TraceFileOptions = {}) {
    this.scanner = new CallScanner(opts.maxCalls ?? 1_000_000, null)
    this.maxBytes = Math.max(0, opts.maxBytes ?? TRACE_MAX_BYTES)
  }

  /** False once reading has stopped (a limit reached): later chunks are ignored. */
  get reading(): boolean {
    return this.truncatedBy === null && !this.ended
  }

  /** Bytes that may still be read before the limit. */
  get room(): number {
    return this.maxBytes - this.bytesRead
  }

  /** The next bytes of the trace; returns `reading`. */
  push(chunk: Uint8Array): boolean {
    if (!this.reading || chunk.length === 0) return this.reading
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const room = this.maxBytes - this.bytesRead
    const over = buf.length > room
    if (over) buf = buf.subarray(0, room)
    this.bytesRead += buf.length
    if (!this.lines(buf)) this.truncatedBy = 'maxCalls'
    else if (over) this.truncatedBy = 'maxBytes'
    return this.reading
  }

  /** The whole lines of buf (the first one completing the carried line); the rest is carried. */
  private lines(buf: Buffer): boolean {
    let start = 0
    if (this.carryLen > 0) {
      const nl = buf.indexOf(10)
      if (nl < 0) {
        this.toCarry(buf)
        return true
      }
      this.toCarry(buf.subarray(0, nl + 1))
      const line = this.carry.subarray(0, this.carryLen)
      this.carryLen = 0
      if (!this.region(line, false)) return false
      start = nl + 1
    }
    const last = buf.lastIndexOf(10)
    if (last >= start) {
      if (!this.region(buf.subarray(start, last + 1), false)) return false
      start = last + 1
    }
    if (start < buf.length) this.toCarry(buf.subarray(start))
    return true
  }

  /** Appends to the carried (unfinished) line, keeping its last LINE_MAX bytes. */
  private toCarry(piece: Buffer): void {
    if (piece.length >= LINE_MAX) {
      this.carry = this.carry.length >= LINE_MAX ? this.carry : Buffer.allocUnsafe(LINE_MAX)
      piece.copy(this.carry, 0, piece.length - LINE_MAX)
      this.carryLen = LINE_MAX
      return
    }
    let len = this.carryLen
    if (len + piece.length > LINE_MAX) {
      // Drop the line's oldest bytes.
      const keep = LINE_MAX - piece.length
      this.carry.copy(this.carry, 0, len - keep, len)
      len = keep
    }
    if (len + piece.length > this.carry.length) {
      const bigger = Buffer.allocUnsafe(Math.min(LINE_MAX, Math.max(4096, 2 * (len + piece.length))))
      this.carry.copy(bigger, 0, 0, len)
      this.carry = bigger
    }
    piece.copy(this.carry, len)
    this.carryLen = len + piece.length
  }

  /** Reads bytes made of whole lines (`final`: the last line may lack its `\n`). */
  private region(bytes: Buffer, final: boolean): boolean {
    const ascii = isAscii(bytes)
    const src = { bytes, ascii, utf8: ascii || isUtf8(bytes) }
    const s = bytes.toString('latin1')
    return this.scanner.scan(s, 0, s.length, final, src)
  }

  /** The trace read; `fileBytes` when the caller knows the whole size. */
  end(fileBytes: number | null = null): ParsedTraceFile {
    if (!this.ended) {
      this.ended = true
      // The last line, unless the byte limit cut it.
      if (this.truncatedBy === null && this.carryLen > 0) {
        if (!this.region(this.carry.subarray(0, this.carryLen), true)) this.truncatedBy = 'maxCalls'
      }
      this.carryLen = 0
      this.carry = Buffer.alloc(0)
    }
    const s = this.scanner
    const result = parsedTrace(s, {
      bytesRead: this.bytesRead,
      fileBytes,
      truncatedBy: this.truncatedBy,
      lines: s.line,
      binaryLines: s.binaryLines,
      error: null,
      notes: [] as string[]
    })
    result.truncated = this.truncatedBy !== null
    result.notes = traceNotes(result)
    return result
  }
}

/**
 * Every call of the trace file at `path`, reading at most `maxBytes` (default 64 MiB) in chunks:
 * memory stays bounded whatever the file's size. Never throws: a file that cannot be opened or
 * read gives no calls and `error`; garbage gives no calls, counts and a note.
 */
export async function parseTraceFile(path: string, opts: TraceFileOptions = {}): Promise<ParsedTraceFile> {
  const parser = new TraceParser(opts)
  const chunkBytes = Math.max(1, Math.floor(opts.chunkBytes ?? CHUNK))
  let size: number | null = null
  let error: string | null = null
  try {
    const fh = await open(path, 'r')
    try {
      const st = await fh.stat()
      size = st.isFile() ? st.size : null
      const buf = Buffer.allocUnsafe(chunkBytes)
      while (parser.reading) {
        // One byte past the limit tells a file of exactly maxBytes from a longer one.
        const want = Math.min(chunkBytes, parser.room + 1)
        const { bytesRead } = await fh.read(buf, 0, want, null)
        if (bytesRead === 0) break
        parser.push(buf.subarray(0, bytesRead))
      }
    } finally {
      await fh.close()
    }
  } catch (err) {
    error = (err as Error).message ?? String(err)
  }
  const result = parser.end(size)
  if (error !== null) {
    result.error = error
    result.notes = traceNotes(result)
  }
  return result
}

const mib = (n: number): string =>
  n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} bytes`

/** What a reader should know about how a trace was read. */
export function traceNotes(r: ParsedTraceFile): string[] {
  const notes: string[] = []
  const count = r.store?.length ?? r.calls.length
  if (r.error !== null)
    notes.push(`the trace could not be read${r.bytesRead > 0 ? ` past ${mib(r.bytesRead)}` : ''}: ${r.error}`)
  else if (count === 0 && (r.unreadable > 0 || r.binaryLines > 0)) {
    const why = [
      r.binaryLines > 0 ? `${r.binaryLines} lines are not text` : '',
      r.unreadable > 0 ? `${r.unreadable} lines look like calls but could not be read` : ''
    ].filter(Boolean)
    notes.push(`the trace could not be read: no system call in ${mib(r.bytesRead)} (${why.join(', ')})`)
  }
  if (r.truncatedBy === 'maxBytes') {
    const of = r.fileBytes !== null ? ` of ${mib(r.fileBytes)}` : ''
    notes.push(
      `the trace was cut after ${mib(r.bytesRead)}${of} (${count} calls read): the rest was not read`
    )
  } else if (r.truncatedBy === 'maxCalls') {
    notes.push(`the trace was cut after ${count} calls (${mib(r.bytesRead)} read): the rest was not read`)
  }
  return notes
}
