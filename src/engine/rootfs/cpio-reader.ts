// Streaming cpio reader (newc and newc+crc, gzip detected): lists an archive for
// `rootfs ls`, tells a real initrd from anything else, and extracts an existing archive so
// preflight can inspect it. Extraction goes through TreeWriter: nothing escapes the root.
import { basename } from 'node:path'
import type { CommandRunner } from '../command-runner.js'
import { ConfigurationError } from '../errors.js'
import { openArchive } from './archive-input.js'
import { UnexpectedEofError, type ByteReader } from './byte-reader.js'
import { CPIO_HEADER_BYTES, CPIO_TRAILER_NAME, pad4, type CpioEntryType } from './cpio-writer.js'
import { TreeWriter } from './safe-tree-writer.js'
import type { SpecialNode } from './specials.js'
import { normaliseArchivePath } from './tree-path.js'

export class CpioFormatError extends ConfigurationError {
  override name = 'CpioFormatError'
  constructor(
    readonly file: string,
    detail: string
  ) {
    super('rootfs', `'${file}' is not a cpio archive (newc): ${detail}`)
  }
}

export interface CpioListing {
  /** The name as stored (may start with './'). */
  path: string
  type: CpioEntryType | 'socket' | 'unknown'
  /** Permission bits. */
  mode: number
  ino: number
  nlink: number
  uid: number
  gid: number
  mtime: number
  size: number
  devMajor: number
  devMinor: number
  rdevMajor: number
  rdevMinor: number
  linkTarget?: string
}

const MAX_NAME = 1 << 16
const MAX_LINK = 1 << 16

function typeOf(mode: number): CpioListing['type'] {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file'
    case 0o040000:
      return 'dir'
    case 0o120000:
      return 'symlink'
    case 0o020000:
      return 'char'
    case 0o060000:
      return 'block'
    case 0o010000:
      return 'fifo'
    case 0o140000:
      return 'socket'
    default:
      return 'unknown'
  }
}

const COMPRESSED_MAGIC: [string, string][] = [
  ['425a68', 'bzip2'],
  ['fd377a585a00', 'xz'],
  ['28b52ffd', 'zstd'],
  ['02214c18', 'lz4'],
  ['5d0000', 'lzma']
]

function describeStart(head: Buffer): string {
  if (head.length === 0) return 'the file is empty'
  const hex = head.toString('hex')
  for (const [m, name] of COMPRESSED_MAGIC) {
    if (hex.startsWith(m))
      return `it is ${name}-compressed; only uncompressed or gzip-compressed archives are read`
  }
  const magic = head.subarray(0, 6).toString('latin1')
  if (magic === '070707') return "it is in the old portable (odc) format; repack it with 'cpio -o -H newc'"
  if (head.length >= 2 && head.readUInt16LE(0) === 0o070707)
    return "it is in the old binary format; repack it with 'cpio -o -H newc'"
  if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === '\x7fELF')
    return 'it is an ELF file (a kernel or a program?)'
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar')
    return 'it is a tar archive'
  const shown = head.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim()
  return `it starts with bytes ${shown}, not the newc magic 070701`
}

interface CpioItem {
  entry: CpioListing
  /** The body's bytes (regular files); must be consumed before the next item, or it is skipped. */
  body: AsyncGenerator<Buffer> | null
}

function parseHex(field: Buffer, file: string, at: number): number {
  const s = field.toString('latin1')
  if (!/^[0-9a-fA-F]{8}$/.test(s))
    throw new CpioFormatError(file, `header at byte ${at} has a bad field '${s}'`)
  return parseInt(s, 16)
}

