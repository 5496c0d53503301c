// Just enough of RESP (the Redis protocol) to probe a server without redis-cli: encode commands,
// parse the RESP2 replies (+simple, -error, :integer, $bulk, *array) incrementally.

export type RespValue =
  | { type: 'simple'; value: string }
  | { type: 'error'; value: string }
  | { type: 'integer'; value: number }
  | { type: 'bulk'; value: string | null }
  | { type: 'array'; value: RespValue[] | null }

export function encodeCommand(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`]
  for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`)
  return Buffer.from(parts.join(''))
}

export class RespProtocolError extends Error {
  override name = 'RespProtocolError'
}

/**
 * Parses one reply at `offset`. Returns the value and the offset after it, or null when `buf` does not
 * hold a whole reply yet. Throws RespProtocolError on bytes that are not RESP.
 */
export function parseReply(buf: Buffer, offset = 0): { value: RespValue; next: number } | null {
  if (offset >= buf.length) return null
  const eol = buf.indexOf('\r\n', offset)
  if (eol < 0) return null
  const type = String.fromCharCode(buf[offset])
  const line = buf.toString('utf8', offset + 1, eol)
  const next = eol + 2
  switch (type) {
    case '+':
      return { value: { type: 'simple', value: line }, next }
    case '-':
      return { value: { type: 'error', value: line }, next }
    case ':':
      if (!/^-?\d+$/.test(line)) throw new RespProtocolError(`bad integer reply ':${line}'`)
      return { value: { type: 'integer', value: Number(line) }, next }
    case '$': {
      const len = Number(line)
      if (!/^-?\d+$/.test(line) || len < -1) throw new RespProtocolError(`bad bulk length '$${line}'`)
      if (len === -1) return { value: { type: 'bulk', value: null }, next }
      if (buf.length < next + len + 2) return null
      return { value: { type: 'bulk', value: buf.toString('utf8', next, next + len) }, next: next + len + 2 }
    }
    case '*': {
      const count = Number(line)
      if (!/^-?\d+$/.test(line) || count < -1) throw new RespProtocolError(`bad array length '*${line}'`)
      if (count === -1) return { value: { type: 'array', value: null }, next }
      const items: RespValue[] = []
      let at = next
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at)
        if (!item) return null
        items.push(item.value)
        at = item.next
      }
      return { value: { type: 'array', value: items }, next: at }
    }
    default:
      throw new RespProtocolError(`not a RESP reply (starts with ${JSON.stringify(type)})`)
  }
}

/** Parses as many whole replies as `buf` holds. */
export function parseReplies(buf: Buffer): RespValue[] {
  const out: RespValue[] = []
  let at = 0
  for (;;) {
    const r = parseReply(buf, at)
    if (!r) return out
    out.push(r.value)
    at = r.next
  }
}

/** How a reply reads in evidence: `+PONG`, `-ERR ...`, `$5 hello`. */
export function formatReply(v: RespValue): string {
  switch (v.type) {
    case 'simple':
      return `+${v.value}`
    case 'error':
      return `-${v.value}`
    case 'integer':
      return `:${v.value}`
    case 'bulk':
      return v.value === null ? '$-1 (nil)' : `$${Buffer.byteLength(v.value)} ${JSON.stringify(v.value)}`
    case 'array':
      return v.value === null ? '*-1' : `*${v.value.length} [${v.value.map(formatReply).join(', ')}]`
  }
}
