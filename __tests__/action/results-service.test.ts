// The fake results service itself: it must refuse what GitHub's service and Azure Blob storage
// refuse, or tests against it could pass where the real service would fail.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { startResultsService, type ResultsServiceFake } from '../../__fixtures__/github-results-service.js'

let fake: ResultsServiceFake

beforeEach(async () => {
  fake = await startResultsService()
})

afterEach(async () => {
  await fake.close()
})

/** `token: null` sends no Authorization header. */
function rpc(method: string, body: unknown, token: string | null = fake.token()): Promise<Response> {
  const service = method.includes('Cache') ? 'CacheService' : 'ArtifactService'
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (token !== null) headers.Authorization = `Bearer ${token}`
  return fetch(`${fake.url}twirp/github.actions.results.api.v1.${service}/${method}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body)
  })
}

const ids = () => ({
  workflow_run_backend_id: fake.runBackendId,
  workflow_job_run_backend_id: fake.jobBackendId
})

async function createArtifact(name: string): Promise<string> {
  const res = await rpc('CreateArtifact', { ...ids(), name, version: 7 })
  expect(res.status).toBe(200)
  return ((await res.json()) as { signed_upload_url: string }).signed_upload_url
}

function putBlob(url: string, data: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-version': '2025-05-05', ...headers },
    body: data
  })
}

describe('the fake results service (Twirp)', () => {
  it('refuses a call without a bearer token, as unauthenticated', async () => {
    const res = await rpc('ListArtifacts', ids(), null)
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'unauthenticated' })
  })

  it('refuses a token it did not sign', async () => {
    const [header, payload] = fake.token().split('.')
    const res = await rpc(
      'ListArtifacts',
      ids(),
      `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`
    )
    expect(res.status).toBe(401)
  })

  it('refuses a call for another workflow run', async () => {
    const res = await rpc('ListArtifacts', { ...ids(), workflow_run_backend_id: 'another-run' })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ code: 'permission_denied' })
  })

  it.each([
    [{ version: 7 }, 'name is required'],
    [{ name: 'a:b', version: 7 }, 'invalid character'],
    [{ name: 'ok' }, 'version is required']
  ])('refuses CreateArtifact %j as invalid_argument', async (fields, msg) => {
    const res = await rpc('CreateArtifact', { ...ids(), ...fields })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'invalid_argument', msg: expect.stringContaining(msg) })
  })

  it('finalizes only when the declared size and hash match what blob storage holds', async () => {
    const data = Buffer.from('zip bytes')
    expect((await putBlob(await createArtifact('a'), data)).status).toBe(201)
    const sha = `sha256:${createHash('sha256').update(data).digest('hex')}`

    const wrongSize = await rpc('FinalizeArtifact', { ...ids(), name: 'a', size: '3', hash: sha })
    expect(wrongSize.status).toBe(400)
    const wrongHash = await rpc('FinalizeArtifact', {
      ...ids(),
      name: 'a',
      size: String(data.length),
      hash: 'sha256:00'
    })
    expect(wrongHash.status).toBe(400)
    const ok = await rpc('FinalizeArtifact', { ...ids(), name: 'a', size: String(data.length), hash: sha })
    expect(await ok.json()).toEqual({ ok: true, artifact_id: String(fake.artifacts()[0].id) })
    expect(fake.artifacts()[0]).toMatchObject({ name: 'a', size: data.length, digest: sha })
  })

  it('answers a repeated artifact name with 409 already_exists', async () => {
    await putBlob(await createArtifact('dup'), Buffer.from('x'))
    await rpc('FinalizeArtifact', { ...ids(), name: 'dup', size: '1' })
    const again = await rpc('CreateArtifact', { ...ids(), name: 'dup', version: 7 })
    expect(again.status).toBe(409)
    expect(await again.json()).toEqual({
      code: 'already_exists',
      msg: 'an artifact with this name already exists on the workflow run'
    })
  })

  it('fails the requested number of calls, then recovers', async () => {
    fake.failWith({ status: 503, on: 'ListArtifacts', times: 1 })
    expect((await rpc('ListArtifacts', ids())).status).toBe(503)
    expect((await rpc('ListArtifacts', ids())).status).toBe(200)
  })
})

describe('the fake results service (blob storage)', () => {
  it('refuses a tampered signature and a write through a read-only URL', async () => {
    const upload = await createArtifact('b')
    const tampered = upload.replace(/sig=[^&]+/, 'sig=AAAA')
    const bad = await putBlob(tampered, Buffer.from('x'))
    expect(bad.status).toBe(403)
    expect(bad.headers.get('x-ms-error-code')).toBe('AuthenticationFailed')

    await putBlob(upload, Buffer.from('x'))
    await rpc('FinalizeArtifact', { ...ids(), name: 'b', size: '1' })
    const read = await rpc('GetSignedArtifactURL', { ...ids(), name: 'b' })
    const { signed_url } = (await read.json()) as { signed_url: string }
    const write = await putBlob(signed_url, Buffer.from('y'))
    expect(write.status).toBe(403)
    expect(write.headers.get('x-ms-error-code')).toBe('AuthorizationPermissionMismatch')
  })

  it('rejects content whose Content-MD5 does not match, and a Put Blob without x-ms-blob-type', async () => {
    const upload = await createArtifact('c')
    const md5Mismatch = await putBlob(upload, Buffer.from('abc'), {
      'Content-MD5': Buffer.alloc(16).toString('base64')
    })
    expect(md5Mismatch.headers.get('x-ms-error-code')).toBe('Md5Mismatch')
    const noType = await fetch(upload, { method: 'PUT', body: 'abc' })
    expect(noType.status).toBe(400)
  })

  it('assembles a blob from staged blocks in block-list order, and serves ranges', async () => {
    const upload = await createArtifact('d')
    const block = (id: string) => Buffer.from(id.padEnd(8, '-')).toString('base64')
    for (const [id, text] of [
      ['two', 'world'],
      ['one', 'hello ']
    ]) {
      const res = await fetch(`${upload}&comp=block&blockid=${encodeURIComponent(block(id))}`, {
        method: 'PUT',
        body: text
      })
      expect(res.status).toBe(201)
      expect(res.headers.get('x-ms-request-id')).toBeTruthy()
    }
    const list = `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${block('one')}</Latest><Latest>${block('two')}</Latest></BlockList>`
    const committed = await fetch(`${upload}&comp=blocklist`, { method: 'PUT', body: list })
    expect(committed.status).toBe(201)
    expect(committed.headers.get('etag')).toMatch(/^"0x[0-9A-F]+"$/)
    await rpc('FinalizeArtifact', { ...ids(), name: 'd', size: '11' })

    const { signed_url } = (await (await rpc('GetSignedArtifactURL', { ...ids(), name: 'd' })).json()) as {
      signed_url: string
    }
    expect(await (await fetch(signed_url)).text()).toBe('hello world')
    const range = await fetch(signed_url, { headers: { 'x-ms-range': 'bytes=6-10' } })
    expect(range.status).toBe(206)
    expect(range.headers.get('content-range')).toBe('bytes 6-10/11')
    expect(await range.text()).toBe('world')
    const beyond = await fetch(signed_url, { headers: { Range: 'bytes=20-' } })
    expect(beyond.status).toBe(416)
  })

  it('refuses a block list naming a block that was never staged', async () => {
    const upload = await createArtifact('e')
    const list = `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${Buffer.from('ghost').toString('base64')}</Latest></BlockList>`
    const res = await fetch(`${upload}&comp=blocklist`, { method: 'PUT', body: list })
    expect(res.status).toBe(400)
    expect(res.headers.get('x-ms-error-code')).toBe('InvalidBlockList')
  })
})

describe('the fake results service (cache)', () => {
  it('denies writes to a token without a writable scope, the way the service does', async () => {
    const res = await rpc(
      'CreateCacheEntry',
      { key: 'k', version: 'v' },
      fake.token({ cacheScopes: [{ Scope: 'refs/heads/main', Permission: 1 }] })
    )
    expect(await res.json()).toEqual({
      ok: false,
      message: 'cache write denied: token has no writable scopes'
    })
  })

  it('does not serve an entry that was reserved but never finalized', async () => {
    await rpc('CreateCacheEntry', { key: 'k', version: 'v' })
    const res = await rpc('GetCacheEntryDownloadURL', { key: 'k', version: 'v' })
    expect(await res.json()).toMatchObject({ ok: false })
  })
})