async function* cpioItems(reader: ByteReader, file: string, gzip: boolean): AsyncGenerator<CpioItem> {
  let first = true
  for (;;) {
    const at = reader.position
    const head = await reader.readUpTo(CPIO_HEADER_BYTES)
    const magic = head.subarray(0, 6).toString('latin1')
    if (magic !== '070701' && magic !== '070702') {
      const detail = first
        ? describeStart(Buffer.concat([head, await reader.readUpTo(512)]))
        : `bad magic in the header at byte ${at} (corrupt or truncated archive)`
      // Corrupt deflate data often decodes to garbage before zlib notices: reading on to the gzip
      // CRC names the real fault (withFormatErrors turns it into "its gzip data is corrupt").
      if (gzip) await reader.drain()
      throw new CpioFormatError(file, detail)
    }
    if (head.length < CPIO_HEADER_BYTES) throw new CpioFormatError(file, `truncated header at byte ${at}`)
    first = false
    const f = (i: number): number => parseHex(head.subarray(6 + i * 8, 14 + i * 8), file, at)
    const namesize = f(11)
    if (namesize === 0 || namesize > MAX_NAME)
      throw new CpioFormatError(file, `header at byte ${at} has a name size of ${namesize}`)
    const nameBuf = await reader.read(namesize)
    await reader.skip(pad4(CPIO_HEADER_BYTES + namesize))
    const name = nameBuf.subarray(0, nameBuf[namesize - 1] === 0 ? namesize - 1 : namesize).toString('utf8')
    const rawMode = f(1)
    const size = f(6)
    if (name === CPIO_TRAILER_NAME) {
      await reader.skip(size + pad4(size))
      // Trailing zeros pad to a block; another archive may follow (Linux reads concatenations).
      if (!(await skipZeros(reader))) return
      first = false
      continue
    }
    const entry: CpioListing = {
      path: name,
      type: typeOf(rawMode),
      mode: rawMode & 0o7777,
      ino: f(0),
      uid: f(2),
      gid: f(3),
      nlink: f(4),
      mtime: f(5),
      size,
      devMajor: f(7),
      devMinor: f(8),
      rdevMajor: f(9),
      rdevMinor: f(10)
    }
    let consumed = 0
    let body: AsyncGenerator<Buffer> | null = null
    if (entry.type === 'symlink') {
      if (size > MAX_LINK) throw new CpioFormatError(file, `symlink '${name}' has a ${size}-byte target`)
      entry.linkTarget = (await reader.read(size)).toString('utf8')
      consumed = size
    } else if (size > 0) {
      body = (async function* () {
        for await (const c of reader.chunks(size)) {
          consumed += c.length
          yield c
        }
      })()
    }
    yield { entry, body }
    if (consumed < size) {
      if (body) await body.return(undefined)
      await reader.skip(size - consumed)
    }
    await reader.skip(pad4(size))
  }
}

/** Skips zero padding; true when another archive follows. */
async function skipZeros(reader: ByteReader): Promise<boolean> {
  for (;;) {
    const b = await reader.peek(4096)
    if (b.length === 0) return false
    let i = 0
    while (i < b.length && b[i] === 0) i++
    if (i === b.length) {
      await reader.skip(i)
      continue
    }
    await reader.skip(i)
    const m = (await reader.peek(6)).toString('latin1')
    return m === '070701' || m === '070702'
  }
}

async function* withFormatErrors<T>(file: string, gen: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* gen
  } catch (err) {
    if (err instanceof UnexpectedEofError) throw new CpioFormatError(file, `truncated (${err.message})`)
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')
      throw new CpioFormatError(file, `its gzip data is corrupt (${(err as Error).message})`)
    throw err
  }
}

/** Lists the entries of a newc archive (gzip-compressed or not), streaming; throws CpioFormatError on anything else. */
export async function* readCpio(path: string): AsyncGenerator<CpioListing> {
  const { reader, gzip } = await openArchive(path)
  try {
    for await (const item of withFormatErrors(path, cpioItems(reader, path, gzip))) yield item.entry
  } finally {
    await reader.close()
  }
}

/** Checks that a file is a newc archive by reading its first header (cheap; does not read the whole file). */
export async function assertCpio(path: string): Promise<void> {
  const it = readCpio(path)
  try {
    await it.next()
  } finally {
    await it.return(undefined)
  }
}

export interface CpioExtractResult {
  entries: number
  specials: SpecialNode[]
}

/** Extracts a newc archive into `destDir` (hard links rebuilt, devices created or recorded in the sidecar). */
export async function extractCpio(
  path: string,
  destDir: string,
  opts: { createSpecials?: boolean; runner?: CommandRunner } = {}
): Promise<CpioExtractResult> {
  const what = `cpio '${basename(path)}'`
  const { reader, gzip } = await openArchive(path)
  const writer = new TreeWriter(destDir, { what, createSpecials: opts.createSpecials, runner: opts.runner })
  await writer.init()
  const linkGroups = new Map<string, string>()
  let entries = 0
  try {
    for await (const { entry: e, body } of withFormatErrors(path, cpioItems(reader, path, gzip))) {
      const rel = normaliseArchivePath(e.path, what)
      entries++
      switch (e.type) {
        case 'dir':
          await writer.dir(rel, e.mode)
          break
        case 'symlink':
          await writer.symlink(rel, e.linkTarget ?? '')
          break
        case 'char':
        case 'block':
        case 'fifo':
          await writer.special(rel, e.type, e.mode, e.rdevMajor, e.rdevMinor)
          break
        case 'file': {
          const key = `${e.devMajor}:${e.devMinor}:${e.ino}`
          const firstOfGroup = e.nlink >= 2 ? linkGroups.get(key) : undefined
          if (firstOfGroup !== undefined) {
            // A later member of a hard-link group: link it; data here (GNU cpio puts it on the last) fills the shared inode.
            await writer.hardlink(rel, firstOfGroup)
            if (body) await writer.appendTo(firstOfGroup, body)
          } else {
            if (e.nlink >= 2) linkGroups.set(key, rel)
            await writer.file(rel, e.mode, body ?? Buffer.alloc(0))
          }
          break
        }
        default:
          // Sockets and unknown types have no place in a root filesystem image: skipped.
          entries--
      }
    }
    const { specials } = await writer.finish()
    return { entries, specials }
  } finally {
    await reader.close()
  }
}
