// The bundled action on a passing Linux-baseline run (redis-local), main then post as the runner
// runs them: outputs, result.json, job summary, the artifact as it arrived in the fake results
// service, a post step with nothing left to do; and the same run against a results service that
// answers 500 to everything, which must never fail the job.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { startResultsService, type ResultsServiceFake } from '../../__fixtures__/github-results-service.js'
import { validateCheckResult } from '../../src/engine/report/result.js'
import { readZip } from './helpers.js'
import {
  annotations,
  bundleExists,
  MAIN_JS,
  makeRunnerDirs,
  POST_JS,
  qemuProcesses,
  readCommandFile,
  removeRunnerDirs,
  REPO,
  runStep,
  stepEnv,
  type RunnerDirs,
  type StepRun
} from './action-runner.js'

const INPUTS = { app: 'examples/redis-local', guest: 'linux' }

beforeAll(() => {
  if (!bundleExists()) throw new Error('dist/main.js or dist/post.js is missing: run `npm run bundle` first')
})

describe('a passing Linux-baseline run (redis-local)', () => {
  let fake: ResultsServiceFake
  let dirs: RunnerDirs
  let main: StepRun
  let post: StepRun
  let outputs: Record<string, string>
  let state: Record<string, string>
  let qemuAfterMain: number[]
  let requestsAfterMain: number
  let artifactsAfterMain: number

  beforeAll(async () => {
    fake = await startResultsService()
    dirs = await makeRunnerDirs('pass')
    main = await runStep(MAIN_JS, stepEnv({ dirs, workspace: REPO, fake, inputs: INPUTS }), REPO)
    outputs = await readCommandFile(dirs.output)
    state = await readCommandFile(dirs.state)
    qemuAfterMain = await qemuProcesses(dirs.runnerTemp)
    requestsAfterMain = fake.requests.length
    artifactsAfterMain = fake.artifacts().length
    // The runner hands post what main saved, as STATE_<name>.
    post = await runStep(POST_JS, stepEnv({ dirs, workspace: REPO, fake, inputs: INPUTS, state }), REPO)
  }, 150_000)

  afterAll(async () => {
    await fake?.close()
    if (dirs) await removeRunnerDirs(dirs)
  })

  it('main exits 0 with verdict pass and no error annotation', () => {
    expect({ code: main.code, signal: main.signal }).toEqual({ code: 0, signal: null })
    expect(outputs.verdict).toBe('pass')
    expect(annotations(main.stdout, 'error')).toEqual([])
  })

  it('sets the findings output to the JSON array of findings, as in result.json', async () => {
    const findings: unknown = JSON.parse(outputs.findings)
    expect(Array.isArray(findings)).toBe(true)
    const result = JSON.parse(await readFile(outputs['result-file'], 'utf8')) as { findings: unknown }
    expect(findings).toEqual(result.findings)
  })

  it('writes a result.json under RUNNER_TEMP that validates against the schema', async () => {
    expect(outputs['result-file'].startsWith(dirs.runnerTemp + path.sep)).toBe(true)
    const outcome = validateCheckResult(JSON.parse(await readFile(outputs['result-file'], 'utf8')))
    expect(outcome.ok ? [] : outcome.problems).toEqual([])
    if (!outcome.ok) return
    expect(outcome.result.verdict).toBe('pass')
    expect(outcome.result.guest).toBe('linux')
    expect(outcome.result.probes.map(p => [p.kind, p.passed])).toEqual([['redis', true]])
  })

  it('points console-log at the guest console, which shows redis serving', async () => {
    const text = await readFile(outputs['console-log'], 'utf8')
    expect(text).toContain('Ready to accept connections')
  })

  it('sets boot-ms and ready-ms to whole milliseconds, ready after boot', () => {
    expect(outputs['boot-ms']).toMatch(/^\d+$/)
    expect(outputs['ready-ms']).toMatch(/^\d+$/)
    expect(Number(outputs['ready-ms'])).toBeGreaterThanOrEqual(Number(outputs['boot-ms']))
    expect(outputs['unikraft-version']).toBe('')
  })

  it('sets artifact-id and artifact-url to the artifact the service stored', () => {
    const stored = fake.artifacts()
    expect(stored).toHaveLength(1)
    expect(outputs['artifact-id']).toBe(String(stored[0].id))
    expect(outputs['artifact-url']).toBe(
      `https://github.com/octo-org/unikraft-compat-fixture/actions/runs/${fake.runId}/artifacts/${stored[0].id}`
    )
    expect(stored[0].name).toBe('unikraft-compat-examples-redis-local-latest-linux-x86_64')
  })

  it('uploads result.json and console.log whole: the zip entries equal the files byte for byte', async () => {
    const [artifact] = fake.artifacts()
    const entries = readZip(artifact.data)
    const names = entries.map(e => e.name)
    expect(names).toEqual(expect.arrayContaining(['result.json', 'console.log']))
    const outDir = path.dirname(outputs['result-file'])
    for (const entry of entries) {
      expect({
        name: entry.name,
        same: entry.data.equals(await readFile(path.join(outDir, entry.name)))
      }).toEqual({
        name: entry.name,
        same: true
      })
    }
  })

  it('writes a job summary with the verdict and the probes table', async () => {
    const summary = await readFile(dirs.summary, 'utf8')
    expect(summary.split('\n')[0]).toMatch(/^## .*pass: examples\/redis-local on the Linux baseline/)
    expect(summary).toContain('### Probes')
    expect(summary).toMatch(/^\| Probe \| Result \|/m)
    expect(summary).toMatch(/^\| <code>redis:6379<\/code> \| ✅ passed \|/m)
  })

  it('leaves the post step its state in GITHUB_STATE, marked as uploaded', () => {
    const saved = JSON.parse(state['unikraft-compat']) as {
      outDir: string
      artifactName: string
      uploadLogs: boolean
    }
    expect(saved.outDir).toBe(path.dirname(outputs['result-file']))
    expect(saved.artifactName).toBe('unikraft-compat-examples-redis-local-latest-linux-x86_64')
    expect(saved.uploadLogs).toBe(true)
    expect(state['unikraft-compat-uploaded']).toBe('true')
  })

  it('post exits 0 and uploads nothing more: main already did', () => {
    expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
    expect(artifactsAfterMain).toBe(1)
    expect(fake.artifacts()).toHaveLength(1)
    expect(fake.requests.length).toBe(requestsAfterMain)
    expect(annotations(post.stdout)).toEqual([])
  })

  it('leaves no QEMU behind, after main and after post', async () => {
    expect(qemuAfterMain).toEqual([])
    expect(await qemuProcesses(dirs.runnerTemp)).toEqual([])
    expect(existsSync(path.join(path.dirname(outputs['result-file']), 'qemu.pid'))).toBe(false)
  })
})

describe('a passing run while the results service answers 500 to everything', () => {
  let fake: ResultsServiceFake
  let dirs: RunnerDirs

  beforeAll(async () => {
    fake = await startResultsService()
    dirs = await makeRunnerDirs('svc500')
  })

  afterAll(async () => {
    await fake?.close()
    if (dirs) await removeRunnerDirs(dirs)
  })

  it('still passes, exits 0, and says so in a warning; post exits 0 too', async () => {
    fake.failWith({ status: 500 })
    const env = stepEnv({ dirs, workspace: REPO, fake, inputs: { ...INPUTS, accel: 'tcg' } })
    const main = await runStep(MAIN_JS, env, REPO)
    const outputs = await readCommandFile(dirs.output)

    expect({ code: main.code, signal: main.signal }).toEqual({ code: 0, signal: null })
    expect(outputs.verdict).toBe('pass')
    expect(outputs['artifact-id']).toBeUndefined()
    expect(annotations(main.stdout, 'error')).toEqual([])
    const warnings = annotations(main.stdout, 'warning').map(a => a.message)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^artifact 'unikraft-compat-examples-redis-local-latest-linux-x86_64' was not uploaded: .*500/
      )
    ])
    // The failure was real: the library asked and was refused, and nothing was stored.
    expect(fake.requests.filter(r => r.status === 500).length).toBeGreaterThan(0)
    expect(fake.artifacts()).toEqual([])

    const state = await readCommandFile(dirs.state)
    const post = await runStep(
      POST_JS,
      stepEnv({ dirs, workspace: REPO, fake, inputs: { ...INPUTS, accel: 'tcg' }, state }),
      REPO
    )
    expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
    expect(annotations(post.stdout, 'error')).toEqual([])
    expect(await qemuProcesses(dirs.runnerTemp)).toEqual([])
  }, 150_000)
})
