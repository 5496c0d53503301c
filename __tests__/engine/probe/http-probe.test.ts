// The http probe against a real node HTTP server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { httpAttempt } from '../../../src/engine/probe/http-probe.js'
import { parseProbe } from '../../../src/engine/probe/parse-probe.js'
import type { HttpProbeSpec } from '../../../src/engine/probe/probe-types.js'
import { runProbes } from '../../../src/engine/probe/run-probes.js'
import { VmDouble } from './vm-double.js'

let server: Server
let port: number
const seen: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    if (req.url === '/health') return res.end('ok')
    if (req.url === '/empty') return res.end()
    if (req.url === '/broken') {
      res.statusCode = 500
      return res.end('internal error')
    }
    if (req.url === '/moved') {
      res.writeHead(301, { location: '/health' })
      return res.end()
    }
    if (req.url === '/json') {
      res.setHeader('content-type', 'application/json')
      res.setHeader('x-request-id', '1234')
      return res.end('{"ok": true}')
    }
    if (req.url === '/hang') return // never answers
    res.statusCode = 404
    res.end('not found')
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(r => server.close(r))
})

const run = (text: string, timeoutMs = 1000) =>
  httpAttempt(parseProbe(text, 'probe[1]') as HttpProbeSpec, {
    host: '127.0.0.1',
    hostPort: port,
    timeoutMs,
    signal: new AbortController().signal
  })

describe('http probe', () => {
  it.each<[string, boolean, string | undefined]>([
    ['http:80/health', true, undefined],
    ['http:80/health body=^ok$', true, undefined],
    ['http:80/empty', true, undefined],
    ['http:80/empty body=.', false, 'body does not match /./'],
    ['http:80/broken', false, 'status 500 is not 2xx'],
    ['http:80/broken status=5xx body=internal', true, undefined],
    ['http:80/moved', false, 'status 301 is not 2xx'],
    ['http:80/moved status=301', true, undefined],
    ['http:80/nope status=200,204', false, 'status 404 is not 200,204'],
    ['http:80/json header=content-type:/^application\\/json/ body=/"ok":\\s*true/', true, undefined],
    ['http:80/json header=X-Request-Id:^\\d+$', true, undefined],
    [
      'http:80/json header=content-type:html',
      false,
      'header content-type: application/json does not match /html/'
    ],
    ['http:80/health header=x-request-id:.', false, 'header x-request-id is missing']
  ])('%s passes: %s', async (text, passed, note) => {
    const r = await run(text)
    expect(r.passed).toBe(passed)
    expect(r.evidence.note).toBe(note)
  })

  it('keeps what was sent and what came back', async () => {
    const r = await run('http:80/broken')
    expect(r.evidence.sent).toBe('GET /broken HTTP/1.1')
    expect(r.evidence.received).toBe('HTTP 500 Internal Server Error; body: internal error')
  })

  it('shows an empty body, which a status-only check would call healthy', async () => {
    const r = await run('http:80/empty')
    expect(r.evidence.received).toBe('HTTP 200 OK; body: (empty)')
  })

  it('uses the method asked for', async () => {
    seen.length = 0
    const r = await run('http:80/health method=HEAD')
    expect(r.passed).toBe(true)
    expect(seen).toEqual(['HEAD /health'])
  })

  it('gives up on an answer that does not come within the attempt timeout', async () => {
    const r = await run('http:80/hang', 300)
    expect(r.passed).toBe(false)
    expect(r.evidence.note).toBe('no HTTP answer: no complete answer within 300 ms')
  })

  it('runs through runProbes on the forwarded port and marks ready', async () => {
    const vm = new VmDouble({ 8080: port })
    vm.print('nginx started')
    const [r] = await runProbes([parseProbe('http:8080/health body=ok', 'probe[1]')], vm, {
      deadlineMs: 5000
    })
    expect(r).toMatchObject({ kind: 'http', target: 'http:8080/health', passed: true })
    expect(r.evidence.received).toBe('HTTP 200 OK; body: ok')
    expect(vm.readyMarks).toHaveLength(1)
  })
})
