// Test helpers for the GitHub service tests: an independent zip reader (to check what arrived in
// blob storage without trusting the uploader's zip code) and a stdout capture (the libraries talk
// to the runner through stdout workflow commands).
import { spawnSync } from 'node:child_process'
import { crc32, inflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  data: Buffer
}

/** Reads every entry through the central directory, inflating and checking each CRC-32. */
export function readZip(zip: Buffer): ZipEntry[] {
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('zip: no end of central directory record')
  const count = zip.readUInt16LE(eocd + 10)
  let offset = zip.readUInt32LE(eocd + 16)
  const entries: ZipEntry[] = []
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`zip: bad central directory entry ${n}`)
    const method = zip.readUInt16LE(offset + 10)
    const crc = zip.readUInt32LE(offset + 16)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const size = zip.readUInt32LE(offset + 24)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const localOffset = zip.readUInt32LE(offset + 42)
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8')
    offset += 46 + nameLength + extraLength + commentLength

    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`zip: bad local header for ${name}`)
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28)
    const raw = zip.subarray(start, start + compressedSize)
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined
    if (!data) throw new Error(`zip: ${name} uses unsupported method ${method}`)
    if (data.length !== size)
      throw new Error(`zip: ${name} is ${data.length} bytes, the directory says ${size}`)
    if (crc32(data) >>> 0 !== crc) throw new Error(`zip: ${name} fails its CRC-32 check`)
    entries.push({ name, data })
  }
  return entries
}

/** `unzip -tq FILE` when Info-ZIP's unzip is installed: an independent integrity check. */
export function unzipTest(file: string): { available: boolean; ok: boolean; output: string } {
  const run = spawnSync('unzip', ['-tq', file], { encoding: 'utf8', shell: false })
  if (run.error) return { available: false, ok: false, output: String(run.error) }
  return { available: true, ok: run.status === 0, output: run.stdout + run.stderr }
}

/** Takes over process.stdout.write (silencing the libraries' chatter) and keeps what was written. */
export function captureStdout(): { text(): string; restore(): void } {
  const original = process.stdout.write
  const chunks: string[] = []
  process.stdout.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
    const callback = rest.find(arg => typeof arg === 'function') as (() => void) | undefined
    callback?.()
    return true
  } as typeof process.stdout.write
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stdout.write = original
    }
  }
}
