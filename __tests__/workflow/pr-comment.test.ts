// The comment job's script, run as written, against a fake of GitHub's REST API on 127.0.0.1 that
// speaks the public protocol of the issue-comment endpoints (list with per_page/page, create, update).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadWorkflow, stepById } from './workflow-files.js'

const wf = loadWorkflow('unikraft-compat.yml')
const step = wf.jobs.comment.steps?.find(s => s.shell === 'node {0}')
if (!step?.run) throw new Error('no comment script in the comment job')
const SCRIPT = step.run
const TOKEN = 'ghs_test-token'
const BOT = { login: 'github-actions[bot]', type: 'Bot' }
const HUMAN = { login: 'octocat', type: 'User' }
const MARKER = '<!-- unikraft-compat-matrix -->'

interface Comment {
  id: number
  user: { login: string; type: string }
  body: string
  html_url: string
}

class FakeGitHub {
  comments: Comment[] = []
  requests: { method: string; url: string; auth: string | undefined }[] = []
  deny: 'none' | 'writes' = 'none'
  private nextId = 1000
  private server: Server = createServer((req, res) => void this.handle(req, res))
  url = ''

  async start(): Promise<void> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }
  stop(): Promise<void> {
    return new Promise(resolve => this.server.close(() => resolve()))
  }
  add(user: Comment['user'], body: string): Comment {
    const c = { id: this.nextId++, user, body, html_url: `https://github.test/c/${this.nextId}` }
    this.comments.push(c)
    return c
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    let raw = ''
    for await (const chunk of req) raw += chunk
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization })
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: 'Bad credentials' })
    const url = new URL(req.url ?? '/', 'http://x')
    const list = /^\/repos\/owner\/app\/issues\/7\/comments$/.exec(url.pathname)
    const one = /^\/repos\/owner\/app\/issues\/comments\/(\d+)$/.exec(url.pathname)
    if (req.method !== 'GET' && this.deny === 'writes') {
      return send(403, { message: 'Resource not accessible by integration' })
    }
    if (list && req.method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      const page = Number(url.searchParams.get('page') ?? 1)
      return send(200, this.comments.slice((page - 1) * perPage, page * perPage))
    }
    if (list && req.method === 'POST') {
      return send(201, this.add(BOT, (JSON.parse(raw) as { body: string }).body))
    }
    if (one && req.method === 'PATCH') {
      const c = this.comments.find(x => x.id === Number(one[1]))
      if (!c) return send(404, { message: 'Not Found' })
      if (c.user.login !== BOT.login) return send(403, { message: 'not yours' })
      c.body = (JSON.parse(raw) as { body: string }).body
      return send(200, c)
    }
    send(404, { message: 'Not Found' })
  }
}

let api: FakeGitHub
let tmp: string
beforeEach(async () => {
  api = new FakeGitHub()
  await api.start()
  tmp = mkdtempSync(join(tmpdir(), 'ukc-comment-'))
})
afterEach(async () => {
  await api.stop()
  rmSync(tmp, { recursive: true, force: true })
})

/** Runs the script as the runner does (`node FILE`), asynchronously: the fake API lives in this process. */
function comment(
  table: string,
  extra: Record<string, string> = {}
): Promise<{ status: number | null; stdout: string }> {
  const md = join(tmp, 'matrix.md')
  writeFileSync(md, table)
  const script = join(tmp, 'script')
  writeFileSync(script, SCRIPT)
  const child = spawn(process.execPath, [script], {
    cwd: tmp,
    env: {
      PATH: process.env.PATH,
      GITHUB_API_URL: api.url,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_REPOSITORY: 'owner/app',
      GITHUB_RUN_ID: '42',
      GITHUB_TOKEN: TOKEN,
      PR_NUMBER: '7',
      PREFIX: 'unikraft-compat',
      MATRIX_MD: md,
      ...extra
    }
  })
  let stdout = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  return new Promise(resolve => child.on('close', status => resolve({ status, stdout })))
}

const TABLE = '### Unikraft compatibility matrix\n\n| App | latest |\n|---|---|\n| redis | ✅ pass |\n'

