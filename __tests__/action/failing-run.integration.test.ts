// The bundled action on runs that do not pass: an app whose root filesystem misses a library (built
// with the runner's Docker) must fail the step with an annotation on its Dockerfile, or only report
// with `fail-on: never`; a Unikraft run with no reachable kernel source must end in `error`, naming
// the `kernel` input as the way out.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startResultsService, type ResultsServiceFake } from '../../__fixtures__/github-results-service.js'
import { validateCheckResult } from '../../src/engine/report/result.js'
import { buildProbeKernel } from '../../src/engine/vm/probe-kernel.js'
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

interface Finding {
  id: string
  detail: string | null
  evidence: string
}

let fake: ResultsServiceFake
const allDirs: RunnerDirs[] = []
const allKernels: string[] = []

async function runMain(
  prefix: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {}
) {
  const dirs = await makeRunnerDirs(prefix)
  allDirs.push(dirs)
  const main = await runStep(
    MAIN_JS,
    { ...stepEnv({ dirs, workspace: REPO, fake, inputs }), ...extraEnv },
    REPO
  )
  return { dirs, main, outputs: await readCommandFile(dirs.output), state: await readCommandFile(dirs.state) }
}

beforeAll(async () => {
  if (!bundleExists()) throw new Error('dist/main.js or dist/post.js is missing: run `npm run bundle` first')
  fake = await startResultsService()
})

afterAll(async () => {
  await fake?.close()
  for (const d of allDirs) await removeRunnerDirs(d)
  for (const d of allKernels) await rm(d, { recursive: true, force: true })
})

/** The bare `::error::` line core.setFailed writes (annotations carry properties). */
const failLines = (r: StepRun): string[] =>
  annotations(r.stdout, 'error')
    .filter(a => Object.keys(a.props).length === 0)
    .map(a => a.message)

describe('examples/broken-missing-lib on the Linux baseline (Docker build)', () => {
  const inputs = { app: 'examples/broken-missing-lib', guest: 'linux' }
  let run: Awaited<ReturnType<typeof runMain>>

  beforeAll(async () => {
    run = await runMain('broken', inputs)
  }, 240_000)

  it('fails the step (exit 1) with verdict fail', () => {
    expect({ code: run.main.code, signal: run.main.signal }).toEqual({ code: 1, signal: null })
    expect(run.outputs.verdict).toBe('fail')
    expect(failLines(run.main)).toEqual([expect.stringContaining('loader.missing-library')])
  })

  it('annotates the Dockerfile (relative to the workspace) at a line, for loader.missing-library', async () => {
    const found = annotations(run.main.stdout, 'error').filter(a =>
      a.props.title?.startsWith('loader.missing-library')
    )
    expect(found).toHaveLength(1)
    const [a] = found
    expect(a.props.file).toBe('examples/broken-missing-lib/Dockerfile')
    const dockerfileLines = (await readFile(path.join(REPO, a.props.file), 'utf8')).split('\n')
    const line = Number(a.props.line)
    expect(Number.isInteger(line) && line >= 1 && line <= dockerfileLines.length).toBe(true)
    expect(a.message).toContain('libstdc++.so.6')
  })

  it('names libstdc++.so.6 in the findings output', () => {
    const findings = JSON.parse(run.outputs.findings) as Finding[]
    const missing = findings.filter(f => f.id === 'loader.missing-library')
    expect(missing.map(f => f.detail)).toEqual(['libstdc++.so.6'])
    expect(missing[0].evidence).toContain('libstdc++.so.6')
  })

  it('writes a valid result.json and sets no console-log (preflight stopped it before any boot)', async () => {
    const outcome = validateCheckResult(JSON.parse(await readFile(run.outputs['result-file'], 'utf8')))
    expect(outcome.ok ? outcome.result.verdict : outcome.problems).toBe('fail')
    expect(run.outputs['console-log']).toBeUndefined()
    expect(await qemuProcesses(run.dirs.runnerTemp)).toEqual([])
  })

  it('uploads the failed run too, with the Docker build log', () => {
    const stored = fake.artifacts().filter(a => String(a.id) === run.outputs['artifact-id'])
    expect(stored.map(a => a.name)).toEqual([
      'unikraft-compat-examples-broken-missing-lib-latest-linux-x86_64'
    ])
    const names = readZip(stored[0].data).map(e => e.name)
    expect(names).toEqual(expect.arrayContaining(['result.json', 'docker-build.log', 'rootfs-manifest.json']))
    expect(run.state['unikraft-compat-uploaded']).toBe('true')
  })

  it('post exits 0 after a failed main', async () => {
    const post = await runStep(
      POST_JS,
      stepEnv({ dirs: run.dirs, workspace: REPO, fake, inputs, state: run.state }),
      REPO
    )
    expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
  })

  it('with fail-on: never, exits 0 but still reports verdict fail and the annotation', async () => {
    const never = await runMain('broken-never', {
      ...inputs,
      'fail-on': 'never',
      'artifact-name': 'broken-report-only'
    })
    expect({ code: never.main.code, signal: never.main.signal }).toEqual({ code: 0, signal: null })
    expect(never.outputs.verdict).toBe('fail')
    expect(failLines(never.main)).toEqual([])
    expect(annotations(never.main.stdout, 'error').map(a => a.props.file)).toEqual([
      'examples/broken-missing-lib/Dockerfile'
    ])
  }, 240_000)
})

