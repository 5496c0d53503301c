// Opens an archive file as a byte stream, gunzipping it when it starts with the gzip magic,
// and sniffs what kind of archive the (decompressed) bytes are.
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { pipeline } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { ByteReader } from './byte-reader.js'

export type ArchiveKind = 'cpio' | 'tar' | 'unknown'

export async function fileStartsWithGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r')
  try {
    const b = Buffer.alloc(2)
    const { bytesRead } = await fh.read(b, 0, 2, 0)
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b
  } finally {
    await fh.close()
  }
}

export async function openArchive(path: string): Promise<{ reader: ByteReader; gzip: boolean }> {
  const gzip = await fileStartsWithGzip(path)
  const file = createReadStream(path, { highWaterMark: 1 << 20 })
  if (!gzip) return { reader: new ByteReader(file), gzip }
  const gunzip = createGunzip()
  // pipeline() destroys both streams when either fails or the reader stops early; the error
  // itself surfaces through the gunzip iterator the reader pulls from.
  pipeline(file, gunzip, () => {})
  return { reader: new ByteReader(gunzip), gzip }
}

/** What the first bytes say: cpio newc/crc (`07070[12]`), or tar (`ustar` at offset 257, or a valid v7 checksum). */
export function sniffArchive(head: Buffer): ArchiveKind {
  const magic = head.subarray(0, 6).toString('latin1')
  if (magic === '070701' || magic === '070702' || magic === '070707') return 'cpio'
  if (head.length >= 263 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar'
  if (head.length >= 512 && tarChecksumOk(head.subarray(0, 512))) return 'tar'
  return 'unknown'
}

export function tarChecksumOk(block: Buffer): boolean {
  const stored = parseInt(
    block
      .subarray(148, 156)
      .toString('latin1')
      .replace(/[\0 ]+$/, '')
      .trim(),
    8
  )
  if (!Number.isFinite(stored)) return false
  let sum = 0
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]
  return sum === stored
}

export async function sniffArchiveFile(path: string): Promise<{ kind: ArchiveKind; gzip: boolean }> {
  const { reader, gzip } = await openArchive(path)
  try {
    const head = await reader.peek(512).catch(() => Buffer.alloc(0))
    return { kind: sniffArchive(head), gzip }
  } finally {
    await reader.close()
  }
}