describe('comment: one pull request comment, updated in place', () => {
  it('gets the pull request number, token and matrix file through env', () => {
    expect(step.env).toEqual({
      GITHUB_TOKEN: '${{ github.token }}',
      PR_NUMBER: '${{ github.event.pull_request.number }}',
      PREFIX: '${{ needs.setup.outputs.prefix }}',
      MATRIX_MD: '${{ runner.temp }}/unikraft-compat-matrix/matrix.md'
    })
    expect(stepById(wf, 'aggregate', 'matrix').env?.OUT).toBe('${{ runner.temp }}/unikraft-compat-matrix')
  })

  it('creates the comment with the hidden marker, then edits that same comment on a re-run', async () => {
    api.add(HUMAN, 'Looks good')
    const first = await comment(TABLE)
    expect(first.status).toBe(0)
    expect(api.comments).toHaveLength(2)
    const ours = api.comments[1]
    expect(ours.user).toEqual(BOT)
    expect(ours.body.startsWith(`${MARKER}\n${TABLE}`)).toBe(true)
    expect(ours.body).toContain('https://github.test/owner/app/actions/runs/42')
    expect(first.stdout).toContain('Created the matrix comment')

    const second = await comment(TABLE.replace('✅ pass', '❌ fail: <code>loader.missing-library</code>'))
    expect(second.status).toBe(0)
    expect(second.stdout).toContain('Updated the matrix comment')
    expect(api.comments).toHaveLength(2)
    expect(api.comments[1].id).toBe(ours.id)
    expect(api.comments[1].body).toContain('loader.missing-library')
    expect(api.requests.every(r => r.auth === `Bearer ${TOKEN}`)).toBe(true)
  })

  it("finds its comment past the first page, and leaves a human's comment that quotes the marker alone", async () => {
    const quoted = api.add(HUMAN, `Why does the bot write ${MARKER}?`)
    for (let i = 0; i < 130; i++) api.add(HUMAN, `comment ${i}`)
    const ours = api.add(BOT, `${MARKER}\nold table`)
    const r = await comment(TABLE)
    expect(r.status).toBe(0)
    expect(api.comments).toHaveLength(132)
    expect(api.comments.find(c => c.id === ours.id)?.body).toContain(TABLE)
    expect(api.comments.find(c => c.id === quoted.id)?.body).toBe(`Why does the bot write ${MARKER}?`)
    expect(
      api.requests
        .filter(q => q.method === 'GET')
        .map(q => new URL(q.url, 'http://x').searchParams.get('page'))
    ).toEqual(['1', '2'])
  })

  it('keeps a separate comment per artifact prefix', async () => {
    api.add(BOT, `${MARKER}\nthe default matrix`)
    const r = await comment(TABLE, { PREFIX: 'arm' })
    expect(r.status).toBe(0)
    expect(api.comments).toHaveLength(2)
    expect(api.comments[1].body.startsWith('<!-- unikraft-compat-matrix:arm -->\n')).toBe(true)
    expect(api.comments[0].body).toBe(`${MARKER}\nthe default matrix`)
  })

  it('cuts a table longer than a comment may be', async () => {
    const huge = `### Unikraft compatibility matrix\n${'| app | ✅ pass |\n'.repeat(8000)}`
    const r = await comment(huge)
    expect(r.status).toBe(0)
    const body = api.comments[0].body
    expect(body.length).toBeLessThanOrEqual(65536)
    expect(body).toContain('(cut: the full table is in the job summary)')
    expect(body.startsWith(MARKER)).toBe(true)
  })

  it('never cuts an emoji in half', async () => {
    // Whatever the parity of the cut, no lone half of a surrogate pair may reach GitHub.
    for (const lead of ['', 'x']) {
      api.comments = []
      const r = await comment(`${lead}${'😀'.repeat(40000)}`)
      expect(r.status).toBe(0)
      expect(api.comments[0].body).not.toMatch(
        /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
      )
    }
  })

  it('warns, without failing the job, when the token may not write (pull requests from forks)', async () => {
    api.deny = 'writes'
    const r = await comment(TABLE)
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(
      /^::warning title=unikraft-compat::Could not comment on the pull request .*HTTP 403/m
    )
    expect(api.comments).toHaveLength(0)
  })

  it('fails on any other API error, with the status', async () => {
    const r = await comment(TABLE, { GITHUB_TOKEN: 'wrong' })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(
      /^::error title=unikraft-compat::Could not comment on the pull request: GET .* HTTP 401/m
    )
  })

  it('downloads the matrix artifact to the directory MATRIX_MD names', () => {
    // The aggregate job uploads OUT; the comment job downloads it to the directory MATRIX_MD names.
    const download = wf.jobs.comment.steps?.find(s => s.uses?.startsWith('actions/download-artifact@'))
    expect(download?.with).toEqual({
      name: '${{ needs.setup.outputs.prefix }}-matrix',
      path: '${{ runner.temp }}/unikraft-compat-matrix'
    })
  })
})
