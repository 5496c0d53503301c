// A faithful fake of GitHub's Actions results service, for tests that run the real @actions/artifact
// and @actions/cache (cache service v2): the Twirp JSON RPCs they call, the Azure Blob REST subset
// their BlockBlobClient / HttpClient use at the signed URLs it hands out, and the runner environment.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService'
const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService'
const ACCOUNT = 'fakeresultssa0'
const ARTIFACT_CONTAINER = 'actions-results'
const CACHE_CONTAINER = 'actions-cache'
const STORAGE_VERSION = '2025-05-05'
const MAX_BODY_BYTES = 512 * 1024 * 1024

// The characters the artifact library (and the service behind it) refuse in artifact names.
const FORBIDDEN_NAME_CHARS = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/']

export type RpcMethod =
  | 'CreateArtifact'
  | 'FinalizeArtifact'
  | 'ListArtifacts'
  | 'GetSignedArtifactURL'
  | 'DeleteArtifact'
  | 'CreateCacheEntry'
  | 'FinalizeCacheEntryUpload'
  | 'GetCacheEntryDownloadURL'
export type BlobOperation = 'PutBlob' | 'PutBlock' | 'PutBlockList' | 'GetBlob' | 'GetBlobProperties'

export interface RecordedRequest {
  kind: 'rpc' | 'blob'
  /** The RPC method or the blob operation (`unknown` when the request matched none). */
  operation: RpcMethod | BlobOperation | 'unknown'
  httpMethod: string
  path: string
  status: number
  /** Bytes of request body that arrived. */
  bytes: number
}

/** Makes matching requests fail, like an outage would. */
export interface FailureRule {
  status: number
  /** Which requests: all RPCs, all blob requests, or one operation. Default: every request. */
  on?: 'rpc' | 'blob' | RpcMethod | BlobOperation
  /** Fail this many matching requests, then behave again. Default: until clearFailures(). */
  times?: number
  message?: string
}

export interface StoredArtifact {
  id: number
  name: string
  runBackendId: string
  jobBackendId: string
  size: number
  digest: string | undefined
  mimeType: string | undefined
  createdAt: Date
  expiresAt: string | undefined
  /** The bytes committed to blob storage (a zip for ordinary uploads). */
  data: Buffer
  /** How many blocks the blob was committed from (0 for a single Put Blob). */
  blocks: number
}

export interface StoredCacheEntry {
  id: number
  key: string
  version: string
  scope: string
  size: number
  createdAt: Date
  data: Buffer
  blocks: number
}

/** One entry of the token's `ac` claim: a cache scope (a git ref) and its permission bits (1 read, 2 write). */
export interface CacheScope {
  Scope: string
  Permission: number
}

export interface TokenOptions {
  /** The job's backend id; another value acts as another job of the same run. */
  job?: string
  cacheScopes?: CacheScope[]
  expiresInSeconds?: number
}

export interface EnvOptions extends TokenOptions {
  /** RUNNER_TEMP: where @actions/cache writes its archives. */
  runnerTemp?: string
  /** GITHUB_WORKSPACE: the directory @actions/cache makes cached paths relative to. */
  workspace?: string
}

export interface ResultsServiceFake {
  /** Base URL, `http://127.0.0.1:<port>/` (ACTIONS_RESULTS_URL). */
  readonly url: string
  readonly port: number
  /** GITHUB_RUN_ID (numeric, as in URLs) and the run/job backend ids the token carries. */
  readonly runId: string
  readonly runBackendId: string
  readonly jobBackendId: string
  readonly requests: RecordedRequest[]
  /** Finalized artifacts, oldest first. */
  artifacts(): StoredArtifact[]
  /** Finalized cache entries, oldest first. */
  cacheEntries(): StoredCacheEntry[]
  failWith(rule: FailureRule): void
  clearFailures(): void
  /** An ACTIONS_RUNTIME_TOKEN for this run, signed by this service. */
  token(opts?: TokenOptions): string
  /** The environment the libraries read, as the runner sets it for a job. */
  env(opts?: EnvOptions): Record<string, string>
  close(): Promise<void>
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

interface Blob {
  committed?: {
    data: Buffer
    contentType: string
    contentMd5: Buffer | undefined
    etag: string
    lastModified: Date
    created: Date
    blocks: Map<string, Buffer>
  }
  uncommitted: Map<string, Buffer>
}

interface Sas {
  blobPath: string
  permissions: string
  expires: Date
}

interface ArtifactRecord {
  id: number
  name: string
  runBackendId: string
  jobBackendId: string
  blobPath: string
  state: 'pending' | 'finalized'
  size: number
  digest: string | undefined
  mimeType: string | undefined
  createdAt: Date
  expiresAt: string | undefined
}

interface CacheRecord {
  id: number
  key: string
  version: string
  scope: string
  blobPath: string
  state: 'pending' | 'finalized'
  size: number
  createdAt: Date
}

interface Claims {
  runBackendId: string
  jobBackendId: string
  scopes: CacheScope[]
}

type Json = Record<string, unknown>

const TWIRP_CODES: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'already_exists',
  412: 'failed_precondition',
  429: 'resource_exhausted',
  500: 'internal',
  501: 'unimplemented',
  503: 'unavailable',
  504: 'deadline_exceeded'
}

