// The redis probe against a real redis-server, a server that never answers, and an HTTP server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseProbe } from '../../../src/engine/probe/parse-probe.js'
import type { RedisProbeSpec } from '../../../src/engine/probe/probe-types.js'
import { redisAttempt } from '../../../src/engine/probe/redis-probe.js'
import { runProbes } from '../../../src/engine/probe/run-probes.js'
import { type Running, freePort, startRedis, startSilentServer } from './servers.js'
import { VmDouble } from './vm-double.js'

const redisSpec = (text: string): RedisProbeSpec => parseProbe(text, 'probe[1]') as RedisProbeSpec
const attempt = (spec: RedisProbeSpec, hostPort: number, timeoutMs = 1000) =>
  redisAttempt(spec, { host: '127.0.0.1', hostPort, timeoutMs, signal: new AbortController().signal })

describe('redis probe against a real redis-server', () => {
  let redis: Running
  beforeAll(async () => {
    redis = await startRedis(await freePort())
  })
  afterAll(() => redis.close())

  it('passes when PING answers +PONG', async () => {
    const r = await attempt(redisSpec('redis'), redis.port)
    expect(r).toEqual({ passed: true, evidence: { sent: 'PING', received: '+PONG' } })
  })

  it('passes a SET/GET round trip with a random key', async () => {
    const r = await attempt(redisSpec('redis setget'), redis.port)
    expect(r.passed).toBe(true)
    expect(r.evidence.sent).toMatch(
      /^PING; SET unikraft-compat:probe:[0-9a-f]{16} ([0-9a-f]{24}) PX 60000; GET unikraft-compat:probe:/
    )
    const value = /SET \S+ (\S+)/.exec(r.evidence.sent!)![1]
    expect(r.evidence.received).toBe(`+PONG; +OK; $24 "${value}"`)
  })

  it('declares ready through runProbes and marks the time', async () => {
    const vm = new VmDouble({ 6379: redis.port })
    vm.print('redis ready')
    const [r] = await runProbes([redisSpec('redis:6379')], vm, { deadlineMs: 5000 })
    expect(r).toMatchObject({ kind: 'redis', target: 'redis:6379', input: 'probe[1]', passed: true })
    expect(r.attempts).toBeGreaterThanOrEqual(1)
    expect(r.readyAtMs).toBe(r.evidence.atMs)
    expect(vm.readyMarks).toHaveLength(1)
  })
})

describe('redis probe when redis is not there (yet)', () => {
  it('fails with evidence against a server that accepts and never answers', async () => {
    const silent = await startSilentServer()
    try {
      const vm = new VmDouble({ 6379: silent.port })
      vm.print('booted')
      const [r] = await runProbes([redisSpec('redis timeout=300ms')], vm, { deadlineMs: 1500 })
      expect(r.passed).toBe(false)
      expect(r.readyAtMs).toBeNull()
      expect(r.evidence.sent).toBe('PING')
      expect(r.evidence.note).toMatch(
        /did not pass within \d+ ms \(deadline\); last attempt: connected, but no reply within \d+ ms/
      )
      expect(r.attempts).toBeGreaterThanOrEqual(1)
      // Each attempt is a fresh connection (the last one may be abandoned before it connects).
      expect(silent.accepted()).toBeGreaterThanOrEqual(1)
      expect(silent.accepted()).toBeLessThanOrEqual(r.attempts)
      expect(vm.readyMarks).toEqual([])
    } finally {
      await silent.close()
    }
  })

  it('says so when something other than redis answers', async () => {
    const http = createServer((_req, res) => res.end('hi'))
    await new Promise<void>(r => http.listen(0, '127.0.0.1', r))
    try {
      const r = await attempt(redisSpec('redis'), (http.address() as AddressInfo).port)
      expect(r.passed).toBe(false)
      expect(r.evidence.received).toMatch(/^HTTP\/1\.1 400 Bad Request\\r\\n/)
      expect(r.evidence.note).toMatch(/^not a redis server: not a RESP reply/)
    } finally {
      await new Promise(r => http.close(r))
    }
  })

  it('reports a refused connection', async () => {
    const r = await attempt(redisSpec('redis'), await freePort())
    expect(r).toMatchObject({ passed: false, evidence: { sent: 'PING' } })
    expect(r.evidence.note).toMatch(/^connect failed \(ECONNREFUSED\)/)
  })

  it('becomes ready once redis starts listening after probing began', async () => {
    const port = await freePort()
    const vm = new VmDouble({ 6379: port })
    vm.print('guest booting')
    let redis: Running | undefined
    const started = (async () => {
      await new Promise(r => setTimeout(r, 400))
      redis = await startRedis(port)
      vm.print('Ready to accept connections')
    })()
    try {
      const [r] = await runProbes([redisSpec('redis')], vm, { deadlineMs: 15_000 })
      await started
      expect(r.passed).toBe(true)
      expect(r.attempts).toBeGreaterThan(1)
      expect(r.evidence.received).toBe('+PONG')
    } finally {
      await started.catch(() => {})
      await redis?.close()
    }
  })
})
