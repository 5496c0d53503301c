// The http probe: one request on the forwarded port; the status (2xx by default), and optionally a
// body regex and header matches, decide. A body check matters: nginx with `sendfile on` under Unikraft
// answers 200 with an empty body.
import { request } from 'node:http'
import type { AttemptContext, AttemptOutcome } from './attempt.js'
import type { HttpProbeSpec } from './probe-types.js'
import { compilePattern, formatPattern, formatStatuses, statusMatches } from './probe-values.js'
import { showBytes } from './socket-exchange.js'

/** Bodies beyond this are not read further: a health check's answer is small. */
const BODY_CAP = 1024 * 1024

interface HttpReply {
  status: number
  statusText: string
  headers: Record<string, string>
  body: string
}

function get(spec: HttpProbeSpec, ctx: AttemptContext): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: ctx.host,
      port: ctx.hostPort,
      path: spec.path,
      method: spec.method,
      agent: false,
      headers: { 'user-agent': 'unikraft-compat-probe', connection: 'close' },
      signal: ctx.signal
    })
    const timer = setTimeout(
      () => req.destroy(new Error(`no complete answer within ${ctx.timeoutMs} ms`)),
      ctx.timeoutMs
    )
    req.on('error', e => {
      clearTimeout(timer)
      reject(e)
    })
    req.on('response', res => {
      const chunks: Buffer[] = []
      let size = 0
      const done = (): void => {
        clearTimeout(timer)
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
        }
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers,
          body: Buffer.concat(chunks).toString('utf8')
        })
        res.destroy()
      }
      res.on('data', (d: Buffer) => {
        if (size < BODY_CAP) chunks.push(d)
        size += d.length
        if (size >= BODY_CAP) done()
      })
      res.on('end', done)
      res.on('error', e => {
        clearTimeout(timer)
        reject(e)
      })
    })
    req.end()
  })
}

export async function httpAttempt(spec: HttpProbeSpec, ctx: AttemptContext): Promise<AttemptOutcome> {
  const sent = `${spec.method} ${spec.path} HTTP/1.1`
  let reply: HttpReply
  try {
    reply = await get(spec, ctx)
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    const what =
      err.code === 'ECONNRESET'
        ? 'connection reset without an answer (nothing accepted it in the guest)'
        : err.message
    return { passed: false, evidence: { sent, note: `no HTTP answer: ${what}` } }
  }
  const statusLine = `HTTP ${reply.status} ${reply.statusText}`.trim()
  const received = `${statusLine}; body: ${reply.body === '' ? '(empty)' : showBytes(reply.body, 200)}`
  const fail = (note: string): AttemptOutcome => ({ passed: false, evidence: { sent, received, note } })
  if (!statusMatches(spec.status, reply.status)) {
    return fail(`status ${reply.status} is not ${formatStatuses(spec.status)}`)
  }
  if (spec.body && !compilePattern(spec.body).test(reply.body)) {
    return fail(`body does not match ${formatPattern(spec.body)}`)
  }
  for (const h of spec.headers) {
    const v = reply.headers[h.name]
    if (v === undefined) return fail(`header ${h.name} is missing`)
    if (!compilePattern(h.pattern).test(v))
      return fail(`header ${h.name}: ${v} does not match ${formatPattern(h.pattern)}`)
  }
  return { passed: true, evidence: { sent, received } }
}
