// The setup job's scripts, run exactly as written in the workflow, on hostile inputs.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadWorkflow, runStep, stepById } from './workflow-files.js'

const wf = loadWorkflow('unikraft-compat.yml')
const cellsStep = stepById(wf, 'setup', 'cells')
const sourceStep = stepById(wf, 'setup', 'source')

interface Cell {
  app: string
  version: string
  slug: string
}

let cwd: string
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ukc-plan-'))
})
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true })
})

function plan(env: { APPS: string; VERSIONS?: string; PREFIX?: string }) {
  const r = runStep(cellsStep, { VERSIONS: 'latest', PREFIX: 'unikraft-compat', ...env }, cwd)
  const cells = r.outputs.cells ? (JSON.parse(r.outputs.cells) as { include: Cell[] }).include : null
  return { ...r, cells }
}

/** Everything a shell would have done with these strings leaves a trace in the working directory. */
function nothingRan(): void {
  expect(readdirSync(cwd)).toEqual([])
  expect(existsSync(join(cwd, 'pwned'))).toBe(false)
}

describe('setup: the app and version lines become matrix cells', () => {
  it('reads the environment, not the script text: the inputs appear only in env', () => {
    expect(cellsStep.shell).toBe('node {0}')
    expect(cellsStep.env).toEqual({
      APPS: '${{ inputs.apps }}',
      VERSIONS: '${{ inputs.unikraft-versions }}',
      PREFIX: '${{ inputs.artifact-prefix }}'
    })
  })

  it('makes app × version cells in order, skipping blank lines, comments and repeats', () => {
    const r = plan({
      APPS: 'examples/hello-c\n\n  examples/redis  \n# not this one\nexamples/hello-c\n',
      VERSIONS: 'latest\r\n0.16.3\r\n\r\n'
    })
    expect(r.status).toBe(0)
    expect(r.cells).toEqual([
      { app: 'examples/hello-c', version: 'latest', slug: 'examples-hello-c-latest' },
      { app: 'examples/hello-c', version: '0.16.3', slug: 'examples-hello-c-0.16.3' },
      { app: 'examples/redis', version: 'latest', slug: 'examples-redis-latest' },
      { app: 'examples/redis', version: '0.16.3', slug: 'examples-redis-0.16.3' }
    ])
    expect(r.outputs.prefix).toBe('unikraft-compat')
    expect(Object.keys(r.outputs).sort()).toEqual(['cells', 'prefix'])
  })

  it('keeps hostile app lines as data: nothing runs, the JSON carries them verbatim', () => {
    const hostile = [
      '$(touch pwned)',
      '`touch pwned`',
      'a"; touch pwned; echo "b',
      "it's; touch pwned",
      '${{ github.token }}',
      'x && touch pwned || touch pwned',
      '::error::injected',
      'cells={"include":[]}',
      'apps/ü nicode'
    ]
    const r = plan({ APPS: `\n${hostile.join('\n')}\n\n`, VERSIONS: '0.16.3' })
    expect(r.status).toBe(0)
    nothingRan()
    expect(r.cells?.map(c => c.app)).toEqual(hostile)
    expect(r.cells?.every(c => c.version === '0.16.3')).toBe(true)
    // Slugs are valid, unique artifact names (no '/', '"', ':', '<', '>', '|', '*', '?', '\\').
    const slugs = r.cells?.map(c => c.slug) ?? []
    for (const s of slugs) expect(s).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
    expect(new Set(slugs.map(s => s.toLowerCase())).size).toBe(slugs.length)
    // One output line each: the injected 'cells=' line is inside the JSON, not a second output.
    expect(Object.keys(r.outputs).sort()).toEqual(['cells', 'prefix'])
    // The log never starts a line with a workflow command taken from the input.
    expect(r.stdout.split('\n').filter(l => l.startsWith('::'))).toEqual([])
  })

  it('gives apps whose names clean up the same way distinct slugs', () => {
    const r = plan({ APPS: 'a/b\na-b\na b\n.', VERSIONS: 'latest' })
    expect(r.status).toBe(0)
    expect(r.cells?.map(c => c.slug)).toEqual(['a-b-latest', 'a-b-latest-2', 'a-b-latest-3', 'app-latest'])
  })

  it('defaults to latest when no version line is given', () => {
    const r = plan({ APPS: 'examples/htop', VERSIONS: ' \n' })
    expect(r.cells).toEqual([{ app: 'examples/htop', version: 'latest', slug: 'examples-htop-latest' }])
  })

  it.each([
    ['latest; touch pwned', 'unikraft-versions'],
    ['$(touch pwned)', 'unikraft-versions'],
    ['0.16', 'unikraft-versions'],
    ['v0.16.3', 'unikraft-versions'],
    ['main', 'unikraft-versions']
  ])('refuses the version line %j, naming the input and the accepted form', (version, input) => {
    const r = plan({ APPS: 'examples/redis', VERSIONS: `latest\n${version}` })
    expect(r.status).toBe(1)
    nothingRan()
    expect(r.outputs).toEqual({})
    expect(r.stdout).toContain(
      `::error title=unikraft-compat::Input '${input}' must list versions one per line`
    )
    expect(r.stdout).toContain('latest or x.y.z')
    expect(r.stdout).toContain(JSON.stringify(version))
  })

  it('refuses an empty app list', () => {
    const r = plan({ APPS: '\n  \n# only a comment\n' })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain("Input 'apps' must list at least one app directory")
  })

  it('refuses control characters in an app line, escaped so they cannot forge a workflow command', () => {
    const r = plan({ APPS: 'ok\nbad\tname' })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(
      "Input 'apps' must list app directories one per line, without control characters"
    )
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
  })

  it.each(['bad/prefix', '-x', '$(touch pwned)', 'a'.repeat(65)])(
    'refuses the artifact prefix %j',
    prefix => {
      const r = plan({ APPS: 'examples/redis', PREFIX: prefix })
      expect(r.status).toBe(1)
      nothingRan()
      expect(r.stdout).toContain("Input 'artifact-prefix' must be 1-64 letters")
    }
  )

  it('refuses more than the 256 cells a GitHub matrix holds', () => {
    const apps = Array.from({ length: 129 }, (_, i) => `app${i}`).join('\n')
    const r = plan({ APPS: apps, VERSIONS: 'latest\n0.16.3' })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('129 x 2 = 258 cells; a GitHub matrix holds at most 256')
    const ok = plan({
      APPS: Array.from({ length: 128 }, (_, i) => `app${i}`).join('\n'),
      VERSIONS: 'latest\n0.16.3'
    })
    expect(ok.status).toBe(0)
    expect(ok.cells).toHaveLength(256)
  })
})

