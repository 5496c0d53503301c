// Streaming cpio "newc" writer: the initrd format that Unikraft's ukcpio and Linux both read.
// Deterministic: callers hand entries in a fixed order; mtime, uid and gid default to 0.
// Fast path: headers and small files are batched into one large buffer (small files are read
// straight into it), so packing is a few big writes rather than several per file.
// The format's shapes and constants live in cpio-format.ts, the buffer and the entry bodies in
// cpio-batch-sink.ts; this module is the entry point and re-exports what callers import from it.
import { closeSync, createWriteStream, openSync } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import { createGzip, type Gzip } from 'node:zlib'
import { BUF_BYTES, BatchSink, putLarge, putSmall } from './cpio-batch-sink.js'
import {
  CPIO_HEADER_BYTES,
  CPIO_TRAILER_NAME,
  TYPE_BITS,
  assertSafeArchivePath,
  type CpioEntry,
  type RawCpioEntry
} from './cpio-format.js'

export {
  CPIO_HEADER_BYTES,
  CPIO_TRAILER_NAME,
  TYPE_BITS,
  assertSafeArchivePath,
  cpioEntryBytes,
  pad4,
  type CpioEntry,
  type CpioEntryType,
  type RawCpioEntry
} from './cpio-format.js'

export interface CpioWriteResult {
  entries: number
  /** Bytes of the archive file as written (after gzip when gzip is on). */
  bytes: number
  /** Bytes of the uncompressed archive. */
  rawBytes: number
}

const TRAILER: RawCpioEntry = {
  name: CPIO_TRAILER_NAME,
  mode: 0,
  ino: 0,
  nlink: 1,
  uid: 0,
  gid: 0,
  mtime: 0,
  size: 0,
  rdevMajor: 0,
  rdevMinor: 0
}

/**
 * Writes fully-specified records, then the trailer, to `outPath` atomically (a temporary file
 * renamed into place), so a failed run never leaves a half-written archive behind.
 */
export async function writeRawCpio(
  entries: Iterable<RawCpioEntry> | AsyncIterable<RawCpioEntry>,
  outPath: string,
  opts: { gzip?: boolean } = {}
): Promise<CpioWriteResult> {
  const tmp = `${outPath}.partial-${process.pid}-${randomBytes(4).toString('hex')}`
  let fd = -1
  let gzip: Gzip | null = null
  let piping: Promise<void> | null = null
  try {
    if (opts.gzip) {
      gzip = createGzip({ level: 6 })
      piping = pipeline(gzip, createWriteStream(tmp))
      piping.catch(() => {}) // awaited below; keeps an early failure from going unhandled
    } else {
      fd = openSync(tmp, 'w', 0o644)
    }
    const sink = new BatchSink(fd, gzip)
    const small = BUF_BYTES / 2
    let count = 0
    let sinceYield = 0
    const breathe = (): Promise<void> | null => {
      // Keep the event loop breathing on huge trees (the reads and writes are synchronous).
      if (++sinceYield < 256) return null
      sinceYield = 0
      return new Promise<void>(r => setImmediate(r))
    }
    if (Symbol.iterator in entries) {
      // A synchronous source (packDirectory's walk) costs no promise per small entry.
      for (const e of entries) {
        if (e.size > small) await putLarge(sink, e)
        else putSmall(sink, e)
        count++
        if (sink.needDrain) await sink.drain()
        const pause = breathe()
        if (pause) await pause
      }
    } else {
      for await (const e of entries) {
        if (e.size > small) await putLarge(sink, e)
        else putSmall(sink, e)
        count++
        await sink.drain()
        await breathe()
      }
    }
    sink.room(CPIO_HEADER_BYTES + 16)
    sink.putHeader(TRAILER)
    sink.flush()
    const rawBytes = sink.total
    if (gzip) {
      gzip.end()
      await piping
    } else {
      closeSync(fd)
      fd = -1
    }
    await rename(tmp, outPath)
    const bytes = gzip ? (await stat(outPath)).size : rawBytes
    return { entries: count, bytes, rawBytes }
  } catch (err) {
    if (fd >= 0) closeSync(fd)
    if (gzip) {
      gzip.destroy()
      await piping?.catch(() => {})
    }
    await rm(tmp, { force: true })
    throw err
  }
}

/** Maps the public entry shape to records: sequential inode numbers, nlink 1 (2 for directories). */
export async function* toRawEntries(
  entries: Iterable<CpioEntry> | AsyncIterable<CpioEntry>
): AsyncGenerator<RawCpioEntry> {
  let ino = 1
  for await (const e of entries) {
    assertSafeArchivePath(e.path)
    let data: Buffer | undefined
    let size = 0
    let source: string | undefined
    if (e.type === 'symlink') {
      if (e.linkTarget === undefined) throw new Error(`cpio: symlink '${e.path}' has no target`)
      data = Buffer.from(e.linkTarget, 'utf8')
      size = data.length
    } else if (e.type === 'file') {
      if (e.data) {
        data = e.data
        size = data.length
      } else if (e.source !== undefined) {
        if (e.size === undefined) throw new Error(`cpio: file '${e.path}' from '${e.source}' has no size`)
        size = e.size
        source = e.source
      }
    }
    yield {
      name: e.path,
      mode: TYPE_BITS[e.type] | (e.mode & 0o7777),
      ino: ino++,
      nlink: e.type === 'dir' ? 2 : 1,
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtime: e.mtime ?? 0,
      size,
      rdevMajor: e.rdevMajor ?? 0,
      rdevMinor: e.rdevMinor ?? 0,
      data,
      source
    }
  }
}

/**
 * Writes entries to `outPath` atomically (a temporary file renamed into place), so a failed
 * run never leaves a half-written archive where the next run would pick it up.
 */
export async function writeCpio(
  entries: Iterable<CpioEntry> | AsyncIterable<CpioEntry>,
  outPath: string,
  opts: { gzip?: boolean } = {}
): Promise<void> {
  await writeRawCpio(toRawEntries(entries), outPath, opts)
}
