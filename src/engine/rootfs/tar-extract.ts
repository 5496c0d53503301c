// Streaming tar extraction (.tar and .tar.gz): ustar, pax headers (path, linkpath, size) and GNU
// long names, into a directory through TreeWriter, which refuses anything escaping the root.
import { basename } from 'node:path'
import type { CommandRunner } from '../command-runner.js'
import { ConfigurationError } from '../errors.js'
import { openArchive, tarChecksumOk } from './archive-input.js'
import { UnexpectedEofError, type ByteReader } from './byte-reader.js'
import type { SpecialNode } from './specials.js'
import { normaliseArchivePath } from './tree-path.js'
import { TreeWriter } from './safe-tree-writer.js'

export interface ExtractOptions {
  /** Create device nodes and fifos on disk when possible (default true); else they go to the sidecar. */
  createSpecials?: boolean
  runner?: CommandRunner
}

export interface ExtractResult {
  entries: number
  /** Device nodes and fifos recorded in the sidecar because they could not be created. */
  specials: SpecialNode[]
}

/** Long names and pax records are small; anything bigger is a broken or hostile archive. */
const MAX_META_BYTES = 1 << 20

interface TarHeader {
  name: string
  mode: number
  size: number
  type: string
  linkname: string
  devmajor: number
  devminor: number
  gnu: boolean
}

function cString(b: Buffer): string {
  const z = b.indexOf(0)
  return (z >= 0 ? b.subarray(0, z) : b).toString('utf8')
}

/** Octal (space/NUL terminated) or GNU base-256 (high bit set) numeric field. */
export function tarNumber(b: Buffer): number {
  if (b.length && b[0] & 0x80) {
    if (b[0] === 0xff) return NaN // negative: never valid for the fields we read
    let n = b[0] & 0x7f
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i]
    return n
  }
  const s = b.toString('latin1').replace(/\0.*$/s, '').trim()
  if (s === '') return 0
  if (!/^[0-7]+$/.test(s)) return NaN
  return parseInt(s, 8)
}

function parseHeader(block: Buffer): TarHeader {
  const magic = block.subarray(257, 263).toString('latin1')
  const gnu = magic === 'ustar '
  let name = cString(block.subarray(0, 100))
  // The ustar prefix field; GNU tar uses those bytes for other things.
  if (magic === 'ustar\0') {
    const prefix = cString(block.subarray(345, 500))
    if (prefix) name = `${prefix}/${name}`
  }
  return {
    name,
    mode: tarNumber(block.subarray(100, 108)),
    size: tarNumber(block.subarray(124, 136)),
    type: String.fromCharCode(block[156] || 0x30),
    linkname: cString(block.subarray(157, 257)),
    devmajor: tarNumber(block.subarray(329, 337)),
    devminor: tarNumber(block.subarray(337, 345)),
    gnu
  }
}

/** `"%d %s=%s\n"` records; the length counts the whole record. */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {}
  let off = 0
  while (off < data.length) {
    const sp = data.indexOf(0x20, off)
    if (sp < 0) break
    const len = parseInt(data.subarray(off, sp).toString('latin1'), 10)
    if (!Number.isFinite(len) || len <= 0 || off + len > data.length) break
    const rec = data.subarray(sp + 1, off + len - 1).toString('utf8')
    const eq = rec.indexOf('=')
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1)
    off += len
  }
  return out
}

const pad512 = (n: number): number => (512 - (n % 512)) % 512

async function readMeta(reader: ByteReader, size: number, what: string): Promise<Buffer> {
  if (size > MAX_META_BYTES)
    throw new ConfigurationError('rootfs', `${what}: a ${size}-byte extended header is not plausible`)
  const data = await reader.read(size)
  await reader.skip(pad512(size))
  return data
}