const STORAGE_CODES: Record<number, [string, string]> = {
  400: ['InvalidInput', 'One of the request inputs is not valid.'],
  403: ['AuthenticationFailed', 'Server failed to authenticate the request.'],
  404: ['BlobNotFound', 'The specified blob does not exist.'],
  409: ['BlobAlreadyExists', 'The specified blob already exists.'],
  500: ['InternalError', 'Server encountered an internal error. Please try again after some time.'],
  503: ['ServerBusy', 'The server is currently unable to receive requests. Please retry your request.']
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url')
}

function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest()
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new StorageError(413, 'RequestBodyTooLarge', 'The request body is too large.'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** An int64 in proto3 JSON: a decimal string (or, leniently, a number). */
function int64(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value)
  return undefined
}

function requireString(body: Json, field: string): string {
  const value = body[field]
  if (typeof value !== 'string' || value === '') {
    throw new TwirpError(400, 'invalid_argument', `${field} is required`)
  }
  return value
}

export async function startResultsService(): Promise<ResultsServiceFake> {
  const secret = randomBytes(32)
  const runId = String(10_000_000_000 + Math.floor(Math.random() * 1_000_000_000))
  const runBackendId = randomUUID()
  const jobBackendId = randomUUID()
  const defaultScopes: CacheScope[] = [{ Scope: 'refs/heads/main', Permission: 3 }]

  const requests: RecordedRequest[] = []
  const failures: FailureRule[] = []
  const blobs = new Map<string, Blob>()
  const signatures = new Map<string, Sas>()
  const artifactRecords: ArtifactRecord[] = []
  const cacheRecords: CacheRecord[] = []
  let nextArtifactId = 1001
  let nextCacheId = 501
  let baseUrl = ''

  function token(opts: TokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000)
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))
    const job = opts.job ?? jobBackendId
    const payload = base64url(
      JSON.stringify({
        iss: 'vstoken.actions.githubusercontent.com',
        aud: `vso:${runBackendId}`,
        nbf: now - 60,
        iat: now - 60,
        exp: now + (opts.expiresInSeconds ?? 6 * 3600),
        scp: `Actions.GenericRead:${runBackendId} Actions.UploadArtifacts:${runBackendId}:${job} Actions.Results:${runBackendId}:${job}`,
        ac: JSON.stringify(opts.cacheScopes ?? defaultScopes)
      })
    )
    const signature = base64url(createHmac('sha256', secret).update(`${header}.${payload}`).digest())
    return `${header}.${payload}.${signature}`
  }

  function verifyToken(authorization: string | undefined): Claims {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '')
    if (!match) throw new TwirpError(401, 'unauthenticated', 'missing or malformed Authorization header')
    const parts = match[1].split('.')
    if (parts.length !== 3) throw new TwirpError(401, 'unauthenticated', 'token is not a JWT')
    const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest()
    const given = Buffer.from(parts[2], 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new TwirpError(401, 'unauthenticated', 'token signature is invalid')
    }
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Json
    if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) {
      throw new TwirpError(401, 'unauthenticated', 'token has expired')
    }
    const scope = String(payload.scp ?? '')
      .split(' ')
      .map(s => s.split(':'))
      .find(s => s[0] === 'Actions.Results' && s.length === 3)
    if (!scope) throw new TwirpError(401, 'unauthenticated', 'token carries no Actions.Results scope')
    let scopes: CacheScope[] = []
    if (typeof payload.ac === 'string') scopes = JSON.parse(payload.ac) as CacheScope[]
    return { runBackendId: scope[1], jobBackendId: scope[2], scopes }
  }

  function signedUrl(blobPath: string, permissions: string, extra: Record<string, string> = {}): string {
    const sig = randomBytes(32).toString('base64')
    const expires = new Date(Date.now() + 3600_000)
    signatures.set(sig, { blobPath, permissions, expires })
    const query = new URLSearchParams({
      sv: STORAGE_VERSION,
      spr: 'https,http',
      se: expires.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      sr: 'b',
      sp: permissions,
      ...extra,
      sig
    })
    return `${baseUrl}${blobPath}?${query.toString()}`
  }

  function takeFailure(kind: 'rpc' | 'blob', operation: string): FailureRule | undefined {
    const index = failures.findIndex(f => f.on === undefined || f.on === kind || f.on === operation)
    if (index < 0) return undefined
    const rule = failures[index]
    if (rule.times !== undefined) {
      rule.times -= 1
      if (rule.times <= 0) failures.splice(index, 1)
    }
    return rule
  }

  // ---- Twirp RPCs -------------------------------------------------------------------------------

  function sameRun(claims: Claims, body: Json, requireJob: boolean): void {
    const run = requireString(body, 'workflow_run_backend_id')
    const job = requireString(body, 'workflow_job_run_backend_id')
    if (run !== claims.runBackendId || (requireJob && job !== claims.jobBackendId)) {
      throw new TwirpError(403, 'permission_denied', 'the token does not grant access to this workflow run')
    }
  }

  function validateArtifactName(name: string): void {
    const bad = FORBIDDEN_NAME_CHARS.find(c => name.includes(c))
    if (bad !== undefined) {
      throw new TwirpError(
        400,
        'invalid_argument',
        `artifact name contains an invalid character: ${JSON.stringify(bad)}`
      )
    }
  }

  function committedBlob(blobPath: string): NonNullable<Blob['committed']> | undefined {
    return blobs.get(blobPath)?.committed
  }

  function checkUploaded(blobPath: string, size: number | undefined, what: string): Buffer {
    const blob = committedBlob(blobPath)
    if (!blob)
      throw new TwirpError(400, 'invalid_argument', `${what}: no content was committed to blob storage`)
    if (size === undefined) throw new TwirpError(400, 'invalid_argument', `${what}: size is required`)
    if (size !== blob.data.length) {
      throw new TwirpError(
        400,
        'invalid_argument',
        `${what}: size ${size} does not match the ${blob.data.length} bytes in blob storage`
      )
    }
    return blob.data
  }

  function monolith(a: ArtifactRecord): Json {
    const out: Json = {
      workflow_run_backend_id: a.runBackendId,
      workflow_job_run_backend_id: a.jobBackendId,
      database_id: String(a.id),
      name: a.name,
      size: String(a.size),
      created_at: a.createdAt.toISOString()
    }
    if (a.digest) out.digest = a.digest
    return out
  }

  function findFinalized(run: string, name: string): ArtifactRecord | undefined {
    return artifactRecords.find(a => a.state === 'finalized' && a.runBackendId === run && a.name === name)
  }

  const artifactRpcs: Record<string, (claims: Claims, body: Json) => Json> = {
    CreateArtifact(claims, body) {
      sameRun(claims, body, true)
      const name = requireString(body, 'name')
      validateArtifactName(name)
      if (!(typeof body.version === 'number' && body.version > 0)) {
        throw new TwirpError(400, 'invalid_argument', 'version is required')
      }
      if (findFinalized(claims.runBackendId, name)) {
        throw new TwirpError(
          409,
          'already_exists',
          'an artifact with this name already exists on the workflow run'
        )
      }
      // An unfinalized upload of the same name (a crashed attempt) is replaced, not a conflict.
      const stale = artifactRecords.findIndex(
        a => a.state === 'pending' && a.runBackendId === claims.runBackendId && a.name === name
      )
      if (stale >= 0) artifactRecords.splice(stale, 1)
      const digest = createHash('sha256')
        .update(`${claims.runBackendId}/${name}/${randomUUID()}`)
        .digest('hex')
      const blobPath = `${ACCOUNT}/${ARTIFACT_CONTAINER}/${claims.runBackendId}/workflow-job-run-${claims.jobBackendId}/artifacts/${digest}.zip`
      artifactRecords.push({
        id: 0,
        name,
        runBackendId: claims.runBackendId,
        jobBackendId: claims.jobBackendId,
        blobPath,
        state: 'pending',
        size: 0,
        digest: undefined,
        mimeType: typeof body.mime_type === 'string' ? body.mime_type : undefined,
        createdAt: new Date(),
        expiresAt: typeof body.expires_at === 'string' ? body.expires_at : undefined
      })
      return { ok: true, signed_upload_url: signedUrl(blobPath, 'cw') }
    },
    FinalizeArtifact(claims, body) {
      sameRun(claims, body, true)
      const name = requireString(body, 'name')
      const record = artifactRecords.find(
        a => a.state === 'pending' && a.runBackendId === claims.runBackendId && a.name === name
      )
      if (!record || record.jobBackendId !== claims.jobBackendId) {
        throw new TwirpError(404, 'not_found', 'artifact not found')
      }
      const data = checkUploaded(record.blobPath, int64(body.size), 'FinalizeArtifact')
      if (body.hash !== undefined) {
        const actual = `sha256:${createHash('sha256').update(data).digest('hex')}`
        if (body.hash !== actual) {
          throw new TwirpError(
            400,
            'invalid_argument',
            `hash ${String(body.hash)} does not match the uploaded content`
          )
        }
        record.digest = actual
      }
      record.state = 'finalized'
      record.size = data.length
      record.id = nextArtifactId++
      record.createdAt = new Date()
      return { ok: true, artifact_id: String(record.id) }
    },
    ListArtifacts(claims, body) {
      const run = requireString(body, 'workflow_run_backend_id')
      if (run !== claims.runBackendId) {
        throw new TwirpError(403, 'permission_denied', 'the token does not grant access to this workflow run')
      }
      const nameFilter = typeof body.name_filter === 'string' ? body.name_filter : undefined
      const idFilter = int64(body.id_filter)
      const artifacts = artifactRecords
        .filter(a => a.state === 'finalized' && a.runBackendId === run)
        .filter(a => nameFilter === undefined || a.name === nameFilter)
        .filter(a => idFilter === undefined || a.id === idFilter)
        .map(monolith)
      return { artifacts }
    },
    GetSignedArtifactURL(claims, body) {
      sameRun(claims, body, false)
      const name = requireString(body, 'name')
      const record = findFinalized(claims.runBackendId, name)
      if (!record) throw new TwirpError(404, 'not_found', 'artifact not found')
      return {
        signed_url: signedUrl(record.blobPath, 'r', { rscd: `attachment; filename="${name}.zip"` })
      }
    },
    DeleteArtifact(claims, body) {
      sameRun(claims, body, false)
      const name = requireString(body, 'name')
      const record = findFinalized(claims.runBackendId, name)
      if (!record) throw new TwirpError(404, 'not_found', 'artifact not found')
      artifactRecords.splice(artifactRecords.indexOf(record), 1)
      blobs.delete(record.blobPath)
      return { ok: true, artifact_id: String(record.id) }
    }
  }

  function cacheKeyAndVersion(body: Json): { key: string; version: string } {
    const key = requireString(body, 'key')
    const version = requireString(body, 'version')
    if (key.length > 512) throw new TwirpError(400, 'invalid_argument', 'key is longer than 512 characters')
    return { key, version }
  }

  function writableScope(claims: Claims): string | undefined {
    return claims.scopes.find(s => (s.Permission & 2) !== 0)?.Scope
  }

  const cacheRpcs: Record<string, (claims: Claims, body: Json) => Json> = {
    CreateCacheEntry(claims, body) {
      const { key, version } = cacheKeyAndVersion(body)
      const scope = writableScope(claims)
      if (!scope) return { ok: false, message: 'cache write denied: token has no writable scopes' }
      if (cacheRecords.some(c => c.key === key && c.version === version && c.scope === scope)) {
        throw new TwirpError(
          409,
          'already_exists',
          'cache entry with the same key, version, and scope already exists'
        )
      }
      const blobPath = `${ACCOUNT}/${CACHE_CONTAINER}/${randomUUID()}`
      cacheRecords.push({
        id: 0,
        key,
        version,
        scope,
        blobPath,
        state: 'pending',
        size: 0,
        createdAt: new Date()
      })
      return { ok: true, signed_upload_url: signedUrl(blobPath, 'cw') }
    },
    FinalizeCacheEntryUpload(claims, body) {
      const { key, version } = cacheKeyAndVersion(body)
      const scope = writableScope(claims)
      const record = cacheRecords.find(
        c => c.state === 'pending' && c.key === key && c.version === version && c.scope === scope
      )
      if (!record) throw new TwirpError(404, 'not_found', 'cache entry not found')
      const data = checkUploaded(record.blobPath, int64(body.size_bytes), 'FinalizeCacheEntryUpload')
      record.state = 'finalized'
      record.size = data.length
      record.id = nextCacheId++
      record.createdAt = new Date()
      return { ok: true, entry_id: String(record.id) }
    },
    GetCacheEntryDownloadURL(claims, body) {
      const { key, version } = cacheKeyAndVersion(body)
      const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : []
      const readable = new Set(claims.scopes.filter(s => (s.Permission & 1) !== 0).map(s => s.Scope))
      const candidates = cacheRecords
        .filter(c => c.state === 'finalized' && c.version === version && readable.has(c.scope))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
      // The primary key must match exactly; each restore key matches exactly, then as a prefix.
      let hit = candidates.find(c => c.key === key)
      for (const restoreKey of restoreKeys) {
        hit ??=
          candidates.find(c => c.key === restoreKey) ?? candidates.find(c => c.key.startsWith(restoreKey))
      }
      if (!hit) return { ok: false, signed_download_url: '', matched_key: '' }
      return { ok: true, signed_download_url: signedUrl(hit.blobPath, 'r'), matched_key: hit.key }
    }
  }

  async function handleRpc(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pathname: string
  ): Promise<void> {
    const match = /^\/twirp\/([\w.]+)\/(\w+)$/.exec(pathname)
    const service = match?.[1]
    const method = match?.[2] ?? ''
    const table =
      service === ARTIFACT_SERVICE ? artifactRpcs : service === CACHE_SERVICE ? cacheRpcs : undefined
    const operation = table && Object.hasOwn(table, method) ? (method as RpcMethod) : 'unknown'
    const body = await readBody(req)
    const record: RecordedRequest = {
      kind: 'rpc',
      operation,
      httpMethod: req.method ?? '',
      path: pathname,
      status: 0,
      bytes: body.length
    }
    requests.push(record)
    const reply = (status: number, json: Json): void => {
      record.status = status
      const text = JSON.stringify(json)
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
      res.end(text)
    }
    try {
      if (!table || operation === 'unknown')
        throw new TwirpError(404, 'bad_route', `no handler for path "${pathname}"`)
      if (req.method !== 'POST') {
        throw new TwirpError(404, 'bad_route', `unsupported method "${req.method}" (only POST is allowed)`)
      }
      const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim()
      if (contentType !== 'application/json') {
        throw new TwirpError(
          404,
          'bad_route',
          `unexpected Content-Type: "${contentType}" (this fake speaks JSON only)`
        )
      }
      const failure = takeFailure('rpc', operation)
      if (failure) {
        throw new TwirpError(
          failure.status,
          TWIRP_CODES[failure.status] ?? 'unknown',
          failure.message ?? 'injected failure'
        )
      }
      const claims = verifyToken(req.headers.authorization)
      let json: unknown
      try {
        json = JSON.parse(body.toString('utf8'))
      } catch {
        throw new TwirpError(400, 'malformed', 'the json request could not be decoded')
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new TwirpError(400, 'malformed', 'the json request could not be decoded')
      }
      reply(200, table[operation](claims, json as Json))
    } catch (err) {
      if (err instanceof TwirpError) reply(err.status, { code: err.code, msg: err.message })
      else reply(500, { code: 'internal', msg: String(err) })
    }
  }

  // ---- Azure Blob REST subset -------------------------------------------------------------------

  function storageHeaders(req: http.IncomingMessage): Record<string, string> {
    const headers: Record<string, string> = {
      'x-ms-request-id': randomUUID(),
      'x-ms-version': String(req.headers['x-ms-version'] ?? STORAGE_VERSION),
      Date: new Date().toUTCString(),
      Server: 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0'
    }
    const clientRequestId = req.headers['x-ms-client-request-id']
    if (typeof clientRequestId === 'string') headers['x-ms-client-request-id'] = clientRequestId
    return headers
  }

  function authorizeSas(url: URL, blobPath: string, needed: 'r' | 'w'): Sas {
    const sig = url.searchParams.get('sig')
    const sas = sig === null ? undefined : signatures.get(sig)
    if (!sas || sas.blobPath !== blobPath) {
      throw new StorageError(
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.'
      )
    }
    if (sas.expires.getTime() < Date.now()) {
      throw new StorageError(
        403,
        'AuthenticationFailed',
        'Signed expiry time must be after the current time.'
      )
    }
    if (!sas.permissions.includes(needed)) {
      throw new StorageError(
        403,
        'AuthorizationPermissionMismatch',
        'This request is not authorized to perform this operation using this permission.'
      )
    }
    return sas
  }

  function blobOperation(method: string, comp: string | null): BlobOperation | 'unknown' {
    if (method === 'PUT' && comp === null) return 'PutBlob'
    if (method === 'PUT' && comp === 'block') return 'PutBlock'
    if (method === 'PUT' && comp === 'blocklist') return 'PutBlockList'
    if (method === 'GET' && comp === null) return 'GetBlob'
    if (method === 'HEAD' && comp === null) return 'GetBlobProperties'
    return 'unknown'
  }

  function checkContent(req: http.IncomingMessage, body: Buffer): void {
    const length = req.headers['content-length']
    if (length === undefined) {
      throw new StorageError(411, 'MissingContentLengthHeader', 'Content-Length HTTP header is missing.')
    }
    if (Number(length) !== body.length) {
      throw new StorageError(400, 'InvalidInput', 'The request body does not match Content-Length.')
    }
    const contentMd5 = req.headers['content-md5']
    if (typeof contentMd5 === 'string' && !md5(body).equals(Buffer.from(contentMd5, 'base64'))) {
      throw new StorageError(
        400,
        'Md5Mismatch',
        'The MD5 value specified in the request did not match with the MD5 value calculated by the server.'
      )
    }
    if (req.headers['x-ms-structured-body'] !== undefined) {
      throw new StorageError(
        400,
        'InvalidHeaderValue',
        'This fake does not implement structured message bodies.'
      )
    }
  }

  function commit(
    req: http.IncomingMessage,
    blob: Blob,
    data: Buffer,
    blocks: Map<string, Buffer>,
    md5Of?: Buffer
  ) {
    const now = new Date()
    const declaredMd5 = req.headers['x-ms-blob-content-md5']
    blob.committed = {
      data,
      contentType: String(req.headers['x-ms-blob-content-type'] ?? 'application/octet-stream'),
      contentMd5: typeof declaredMd5 === 'string' ? Buffer.from(declaredMd5, 'base64') : md5Of,
      etag: `"0x${(now.getTime() * 10_000 + Math.floor(Math.random() * 10_000)).toString(16).toUpperCase()}"`,
      lastModified: now,
      created: blob.committed?.created ?? now,
      blocks
    }
    blob.uncommitted.clear()
    return blob.committed
  }

  function parseRange(header: string, size: number): [number, number] | undefined {
    const match = /^bytes=(\d+)-(\d*)$/.exec(header.trim())
    if (!match)
      throw new StorageError(
        400,
        'InvalidRange',
        'The range specified is invalid for the current size of the resource.'
      )
    const start = Number(match[1])
    const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
    if (start >= size || end < start) {
      throw new StorageError(
        416,
        'InvalidRange',
        'The range specified is invalid for the current size of the resource.'
      )
    }
    return [start, end]
  }

  async function handleBlob(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const blobPath = decodeURIComponent(url.pathname.slice(1))
    const operation = blobOperation(req.method ?? '', url.searchParams.get('comp'))
    const body = await readBody(req)
    const record: RecordedRequest = {
      kind: 'blob',
      operation,
      httpMethod: req.method ?? '',
      path: url.pathname,
      status: 0,
      bytes: body.length
    }
    requests.push(record)
    const headers = storageHeaders(req)
    const send = (status: number, extra: Record<string, string | number> = {}, payload?: Buffer): void => {
      record.status = status
      res.writeHead(status, { ...headers, 'Content-Length': payload?.length ?? 0, ...extra })
      if (payload && req.method !== 'HEAD') res.end(payload)
      else res.end()
    }
    try {
      if (operation === 'unknown') {
        throw new StorageError(
          400,
          'InvalidQueryParameterValue',
          `This fake does not implement ${req.method} ${url.search}.`
        )
      }
      const failure = takeFailure('blob', operation)
      if (failure) {
        const [code, message] = STORAGE_CODES[failure.status] ?? ['InternalError', 'injected failure']
        throw new StorageError(failure.status, code, failure.message ?? message)
      }
      const writing = operation.startsWith('Put')
      const sas = authorizeSas(url, blobPath, writing ? 'w' : 'r')
      let blob = blobs.get(blobPath)
      if (!blob) {
        if (!writing) throw new StorageError(404, 'BlobNotFound', 'The specified blob does not exist.')
        blob = { uncommitted: new Map() }
        blobs.set(blobPath, blob)
      }
      const written = { 'x-ms-request-server-encrypted': 'true' }
      switch (operation) {
        case 'PutBlob': {
          if (!sas.permissions.includes('c') && !blob.committed) {
            throw new StorageError(
              403,
              'AuthorizationPermissionMismatch',
              'Creating the blob needs the create permission.'
            )
          }
          if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
            throw new StorageError(
              400,
              'MissingRequiredHeader',
              'An HTTP header that is mandatory for this request is not specified: x-ms-blob-type.'
            )
          }
          checkContent(req, body)
          const committed = commit(req, blob, body, new Map(), md5(body))
          send(201, {
            ...written,
            ETag: committed.etag,
            'Last-Modified': committed.lastModified.toUTCString(),
            'Content-MD5': md5(body).toString('base64')
          })
          return
        }
        case 'PutBlock': {
          const blockId = url.searchParams.get('blockid')
          const decoded = blockId === null ? undefined : Buffer.from(blockId, 'base64')
          const sameLength = [...blob.uncommitted.keys()].every(
            id => Buffer.from(id, 'base64').length === decoded?.length
          )
          if (!blockId || !decoded || decoded.length === 0 || decoded.length > 64 || !sameLength) {
            throw new StorageError(
              400,
              'InvalidQueryParameterValue',
              'Value for one of the query parameters specified in the request URI is invalid: blockid.'
            )
          }
          checkContent(req, body)
          blob.uncommitted.set(blockId, body)
          send(201, { ...written, 'Content-MD5': md5(body).toString('base64') })
          return
        }
        case 'PutBlockList': {
          if (!sas.permissions.includes('c') && !blob.committed) {
            throw new StorageError(
              403,
              'AuthorizationPermissionMismatch',
              'Creating the blob needs the create permission.'
            )
          }
          checkContent(req, body)
          const xml = body.toString('utf8')
          if (!/<BlockList>[\s\S]*<\/BlockList>/.test(xml)) {
            throw new StorageError(400, 'InvalidXmlDocument', 'XML specified is not syntactically valid.')
          }
          const parts: Buffer[] = []
          const blocks = new Map<string, Buffer>()
          for (const m of xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)) {
            const [, list, id] = m
            const data =
              (list !== 'Committed' ? blob.uncommitted.get(id) : undefined) ??
              (list !== 'Uncommitted' ? blob.committed?.blocks.get(id) : undefined)
            if (!data) throw new StorageError(400, 'InvalidBlockList', 'The specified block list is invalid.')
            parts.push(data)
            blocks.set(id, data)
          }
          const committed = commit(req, blob, Buffer.concat(parts), blocks)
          send(201, {
            ...written,
            ETag: committed.etag,
            'Last-Modified': committed.lastModified.toUTCString(),
            'Content-MD5': md5(body).toString('base64')
          })
          return
        }
        case 'GetBlob':
        case 'GetBlobProperties': {
          const committed = blob.committed
          if (!committed) throw new StorageError(404, 'BlobNotFound', 'The specified blob does not exist.')
          const size = committed.data.length
          const common: Record<string, string | number> = {
            ETag: committed.etag,
            'Last-Modified': committed.lastModified.toUTCString(),
            'Content-Type': url.searchParams.get('rsct') ?? committed.contentType,
            'Accept-Ranges': 'bytes',
            'x-ms-blob-type': 'BlockBlob',
            'x-ms-creation-time': committed.created.toUTCString(),
            'x-ms-lease-state': 'available',
            'x-ms-lease-status': 'unlocked',
            'x-ms-server-encrypted': 'true'
          }
          const disposition = url.searchParams.get('rscd')
          if (disposition) common['Content-Disposition'] = disposition
          if (committed.blocks.size > 0) common['x-ms-blob-committed-block-count'] = committed.blocks.size
          const rangeHeader = req.headers['x-ms-range'] ?? req.headers.range
          if (operation === 'GetBlob' && typeof rangeHeader === 'string' && size > 0) {
            const [start, end] = parseRange(rangeHeader, size) ?? [0, size - 1]
            const slice = committed.data.subarray(start, end + 1)
            const extra: Record<string, string | number> = {
              ...common,
              'Content-Range': `bytes ${start}-${end}/${size}`
            }
            if (committed.contentMd5) extra['x-ms-blob-content-md5'] = committed.contentMd5.toString('base64')
            if (req.headers['x-ms-range-get-content-md5'] === 'true' && slice.length <= 4 * 1024 * 1024) {
              extra['Content-MD5'] = md5(slice).toString('base64')
            }
            send(206, extra, slice)
            return
          }
          if (committed.contentMd5) common['Content-MD5'] = committed.contentMd5.toString('base64')
          if (operation === 'GetBlobProperties') {
            record.status = 200
            res.writeHead(200, { ...headers, ...common, 'Content-Length': size })
            res.end()
            return
          }
          send(200, common, committed.data)
          return
        }
      }
    } catch (err) {
      const status = err instanceof StorageError ? err.status : 500
      const code = err instanceof StorageError ? err.code : 'InternalError'
      const message = err instanceof Error ? err.message : String(err)
      const xml = Buffer.from(
        `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${headers['x-ms-request-id']}\nTime:${new Date().toISOString()}</Message></Error>`
      )
      send(
        status,
        { 'Content-Type': 'application/xml', 'x-ms-error-code': code },
        req.method === 'HEAD' ? undefined : xml
      )
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl)
    const handled = url.pathname.startsWith('/twirp/')
      ? handleRpc(req, res, url.pathname)
      : handleBlob(req, res, url)
    handled.catch(err => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' })
      res.end(String(err))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  baseUrl = `http://127.0.0.1:${port}/`

  return {
    url: baseUrl,
    port,
    runId,
    runBackendId,
    jobBackendId,
    requests,
    artifacts: () =>
      artifactRecords
        .filter(a => a.state === 'finalized')
        .map(a => {
          const committed = committedBlob(a.blobPath)
          return {
            id: a.id,
            name: a.name,
            runBackendId: a.runBackendId,
            jobBackendId: a.jobBackendId,
            size: a.size,
            digest: a.digest,
            mimeType: a.mimeType,
            createdAt: a.createdAt,
            expiresAt: a.expiresAt,
            data: committed?.data ?? Buffer.alloc(0),
            blocks: committed?.blocks.size ?? 0
          }
        }),
    cacheEntries: () =>
      cacheRecords
        .filter(c => c.state === 'finalized')
        .map(c => {
          const committed = committedBlob(c.blobPath)
          return {
            id: c.id,
            key: c.key,
            version: c.version,
            scope: c.scope,
            size: c.size,
            createdAt: c.createdAt,
            data: committed?.data ?? Buffer.alloc(0),
            blocks: committed?.blocks.size ?? 0
          }
        }),
    failWith: rule => failures.push({ ...rule }),
    clearFailures: () => failures.splice(0),
    token,
    env: (opts = {}) => {
      const env: Record<string, string> = {
        ACTIONS_RUNTIME_TOKEN: token(opts),
        ACTIONS_RESULTS_URL: baseUrl,
        ACTIONS_CACHE_URL: baseUrl,
        ACTIONS_CACHE_SERVICE_V2: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'octo-org/unikraft-compat-fixture',
        GITHUB_RUN_ID: runId,
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_REF: (opts.cacheScopes ?? defaultScopes)[0]?.Scope ?? 'refs/heads/main',
        // The libraries honour proxy variables; the fake is always reached directly.
        no_proxy: '127.0.0.1,localhost',
        NO_PROXY: '127.0.0.1,localhost'
      }
      if (opts.runnerTemp) env.RUNNER_TEMP = opts.runnerTemp
      if (opts.workspace) env.GITHUB_WORKSPACE = opts.workspace
      return env
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/**
 * Sets variables in process.env (undefined deletes one) and returns a function that puts every
 * touched variable back as it was. The libraries read the environment at call time.
 */
export function applyEnv(env: Record<string, string | undefined>): () => void {
  const saved = Object.keys(env).map(name => [name, process.env[name]] as const)
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}
