// A cancelled or killed main step, as the runner does it (SIGINT/SIGTERM, finally SIGKILL): main
// ends, the post step stops any QEMU it left (through the pid file), uploads the logs main did not
// get to, and afterwards no QEMU of ours runs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startResultsService, type ResultsServiceFake } from '../../__fixtures__/github-results-service.js'
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
  startStep,
  runStep,
  stepEnv,
  waitFor,
  type RunnerDirs,
  type StepRun
} from './action-runner.js'

let fake: ResultsServiceFake
const allDirs: RunnerDirs[] = []

/** Processes whose command line mentions `marker` (what a killed main may leave: QEMU, docker). */
async function processesMentioning(marker: string): Promise<number[]> {
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.split('\0').some(a => a.includes(marker))) pids.push(Number(entry))
  }
  return pids
}

/** The runner's last resort after a cancel: kill what is left of the step's process tree. */
async function killLeftovers(marker: string): Promise<void> {
  for (const pid of await processesMentioning(marker)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

beforeAll(async () => {
  if (!bundleExists()) throw new Error('dist/main.js or dist/post.js is missing: run `npm run bundle` first')
  fake = await startResultsService()
})

afterAll(async () => {
  for (const d of allDirs) await killLeftovers(d.root)
  await fake?.close()
  for (const d of allDirs) await removeRunnerDirs(d)
})

// redis serves, but the probe waits for a port nothing listens on: the run would go on for minutes.
const HANGING = {
  app: 'examples/redis-local',
  guest: 'linux',
  accel: 'tcg',
  probe: 'tcp:1234',
  timeout: '5m'
}

/** Starts main on the hanging run and waits until its QEMU is up and redis is serving in the guest. */
async function startHangingMain(prefix: string) {
  const dirs = await makeRunnerDirs(prefix)
  allDirs.push(dirs)
  // Artifact names are unique within a workflow run (the fake, like GitHub, refuses a second one).
  const inputs = { ...HANGING, 'artifact-name': `ukc-${prefix}` }
  const step = startStep(MAIN_JS, stepEnv({ dirs, workspace: REPO, fake, inputs }), REPO)
  const qemu = await waitFor('QEMU started by main', 90_000, async () => {
    const pids = await qemuProcesses(dirs.runnerTemp)
    return pids.length > 0 ? pids : undefined
  })
  const state = await readCommandFile(dirs.state)
  const outDir = (JSON.parse(state['unikraft-compat']) as { outDir: string }).outDir
  await waitFor('redis serving in the guest', 90_000, async () => {
    const text = await readFile(path.join(outDir, 'console.log'), 'utf8').catch(() => '')
    return text.includes('Ready to accept connections') ? true : undefined
  })
  return { dirs, step, qemu, outDir, inputs }
}

async function expectLogsUploadedByPost(
  dirs: RunnerDirs,
  outDir: string,
  inputs: Record<string, string>
): Promise<StepRun> {
  const state = await readCommandFile(dirs.state)
  expect(state['unikraft-compat-uploaded']).toBeUndefined()
  const before = fake.artifacts().length
  const post = await runStep(POST_JS, stepEnv({ dirs, workspace: REPO, fake, inputs, state }), REPO)
  expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
  expect(annotations(post.stdout, 'error')).toEqual([])

  const added = fake.artifacts().slice(before)
  expect(added.map(a => a.name)).toEqual([inputs['artifact-name']])
  const consoleEntry = readZip(added[0].data).find(e => e.name === 'console.log')
  expect(consoleEntry?.data.toString('utf8')).toContain('Ready to accept connections')
  expect(consoleEntry?.data.equals(await readFile(path.join(outDir, 'console.log')))).toBe(true)
  expect(await qemuProcesses(dirs.runnerTemp)).toEqual([])
  return post
}

describe('a cancelled main (SIGTERM while the guest runs)', () => {
  it('stops its VM and ends; post uploads the logs; no QEMU remains', async () => {
    const { dirs, step, outDir, inputs } = await startHangingMain('cancel-term')
    const before = fake.artifacts().length
    step.child.kill('SIGTERM')
    const main = await step.done

    expect(main.signal).toBe('SIGTERM')
    expect(await readCommandFile(dirs.output)).toEqual({})
    expect(fake.artifacts().length).toBe(before)
    // The engine wrote its result before the step ended: the run was interrupted, not failed.
    const result = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as {
      verdict: string
      error: { kind: string; message: string }
      baseline: unknown
    }
    expect(result).toMatchObject({ verdict: 'error', error: { kind: 'interrupted' }, baseline: null })
    expect(await qemuProcesses(dirs.runnerTemp)).toEqual([])
    await expectLogsUploadedByPost(dirs, outDir, inputs)
  }, 150_000)
})

describe('a killed main (SIGKILL while the guest runs)', () => {
  it('leaves QEMU running; post kills it through the pid file (with a warning) and uploads the logs', async () => {
    const { dirs, step, qemu, outDir, inputs } = await startHangingMain('cancel-kill')
    step.child.kill('SIGKILL')
    const main = await step.done
    expect(main.signal).toBe('SIGKILL')
    // The premise: nothing stopped this QEMU but the post step can.
    expect(await qemuProcesses(dirs.runnerTemp)).toEqual(qemu)
    expect(await readFile(path.join(outDir, 'qemu.pid'), 'utf8')).toMatch(new RegExp(`^${qemu[0]}\\n`))

    const post = await expectLogsUploadedByPost(dirs, outDir, inputs)
    expect(annotations(post.stdout, 'warning').map(a => a.message)).toContain(
      `stopped a VM main left running (pid ${qemu[0]})`
    )
  }, 150_000)
})

describe('a cancelled main before any VM (SIGTERM during the Docker build)', () => {
  it('ends at once instead of running the check on', async () => {
    const dirs = await makeRunnerDirs('cancel-build')
    allDirs.push(dirs)
    const workspace = path.join(dirs.root, 'workspace')
    await mkdir(path.join(workspace, 'slow'), { recursive: true })
    // A build step that takes long and is never cached (the nonce), from the locally imported base image.
    await writeFile(
      path.join(workspace, 'slow', 'Dockerfile'),
      `FROM debian:bookworm-slim\nRUN sleep 60 && echo ${randomUUID()}\nCMD ["/bin/true"]\n`
    )
    const inputs = { app: 'slow', guest: 'linux', accel: 'tcg' }
    const step = startStep(MAIN_JS, stepEnv({ dirs, workspace, fake, inputs }), workspace)
    await waitFor('docker build started by main', 60_000, async () => {
      const pids = await processesMentioning(path.join(workspace, 'slow', 'Dockerfile'))
      return pids.length > 0 ? pids : undefined
    })
    step.child.kill('SIGTERM')
    const main = await step.done
    await killLeftovers(dirs.root)

    // Swallowing the signal would have let the build finish and the guest boot: a verdict and exit code.
    expect({ code: main.code, signal: main.signal }).toEqual({ code: null, signal: 'SIGTERM' })
    expect(await readCommandFile(dirs.output)).toEqual({})
    expect(await qemuProcesses(dirs.runnerTemp)).toEqual([])

    const state = await readCommandFile(dirs.state)
    const outDir = (JSON.parse(state['unikraft-compat']) as { outDir: string }).outDir
    const result = JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as { error: unknown }
    expect(result.error).toEqual({
      kind: 'interrupted',
      message: 'interrupted by SIGTERM during the Docker build'
    })
    const post = await runStep(POST_JS, stepEnv({ dirs, workspace, fake, inputs, state }), workspace)
    expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
  }, 150_000)
})

describe('a killed main during the Docker build (SIGKILL: no cleanup of its own)', () => {
  it('post leaves no docker build running and removes the scratch directory main left', async () => {
    const dirs = await makeRunnerDirs('kill-build')
    allDirs.push(dirs)
    const workspace = path.join(dirs.root, 'workspace')
    await mkdir(path.join(workspace, 'slow'), { recursive: true })
    const dockerfile = path.join(workspace, 'slow', 'Dockerfile')
    await writeFile(
      dockerfile,
      `FROM debian:bookworm-slim\nRUN sleep 120 && echo ${randomUUID()}\nCMD ["/bin/true"]\n`
    )
    // Artifact names are unique within a workflow run (the fake, like GitHub, refuses a second one).
    const inputs = { app: 'slow', guest: 'linux', accel: 'tcg', 'artifact-name': 'ukc-kill-build' }
    const step = startStep(MAIN_JS, stepEnv({ dirs, workspace, fake, inputs }), workspace)
    await waitFor('docker build started by main', 60_000, async () => {
      const pids = await processesMentioning(dockerfile)
      return pids.length > 0 ? pids : undefined
    })
    const scratch = async (): Promise<string[]> =>
      (await readdir(dirs.runnerTemp)).filter(n => /^unikraft-compat-[A-Za-z0-9]{6}$/.test(n))
    step.child.kill('SIGKILL')
    await step.done
    // The premise: main is gone and its scratch directory is not. (Its docker client may outlive it,
    // or die of the closed pipe: post stops it through docker-build.pid when it is still there.)
    expect((await scratch()).length).toBe(1)

    const state = await readCommandFile(dirs.state)
    const post = await runStep(POST_JS, stepEnv({ dirs, workspace, fake, inputs, state }), workspace)
    expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
    for (const w of annotations(post.stdout, 'warning')) {
      expect(w.message).toMatch(/^stopped a docker build main left running \(pid \d+\)$/)
    }
    expect(
      await waitFor('no docker build left', 10_000, async () =>
        (await processesMentioning(dockerfile)).length === 0 ? true : undefined
      )
    ).toBe(true)
    expect(await scratch()).toEqual([])
  }, 150_000)
})