describe("setup: the workflow's own repository and commit", () => {
  const sha = 'a'.repeat(40)

  it('comes from the job context (job.workflow_repository, job.workflow_sha)', () => {
    expect(sourceStep.env).toEqual({ JOB_CONTEXT: '${{ toJSON(job) }}' })
    const job = {
      status: 'success',
      check_run_id: 51725241954,
      workflow_repository: 'unikraft-compat/unikraft-compat',
      workflow_sha: sha,
      workflow_ref: 'unikraft-compat/unikraft-compat/.github/workflows/unikraft-compat.yml@refs/tags/v1',
      workflow_file_path: '.github/workflows/unikraft-compat.yml'
    }
    const r = runStep(sourceStep, { JOB_CONTEXT: JSON.stringify(job) }, cwd)
    expect(r.status).toBe(0)
    expect(r.outputs).toEqual({ repository: 'unikraft-compat/unikraft-compat', sha })
    expect(r.stdout).toContain('@refs/tags/v1')
  })

  it.each([
    ['a runner without the properties (GitHub Enterprise Server)', { status: 'success' }],
    ['an empty context', null],
    ['a ref instead of a commit', { workflow_repository: 'o/r', workflow_sha: 'v1' }],
    ['a forged repository', { workflow_repository: 'o/r\nsha=evil', workflow_sha: sha }],
    ['a forged commit', { workflow_repository: 'o/r', workflow_sha: `${sha}\nrepository=evil/x` }]
  ])('fails with the reason on %s', (_what, job) => {
    const r = runStep(sourceStep, { JOB_CONTEXT: job === null ? '' : JSON.stringify(job) }, cwd)
    expect(r.status).toBe(1)
    expect(r.outputs).toEqual({})
    expect(r.stdout).toContain('job.workflow_repository and job.workflow_sha are empty')
  })
})