export async function extractTar(
  tarPath: string,
  destDir: string,
  opts: ExtractOptions = {}
): Promise<ExtractResult> {
  const what = `tar '${basename(tarPath)}'`
  const { reader, gzip } = await openArchive(tarPath)
  const writer = new TreeWriter(destDir, { what, createSpecials: opts.createSpecials, runner: opts.runner })
  await writer.init()
  let entries = 0
  let globalPax: Record<string, string> = {}
  let pax: Record<string, string> = {}
  let longName: string | null = null
  let longLink: string | null = null
  try {
    for (;;) {
      const block = await reader.readUpTo(512)
      if (block.length === 0) {
        if (entries === 0) throw new ConfigurationError('rootfs', `${what} is empty`)
        break // tolerated: an archive ending without its two zero blocks
      }
      if (block.length < 512)
        throw new UnexpectedEofError(`truncated header at byte ${reader.position - block.length}`)
      if (block.every(b => b === 0)) break
      if (!tarChecksumOk(block)) {
        // Corrupt deflate data often decodes to garbage before zlib notices: reading on to the
        // gzip CRC names the real fault (the catch below turns it into "the gzip data is corrupt").
        if (gzip) await reader.drain()
        throw new ConfigurationError(
          'rootfs',
          entries === 0
            ? `'${tarPath}' is not a tar archive (no valid tar header at its start)`
            : `${what} is corrupt: bad header checksum at byte ${reader.position - 512}`
        )
      }
      const h = parseHeader(block)
      if (!Number.isFinite(h.size) || h.size < 0) {
        throw new ConfigurationError('rootfs', `${what}: entry '${h.name}' has an unreadable size field`)
      }
      switch (h.type) {
        case 'x':
          pax = { ...pax, ...parsePax(await readMeta(reader, h.size, what)) }
          continue
        case 'g':
          globalPax = { ...globalPax, ...parsePax(await readMeta(reader, h.size, what)) }
          continue
        case 'L':
          longName = cString(await readMeta(reader, h.size, what))
          continue
        case 'K':
          longLink = cString(await readMeta(reader, h.size, what))
          continue
        case 'V':
          await reader.skip(h.size + pad512(h.size))
          continue
      }
      const ext = { ...globalPax, ...pax }
      const rawName = ext.path ?? longName ?? h.name
      const rawLink = ext.linkpath ?? longLink ?? h.linkname
      const size = ext.size !== undefined ? Number(ext.size) : h.size
      pax = {}
      longName = null
      longLink = null
      if (Object.keys(ext).some(k => k.startsWith('GNU.sparse')) || h.type === 'S') {
        throw new ConfigurationError(
          'rootfs',
          `${what}: entry '${rawName}' is a sparse file, which is not supported; create the tar without --sparse`
        )
      }
      if (h.type === 'M')
        throw new ConfigurationError(
          'rootfs',
          `${what}: multi-volume archives are not supported (entry '${rawName}')`
        )
      const rel = normaliseArchivePath(rawName, what)
      const mode = Number.isFinite(h.mode) ? h.mode : 0o644
      entries++
      let consumed = false
      switch (h.type) {
        case '5':
        case 'D':
          await writer.dir(rel, mode)
          break
        case '2':
          if (!rawLink)
            throw new ConfigurationError('rootfs', `${what}: symlink '${rawName}' has an empty target`)
          await writer.symlink(rel, rawLink)
          break
        case '1':
          await writer.hardlink(rel, normaliseArchivePath(rawLink, what))
          break
        case '3':
        case '4':
        case '6':
          await writer.special(
            rel,
            h.type === '3' ? 'char' : h.type === '4' ? 'block' : 'fifo',
            mode,
            h.devmajor || 0,
            h.devminor || 0
          )
          break
        default:
          // '0', '\0', '7' and, as POSIX asks, any unknown type: a regular file.
          await writer.file(rel, mode, reader.chunks(size))
          consumed = true
      }
      await reader.skip((consumed ? 0 : size) + pad512(size))
    }
    // Past the end-of-archive blocks only padding is left: reading it checks the gzip CRC, so
    // damage that decoded to plausible file contents is not passed on silently.
    if (gzip) await reader.drain()
    const { specials } = await writer.finish()
    return { entries, specials }
  } catch (err) {
    if (err instanceof UnexpectedEofError) {
      throw new ConfigurationError('rootfs', `${what} is truncated: ${err.message}`)
    }
    if (
      (err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' ||
      (err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR'
    ) {
      throw new ConfigurationError('rootfs', `${what}: the gzip data is corrupt (${(err as Error).message})`)
    }
    throw err
  } finally {
    await reader.close()
  }
}
