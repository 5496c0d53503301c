// Test helper: a KraftKit-like release server on 127.0.0.1 (GitHub's `releases/download/v<ver>/<file>`
// layout) serving a real tar.gz holding a fake `kraft` script, and its sha256 checksums file.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ReleaseServer {
  baseUrl: string
  /** Paths requested so far, in order. */
  requests: string[]
  files: Map<string, Buffer>
  close(): Promise<void>
}

/** A tar.gz like goreleaser's: `kraft` at the top level (plus the licence and readme it ships). */
export function buildKraftTarball(version: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'ukc-kraft-tar-'))
  try {
    const src = join(dir, 'src')
    mkdirSync(src)
    writeFileSync(join(src, 'kraft'), `#!/bin/sh\necho "kraft ${version} (test artifact)"\n`)
    chmodSync(join(src, 'kraft'), 0o755)
    writeFileSync(join(src, 'LICENSE'), 'BSD-3-Clause\n')
    writeFileSync(join(src, 'README.md'), '# kraft\n')
    const out = join(dir, 'kraft.tar.gz')
    execFileSync('tar', ['-czf', out, '-C', src, 'kraft', 'LICENSE', 'README.md'])
    return readFileSync(out)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Serves `/v<ver>/<name>` for each file given; anything else is a 404. */
export async function startReleaseServer(
  version: string,
  files: Record<string, Buffer | string>
): Promise<ReleaseServer> {
  const map = new Map(Object.entries(files).map(([k, v]) => [`/v${version}/${k}`, Buffer.from(v)]))
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '')
    const body = map.get(req.url ?? '')
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('Not Found')
      return
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
    res.end(body)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    files: map,
    close: () => new Promise(resolve => server.close(() => resolve()))
  }
}
