// The bundled action given one wrong input value at a time: it must stop right after reading its
// inputs with exactly one error that names the input and the accepted form, before any check
// starts (no scratch directory, no run directory, no Docker build, no VM).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { startResultsService, type ResultsServiceFake } from '../../__fixtures__/github-results-service.js'
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
  stepEnv
} from './action-runner.js'

let fake: ResultsServiceFake

beforeAll(async () => {
  if (!bundleExists()) throw new Error('dist/main.js or dist/post.js is missing: run `npm run bundle` first')
  fake = await startResultsService()
})

afterAll(async () => {
  await fake?.close()
})

// [input, wrong value, the input as the message names it, the accepted form it states]
const CASES: [string, string, string, string][] = [
  ['memory', 'bogus', 'memory', 'a size like 256M or 1G'],
  ['memory', '4M', 'memory', 'a size like 256M or 1G (at least 8M)'],
  ['timeout', 'forever', 'timeout', 'a duration like 60s, 2m'],
  ['timeout', '-5s', 'timeout', 'a duration like 60s, 2m'],
  ['guest', 'windows', 'guest', 'one of unikraft, linux'],
  ['accel', 'hvf', 'accel', 'one of auto, kvm, tcg'],
  ['ports', 'http', 'ports', 'a TCP port from 1 to 65535'],
  ['ports', '70000', 'ports', 'a TCP port from 1 to 65535'],
  ['probe', 'ftp:21', 'probe[1]', 'one of redis[:PORT]'],
  ['probe', 'redis:6379\ntcp:notaport', 'probe[2]', 'tcp:PORT'],
  ['fail-on', 'warning', 'fail-on', 'one of error, never'],
  ['upload-logs', 'maybe', 'upload-logs', 'true or false'],
  ['unikraft-version', 'v0.17.0', 'unikraft-version', 'latest or a release like'],
  ['unikraft-version', '0.17', 'unikraft-version', 'latest or a release like'],
  ['baseline', 'sometimes', 'baseline', 'one of auto, always, never'],
  ['trace', 'sometimes', 'trace', 'one of auto, always, never'],
  ['runner', 'docker', 'runner', 'one of qemu, kraft'],
  ['arch', 'arm64', 'arch', 'one of x86_64'],
  ['kraftkit-version', '../../etc', 'kraftkit-version', 'a KraftKit release like'],
  ['env', 'NO_EQUALS_SIGN', 'env', 'lines of NAME=value'],
  ['cmd', '"unbalanced', 'cmd', 'words split like a POSIX shell does'],
  ['allow', 'not an id!', 'allow', 'finding ids like'],
  ['app', 'no/such/dir', 'app', 'a directory'],
  ['config', 'missing.yml', 'config', 'an existing YAML file']
]

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('one wrong input', () => {
  it.each(CASES)(
    '%s: %j ends in one error naming it and the accepted form, before any check',
    async (input, value, named, accepted) => {
      const dirs = await makeRunnerDirs('bad')
      try {
        // Everything else is a run that would pass: only the wrong value stops it.
        const inputs = { app: 'examples/redis-local', guest: 'linux', [input]: value }
        const main = await runStep(MAIN_JS, stepEnv({ dirs, workspace: REPO, fake, inputs }), REPO)

        expect({ code: main.code, signal: main.signal }).toEqual({ code: 1, signal: null })
        const all = annotations(main.stdout)
        expect(all).toHaveLength(1)
        expect(all[0].level).toBe('error')
        expect(all[0].message).toMatch(
          new RegExp(`^Input '${escapeRe(named)}' must be ${escapeRe(accepted)}`)
        )
        // Nothing started: no outputs, no state for post, no run directory, no scratch directory, no VM.
        expect(await readCommandFile(dirs.output)).toEqual({})
        expect(await readCommandFile(dirs.state)).toEqual({})
        expect(existsSync(path.join(dirs.runnerTemp, 'unikraft-compat'))).toBe(false)
        expect(await readdir(dirs.tmp)).toEqual([])
        expect(await qemuProcesses(dirs.runnerTemp)).toEqual([])

        // The post step of such a job has nothing to do and says so.
        const post = await runStep(POST_JS, stepEnv({ dirs, workspace: REPO, fake, inputs, state: {} }), REPO)
        expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
        expect(annotations(post.stdout)).toEqual([])
      } finally {
        await removeRunnerDirs(dirs)
      }
    }
  )

  it('uploads nothing for any of them', () => {
    expect(fake.artifacts()).toEqual([])
    expect(fake.requests).toEqual([])
  })
})