describe('guest: unikraft without a kernel, where no Unikraft image can be fetched', () => {
  it('ends in verdict error, exit 1, with a message that names the kernel input', async () => {
    // An unreachable proxy stands for "no github.com, no unikraft.org", also on machines that have them.
    const noNetwork = {
      HTTPS_PROXY: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      http_proxy: 'http://127.0.0.1:9'
    }
    const run = await runMain(
      'nokernel',
      { app: 'examples/redis-local', guest: 'unikraft', 'upload-logs': 'false' },
      noNetwork
    )

    expect({ code: run.main.code, signal: run.main.signal }).toEqual({ code: 1, signal: null })
    expect(run.outputs.verdict).toBe('error')
    const messages = failLines(run.main)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/`kernel` input/)
    const result = JSON.parse(await readFile(run.outputs['result-file'], 'utf8')) as {
      error: { kind: string } | null
      guest: string
    }
    expect(result.error?.kind).toBe('infrastructure')
    expect(result.guest).toBe('unikraft')
    expect(await qemuProcesses(run.dirs.runnerTemp)).toEqual([])
  }, 120_000)
})

describe('guest: unikraft with a given kernel that fails like the real ELF loader missing libc', () => {
  // No Unikraft image can be fetched here: the kernel is a tiny multiboot guest that prints the real
  // elfloader-missing-lib console log and halts. The app is the real hello-c, built with Docker,
  // and the baseline really runs it on Linux.
  let run: Awaited<ReturnType<typeof runMain>>
  let summary: string
  beforeAll(async () => {
    const log = await readFile(
      path.join(REPO, '__fixtures__/unikraft-logs/elfloader-missing-lib.log'),
      'latin1'
    )
    const dir = await mkdtemp(path.join(tmpdir(), 'ukc-action-kernel-'))
    allKernels.push(dir)
    const kernel = path.join(dir, 'elfloader_qemu-x86_64')
    await writeFile(
      kernel,
      buildProbeKernel({ message: log.slice(log.indexOf('Powered by')), then: 'exit', exitValue: 41 })
    )
    run = await runMain('uk-missing-lib', {
      app: 'examples/hello-c',
      guest: 'unikraft',
      kernel,
      accel: 'tcg'
    })
    summary = await readFile(run.dirs.summary, 'utf8')
  }, 240_000)

  it('fails the step with the finding from the console, on Unikraft 0.16.3 from the banner', () => {
    expect({ code: run.main.code, signal: run.main.signal }).toEqual({ code: 1, signal: null })
    expect(run.outputs.verdict).toBe('fail')
    expect(run.outputs['unikraft-version']).toBe('0.16.3')
    const findings = JSON.parse(run.outputs.findings) as Finding[]
    expect(findings.find(f => f.id === 'loader.missing-library')?.detail).toBe('libc.so.6')
    expect(Number(run.outputs['boot-ms'])).toBeGreaterThan(0)
  })

  it('annotates the Dockerfile with the console evidence and the hint', () => {
    const [a] = annotations(run.main.stdout, 'error').filter(x =>
      x.props.title?.startsWith('loader.missing-library')
    )
    expect(a.props.file).toBe('examples/hello-c/Dockerfile')
    // The evidence is the loader's own console line; the hint says where to put the library.
    expect(a.message).toMatch(/libc\.so\.6/)
    expect(a.message).toContain('/lib/x86_64-linux-gnu')
  })

  it('says in the summary that the Linux baseline passes: a Unikraft gap, not a broken app', () => {
    expect(summary).toMatch(/compatibility gap/i)
    expect(summary).toContain('libc.so.6')
    expect(summary).toContain('```mermaid')
  })

  it('leaves the console log and no QEMU behind', async () => {
    expect(await readFile(run.outputs['console-log'], 'latin1')).toContain('libc.so.6')
    expect(await qemuProcesses(run.dirs.runnerTemp)).toEqual([])
  })
})
