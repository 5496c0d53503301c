// Streaming cpio "newc" writer: the initrd format that Unikraft's ukcpio and Linux both read.
// Deterministic: callers hand entries in a fixed order; mtime, uid and gid default to 0.
// Fast path: headers and small files are batched into one large buffer (small files are read
// straight into it), so packing is a few big writes rather than several per file.
import { closeSync, constants, createWriteStream, openSync, readSync, writeSync } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { createGzip, type Gzip } from 'node:zlib'

export type CpioEntryType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo'

export interface CpioEntry {
  /** Path inside the archive, relative, '/'-separated, no leading '/' and no '..' component. */
  path: string
  type: CpioEntryType
  /** Permission bits (e.g. 0o755); the type bits are added from `type`. */
  mode: number
  /** Regular files: the file on disk whose bytes are stored, or the bytes themselves. */
  source?: string
  data?: Buffer
  /** Regular files from `source`: the size (must match the file). */
  size?: number
  /** Symlinks: the target, stored as is and never followed. */
  linkTarget?: string
  /** Device nodes. */
  rdevMajor?: number
  rdevMinor?: number
  uid?: number
  gid?: number
  mtime?: number
}

export const TYPE_BITS: Record<CpioEntryType, number> = {
  file: 0o100000,
  dir: 0o040000,
  symlink: 0o120000,
  char: 0o020000,
  block: 0o060000,
  fifo: 0o010000
}

export function assertSafeArchivePath(p: string): void {
  if (p === '' || p.startsWith('/') || p.split('/').some(c => c === '..' || c === '')) {
    throw new Error(`cpio: unsafe entry path '${p}' (must be relative, without '..' or empty components)`)
  }
}

export function pad4(n: number): number {
  return (4 - (n % 4)) % 4
}

export const CPIO_HEADER_BYTES = 110
export const CPIO_TRAILER_NAME = 'TRAILER!!!'

/** Bytes an entry takes in a newc archive: header, name (NUL-terminated, padded), data (padded). */
export function cpioEntryBytes(name: string, size: number): number {
  const head = CPIO_HEADER_BYTES + Buffer.byteLength(name) + 1
  return head + pad4(head) + size + pad4(size)
}

/** One archive record with every header field decided (the writer's internal currency). */
export interface RawCpioEntry {
  name: string
  /** Type and permission bits. */
  mode: number
  ino: number
  nlink: number
  uid: number
  gid: number
  mtime: number
  size: number
  rdevMajor: number
  rdevMinor: number
  /** The body: bytes, or `size` bytes read from this file (opened with O_NOFOLLOW when `noFollow`). */
  data?: Buffer
  source?: string
  noFollow?: boolean
}

export interface CpioWriteResult {
  entries: number
  /** Bytes of the archive file as written (after gzip when gzip is on). */
  bytes: number
  /** Bytes of the uncompressed archive. */
  rawBytes: number
}

const HEX = Buffer.from('0123456789abcdef', 'latin1')
const BUF_BYTES = 2 << 20
const MAX_FIELD = 0xffffffff

/**
 * Batches archive bytes into a large buffer and hands it to a file (synchronous writes) or to
 * gzip. Everything for an entry that fits the buffer is synchronous: no promise per entry.
 */
class BatchSink {
  buf = Buffer.allocUnsafe(BUF_BYTES)
  len = 0
  total = 0
  /** gzip asked us to wait ('drain') before giving it more. */
  needDrain = false
  constructor(
    private readonly fd: number,
    private readonly gzip: Gzip | null
  ) {}

  flush(): void {
    if (this.len === 0) return
    if (this.gzip) {
      if (!this.gzip.write(this.buf.subarray(0, this.len))) this.needDrain = true
      // gzip keeps the buffer until it has compressed it: never reuse it.
      this.buf = Buffer.allocUnsafe(BUF_BYTES)
      this.len = 0
      return
    }
    let off = 0
    while (off < this.len) off += writeSync(this.fd, this.buf, off, this.len - off)
    this.len = 0
  }

  async drain(): Promise<void> {
    if (this.needDrain && this.gzip) {
      this.needDrain = false
      await once(this.gzip, 'drain')
    }
  }

  /** Makes room for `n` bytes (n <= buffer size). */
  room(n: number): void {
    if (this.len + n > this.buf.length) this.flush()
  }

