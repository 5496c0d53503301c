// release.yml: its version check on hostile input, and its tagging script run as written against a
// real git remote (a bare repository on disk): vX.Y.Z is created, vX moves, and only forward.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadWorkflow, runStep, stepById } from './workflow-files.js'

const wf = loadWorkflow('release.yml')
const versionStep = stepById(wf, 'verify', 'version')
const tagStep = stepById(wf, 'publish', 'tag')

let tmp: string
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ukc-release-'))
})
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true })
})

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: 'pipe',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t'
    }
  }).trim()

describe('release.yml', () => {
  it('is started by hand with a version, read-only except the publishing job', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch'])
    expect(wf.on.workflow_dispatch?.inputs?.version).toMatchObject({ required: true, type: 'string' })
    expect(wf.permissions).toEqual({ contents: 'read' })
    expect(wf.jobs.verify.permissions).toEqual({ contents: 'read' })
    expect(wf.jobs.publish.permissions).toEqual({ contents: 'write' })
    expect(wf.jobs.publish.needs).toBe('verify')
  })

  it('builds dist/ and compares it before anything is tagged, and the writing job runs no npm', () => {
    const verify = (wf.jobs.verify.steps ?? []).map(s => s.run ?? s.uses ?? '')
    const bundle = verify.indexOf('npm run bundle')
    expect(bundle).toBeGreaterThan(verify.indexOf('npm ci'))
    expect(verify.findIndex(r => r.includes('git status --porcelain -- dist'))).toBeGreaterThan(bundle)
    expect((wf.jobs.publish.steps ?? []).some(s => /\bnpm\b/.test(s.run ?? ''))).toBe(false)
    // Only the publishing job keeps git credentials.
    const verifyCheckout = (wf.jobs.verify.steps ?? []).find(s => s.uses?.startsWith('actions/checkout@'))
    expect(verifyCheckout?.with?.['persist-credentials']).toBe(false)
  })

  describe('version check', () => {
    const check = (version: string, ref = 'refs/heads/main') =>
      runStep(versionStep, { VERSION: version, REF: ref, DEFAULT_BRANCH: 'main' }, tmp)

    it.each([
      ['v1.0.0', 'v1'],
      ['v1.2.3', 'v1'],
      ['v1.10.0', 'v1'],
      ['v2.0.11', 'v2']
    ])('accepts %s and names the major tag %s', (version, major) => {
      const r = check(version)
      expect(r.status).toBe(0)
      expect(r.outputs).toEqual({ major })
    })

    it.each([
      'v1.2.3; touch pwned',
      '$(touch pwned)',
      '`touch pwned`',
      'v1.2.3\ntouch pwned',
      'v1.2.3\nmajor=v9',
      '1.2.3',
      'v1.2',
      'v01.2.3',
      'v1.02.3',
      'v0.1.0',
      'v1.2.3-rc.1',
      'v1.2.3 '
    ])('refuses %j without running any of it', version => {
      const r = check(version)
      expect(r.status).toBe(1)
      expect(r.outputs).toEqual({})
      expect(r.stdout).toContain("::error title=release::Input 'version' must look like v1.2.3")
      expect(readdirSync(tmp)).toEqual([])
    })

    it('refuses a run that is not on the default branch', () => {
      const r = check('v1.2.3', 'refs/heads/feature')
      expect(r.status).toBe(1)
      expect(r.stdout).toContain(
        'Releases are made from the default branch (main); this run is on refs/heads/feature'
      )
    })
  })

  describe('tagging (against a bare repository as origin)', () => {
    let origin: string
    let work: string
    let commits: string[]

    beforeEach(() => {
      origin = join(tmp, 'origin.git')
      work = join(tmp, 'work')
      mkdirSync(origin)
      git(origin, 'init', '--bare', '--quiet')
      git(tmp, 'clone', '--quiet', origin, work)
      commits = []
      for (const n of [1, 2, 3]) {
        writeFileSync(join(work, 'file'), `${n}\n`)
        git(work, 'add', 'file')
        git(work, 'commit', '--quiet', '-m', `commit ${n}`)
        commits.push(git(work, 'rev-parse', 'HEAD'))
      }
      git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main')
    })

    const remoteTag = (tag: string): string | null => {
      try {
        return git(origin, 'rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`)
      } catch {
        return null
      }
    }
    const publish = (version: string, major: string, sha: string) =>
      runStep(tagStep, { VERSION: version, MAJOR: major, SHA: sha }, work)
    const pushTag = (tag: string, sha: string): void => {
      git(work, 'tag', tag, sha)
      git(work, 'push', '--quiet', 'origin', `refs/tags/${tag}`)
    }

    it('tags the first release and creates the major tag', () => {
      const r = publish('v1.0.0', 'v1', commits[1])
      expect(r.stdout).toContain(`Tagged ${commits[1]} as v1.0.0 and moved v1`)
      expect(r.status).toBe(0)
      expect(remoteTag('v1.0.0')).toBe(commits[1])
      expect(remoteTag('v1')).toBe(commits[1])
      expect(git(origin, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('tag')
    })

    it('moves the major tag forward to the new version', () => {
      pushTag('v1.9.0', commits[0])
      pushTag('v1', commits[0])
      const r = publish('v1.10.0', 'v1', commits[2])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('from v1.9.0')
      expect(remoteTag('v1.10.0')).toBe(commits[2])
      expect(remoteTag('v1')).toBe(commits[2])
      expect(remoteTag('v1.9.0')).toBe(commits[0])
    })

    it('never re-tags an existing version', () => {
      pushTag('v1.2.0', commits[0])
      git(work, 'fetch', '--quiet', '--tags', 'origin')
      const r = publish('v1.2.0', 'v1', commits[2])
      expect(r.status).toBe(1)
      expect(r.stdout).toContain('v1.2.0 exists already')
      expect(remoteTag('v1.2.0')).toBe(commits[0])
      expect(remoteTag('v1')).toBeNull()
    })

    it('never moves the major tag backwards', () => {
      pushTag('v1.2.0', commits[2])
      pushTag('v1', commits[2])
      git(work, 'fetch', '--quiet', '--tags', 'origin')
      const r = publish('v1.1.9', 'v1', commits[0])
      expect(r.status).toBe(1)
      expect(r.stdout).toContain('v1.1.9 is older than v1.2.0; v1 must only move forward')
      expect(remoteTag('v1')).toBe(commits[2])
      expect(remoteTag('v1.1.9')).toBeNull()
    })

    it('keeps majors apart: v2.0.0 leaves v1 where it is', () => {
      pushTag('v1.4.0', commits[0])
      pushTag('v1', commits[0])
      git(work, 'fetch', '--quiet', '--tags', 'origin')
      const r = publish('v2.0.0', 'v2', commits[2])
      expect(r.status).toBe(0)
      expect(remoteTag('v2')).toBe(commits[2])
      expect(remoteTag('v1')).toBe(commits[0])
    })
  })
})
