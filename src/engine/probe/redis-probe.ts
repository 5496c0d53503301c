// The redis probe: speaks RESP itself, so no redis-cli is needed. PING must answer +PONG; with
// `setget`, a SET/GET round trip of a random key (which expires after 60 s) must give the value back.
import { randomBytes } from 'node:crypto'
import { type AttemptContext, type AttemptOutcome, noReplyNote } from './attempt.js'
import type { RedisProbeSpec } from './probe-types.js'
import { type RespValue, encodeCommand, formatReply, parseReplies } from './resp.js'
import { exchange, showBytes } from './socket-exchange.js'

export async function redisAttempt(spec: RedisProbeSpec, ctx: AttemptContext): Promise<AttemptOutcome> {
  const key = `unikraft-compat:probe:${randomBytes(8).toString('hex')}`
  const value = randomBytes(12).toString('hex')
  const commands: string[][] = [['PING']]
  if (spec.setGet) commands.push(['SET', key, value, 'PX', '60000'], ['GET', key])
  const sent = commands.map(c => c.join(' ')).join('; ')
  const r = await exchange({
    host: ctx.host,
    port: ctx.hostPort,
    payload: Buffer.concat(commands.map(encodeCommand)),
    isComplete: buf => parseReplies(buf).length >= commands.length,
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal
  })
  let replies: RespValue[]
  try {
    replies = parseReplies(r.received)
  } catch (e) {
    return {
      passed: false,
      evidence: { sent, received: showBytes(r.received), note: `not a redis server: ${(e as Error).message}` }
    }
  }
  const received = replies.length > 0 ? replies.map(formatReply).join('; ') : showBytes(r.received)
  if (replies.length === 0) {
    const note =
      r.received.length > 0
        ? 'incomplete RESP reply'
        : noReplyNote(r.end, r.connected, ctx.timeoutMs, r.error)
    return { passed: false, evidence: { sent, received, note } }
  }
  const pong = replies[0]
  if (pong.type !== 'simple' || pong.value !== 'PONG') {
    return {
      passed: false,
      evidence: { sent, received, note: `PING must answer +PONG, got ${formatReply(pong)}` }
    }
  }
  if (!spec.setGet) return { passed: true, evidence: { sent, received } }
  const [set, get] = [replies[1], replies[2]]
  if (!set || !get) {
    return {
      passed: false,
      evidence: { sent, received, note: `+PONG, but the SET/GET replies did not come (${r.end})` }
    }
  }
  if (set.type !== 'simple' || set.value !== 'OK') {
    return {
      passed: false,
      evidence: { sent, received, note: `SET must answer +OK, got ${formatReply(set)}` }
    }
  }
  if (get.type !== 'bulk' || get.value !== value) {
    return {
      passed: false,
      evidence: { sent, received, note: `GET must return the value just set, got ${formatReply(get)}` }
    }
  }
  return { passed: true, evidence: { sent, received } }
}