  putHeader(e: RawCpioEntry): void {
    const b = this.buf
    const start = this.len
    // Magic, 13 fields of 8 hex digits, then the name. The name goes in first (at its final
    // offset) because its byte length is one of the fields.
    const nameAt = start + CPIO_HEADER_BYTES
    const nameBytes = b.write(e.name, nameAt, 'utf8')
    b[start] = 0x30 // '070701'
    b[start + 1] = 0x37
    b[start + 2] = 0x30
    b[start + 3] = 0x37
    b[start + 4] = 0x30
    b[start + 5] = 0x31
    putHex8(b, start + 6, e.ino, e.name)
    putHex8(b, start + 14, e.mode, e.name)
    putHex8(b, start + 22, e.uid, e.name)
    putHex8(b, start + 30, e.gid, e.name)
    putHex8(b, start + 38, e.nlink, e.name)
    putHex8(b, start + 46, e.mtime, e.name)
    putHex8(b, start + 54, e.size, e.name)
    putHex8(b, start + 62, 0, e.name)
    putHex8(b, start + 70, 0, e.name)
    putHex8(b, start + 78, e.rdevMajor, e.name)
    putHex8(b, start + 86, e.rdevMinor, e.name)
    putHex8(b, start + 94, nameBytes + 1, e.name)
    putHex8(b, start + 102, 0, e.name)
    let o = nameAt + nameBytes
    b[o++] = 0
    const p = pad4(o - start)
    for (let i = 0; i < p; i++) b[o++] = 0
    this.total += o - start
    this.len = o
  }

  putBytes(data: Buffer): void {
    data.copy(this.buf, this.len)
    this.len += data.length
    this.total += data.length
  }

  putPad(size: number): void {
    const p = pad4(size)
    for (let i = 0; i < p; i++) this.buf[this.len++] = 0
    this.total += p
  }
}

function putHex8(b: Buffer, off: number, n: number, name: string): void {
  if (!(n >= 0 && n <= MAX_FIELD && Number.isInteger(n))) {
    throw new Error(
      `cpio: '${name}': value ${n} does not fit a newc header field (files must be under 4 GiB)`
    )
  }
  for (let i = 7; i >= 0; i--) {
    b[off + i] = HEX[n & 15]
    n >>>= 4
  }
}

const probe = Buffer.alloc(1)

function openSource(e: RawCpioEntry): number {
  try {
    return openSync(e.source as string, constants.O_RDONLY | (e.noFollow ? constants.O_NOFOLLOW : 0))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'it became a symlink' : code
    throw Object.assign(new Error(`cpio: cannot read '${e.source}' (${why})`), { code, path: e.source })
  }
}

/** Reads `size` bytes of the file into the buffer (flushing as it fills), then checks it did not grow. */
function readInto(sink: BatchSink, fd: number, e: RawCpioEntry, left: number): number {
  while (left > 0 && sink.len < sink.buf.length) {
    const n = readSync(fd, sink.buf, sink.len, Math.min(left, sink.buf.length - sink.len), null)
    if (n === 0) throw new Error(`cpio: '${e.source}' shrank while being archived`)
    sink.len += n
    sink.total += n
    left -= n
  }
  return left
}

/** One entry whose body fits the buffer: no promise involved. */
function putSmall(sink: BatchSink, e: RawCpioEntry): void {
  sink.room(CPIO_HEADER_BYTES + Buffer.byteLength(e.name) + 8)
  sink.putHeader(e)
  if (e.data) {
    if (e.data.length !== e.size)
      throw new Error(`cpio: '${e.name}': size ${e.size} but ${e.data.length} bytes given`)
    sink.room(e.data.length)
    sink.putBytes(e.data)
  } else if (e.source !== undefined && e.size > 0) {
    sink.room(e.size)
    const fd = openSource(e)
    try {
      readInto(sink, fd, e, e.size)
      if (readSync(fd, probe, 0, 1, null) !== 0)
        throw new Error(`cpio: '${e.source}' grew while being archived`)
    } finally {
      closeSync(fd)
    }
  }
  sink.room(4)
  sink.putPad(e.size)
}

/** An entry bigger than the buffer: streamed through it, waiting for gzip between chunks. */
async function putLarge(sink: BatchSink, e: RawCpioEntry): Promise<void> {
  sink.room(CPIO_HEADER_BYTES + Buffer.byteLength(e.name) + 8)
  sink.putHeader(e)
  if (e.data) {
    if (e.data.length !== e.size)
      throw new Error(`cpio: '${e.name}': size ${e.size} but ${e.data.length} bytes given`)
    for (let off = 0; off < e.data.length; off += sink.buf.length) {
      sink.flush()
      await sink.drain()
      sink.putBytes(e.data.subarray(off, Math.min(e.data.length, off + sink.buf.length)))
    }
  } else if (e.source !== undefined) {
    const fd = openSource(e)
    try {
      let left = e.size
      while (left > 0) {
        if (sink.len === sink.buf.length) {
          sink.flush()
          await sink.drain()
        }
        left = readInto(sink, fd, e, left)
      }
      if (readSync(fd, probe, 0, 1, null) !== 0)
        throw new Error(`cpio: '${e.source}' grew while being archived`)
    } finally {
      closeSync(fd)
    }
  }
  sink.room(4)
  sink.putPad(e.size)
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
