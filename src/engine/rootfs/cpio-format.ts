// The cpio "newc" format as the writer and the reader share it: the entry shapes (the public
// CpioEntry and the fully-decided RawCpioEntry record), the mode's type bits, the header size, the
// trailer's name, 4-byte padding, and the path rule every archive entry obeys.

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
