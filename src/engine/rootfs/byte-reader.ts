// Pull-based reader over a stream of chunks: exact reads, skips and bounded sub-streams, so the
// tar and cpio parsers stay streaming (memory flat whatever the archive size).

export class UnexpectedEofError extends Error {
  override name = 'UnexpectedEofError'
}

export class ByteReader {
  private readonly it: AsyncIterator<Buffer>
  private pending: Buffer[] = []
  private pendingBytes = 0
  private done = false
  /** Bytes consumed so far (the offset in the decompressed stream). */
  position = 0

  constructor(source: AsyncIterable<Buffer | Uint8Array | string>) {
    const inner = source[Symbol.asyncIterator]()
    this.it = {
      next: async () => {
        const r = await inner.next()
        if (r.done) return r
        const v = r.value
        return {
          done: false,
          value: typeof v === 'string' ? Buffer.from(v) : Buffer.from(v.buffer, v.byteOffset, v.byteLength)
        }
      },
      return: async () => {
        await inner.return?.()
        return { done: true, value: undefined }
      }
    }
  }

  /** Makes at least `n` bytes available, unless the stream ends first; returns how many are. */
  private async fill(n: number): Promise<number> {
    while (this.pendingBytes < n && !this.done) {
      const r = await this.it.next()
      if (r.done) {
        this.done = true
        break
      }
      if (r.value.length === 0) continue
      this.pending.push(r.value)
      this.pendingBytes += r.value.length
    }
    return Math.min(n, this.pendingBytes)
  }

  private take(n: number): Buffer {
    let out: Buffer
    const first = this.pending[0]
    if (first.length >= n) {
      out = first.subarray(0, n)
      if (first.length === n) this.pending.shift()
      else this.pending[0] = first.subarray(n)
    } else {
      out = Buffer.allocUnsafe(n)
      let off = 0
      while (off < n) {
        const head = this.pending[0]
        const k = Math.min(head.length, n - off)
        head.copy(out, off, 0, k)
        off += k
        if (k === head.length) this.pending.shift()
        else this.pending[0] = head.subarray(k)
      }
    }
    this.pendingBytes -= n
    this.position += n
    return out
  }

  /** Up to `n` bytes: fewer only at the end of the stream. */
  async readUpTo(n: number): Promise<Buffer> {
    const k = await this.fill(n)
    return k === 0 ? Buffer.alloc(0) : this.take(k)
  }

  /** Exactly `n` bytes, or UnexpectedEofError. */
  async read(n: number): Promise<Buffer> {
    if (n === 0) return Buffer.alloc(0)
    const k = await this.fill(n)
    if (k < n)
      throw new UnexpectedEofError(`unexpected end of data at byte ${this.position + k} (wanted ${n} bytes)`)
    return this.take(n)
  }

  /** Looks at up to `n` bytes without consuming them. */
  async peek(n: number): Promise<Buffer> {
    const k = await this.fill(n)
    if (k === 0) return Buffer.alloc(0)
    const b = this.take(k)
    this.pending.unshift(b)
    this.pendingBytes += k
    this.position -= k
    return b
  }

  /** Yields exactly `n` bytes in chunks as they arrive (the caller must consume them in order). */
  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n
    while (left > 0) {
      if (this.pendingBytes === 0) {
        const k = await this.fill(1)
        if (k === 0)
          throw new UnexpectedEofError(
            `unexpected end of data at byte ${this.position} (${left} bytes short)`
          )
      }
      const k = Math.min(left, this.pending[0].length)
      left -= k
      yield this.take(k)
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.chunks(n)) {
      // discarded
    }
  }

  /** Reads to the end of the stream, discarding; surfaces the source's errors (a gzip CRC mismatch). */
  async drain(): Promise<void> {
    while ((await this.readUpTo(1 << 20)).length > 0) {
      // discarded
    }
  }

  async close(): Promise<void> {
    await this.it.return?.()
  }
}
