// The bundled post step on its own, given the state a main step may leave: none, a damaged one, or
// caches to save (KraftKit, built kernels) with a working and with a failing results service. Its
// problems are warnings: it always exits 0. Also the run directory's name main derives.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startResultsService, type ResultsServiceFake } from '../../__fixtures__/github-results-service.js'
import { runDirName } from '../../src/action/main.js'
import {
  annotations,
  bundleExists,
  makeRunnerDirs,
  POST_JS,
  removeRunnerDirs,
  runStep,
  stepEnv,
  type RunnerDirs
} from './action-runner.js'

let fake: ResultsServiceFake
let dirs: RunnerDirs
let workspace: string

beforeAll(() => {
  if (!bundleExists()) throw new Error('dist/main.js or dist/post.js is missing: run `npm run bundle` first')
})

beforeEach(async () => {
  fake = await startResultsService()
  dirs = await makeRunnerDirs('post')
  workspace = path.join(dirs.root, 'workspace')
  await mkdir(path.join(workspace, '.kraftkit', 'bin'), { recursive: true })
  await writeFile(path.join(workspace, '.kraftkit', 'bin', 'kraft'), '#!/bin/sh\necho kraft\n', {
    mode: 0o755
  })
})

afterEach(async () => {
  await fake?.close()
  if (dirs) await removeRunnerDirs(dirs)
})

const runPost = (state: Record<string, string>) =>
  runStep(POST_JS, stepEnv({ dirs, workspace, fake, state }), workspace)

/** What main saves when it started a check but uploaded nothing (uploads off here, to look at caches alone). */
const mainState = (persist: { paths: string[]; key: string }[]): Record<string, string> => ({
  'unikraft-compat': JSON.stringify({
    outDir: path.join(dirs.runnerTemp, 'unikraft-compat', 'run'),
    artifactName: 'run',
    uploadLogs: false,
    persist
  })
})

describe('the post step', () => {
  it.each([
    ['no state (main stopped at its inputs)', {}],
    ['a damaged state', { 'unikraft-compat': '{"outDir": ' }]
  ])('with %s: exits 0, says there is nothing to clean up, calls no service', async (_, state) => {
    const post = await runPost(state)
    expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
    expect(post.stdout).toContain('main did not start a check; nothing to clean up')
    expect(annotations(post.stdout)).toEqual([])
    expect(fake.requests).toEqual([])
  })

  it('saves the caches main asked for', async () => {
    const key = 'unikraft-compat-kraftkit-0.11.6-x86_64-test'
    const post = await runPost(mainState([{ paths: ['.kraftkit'], key }]))
    expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
    expect(annotations(post.stdout)).toEqual([])
    expect(fake.cacheEntries().map(e => e.key)).toEqual([key])
    expect(fake.cacheEntries()[0].size).toBeGreaterThan(0)
  })

  it('turns a cache service answering 500 into warnings and still exits 0', async () => {
    fake.failWith({ status: 500 })
    const post = await runPost(
      mainState([{ paths: ['.kraftkit'], key: 'unikraft-compat-kernel-0.17.0-test' }])
    )
    expect({ code: post.code, signal: post.signal }).toEqual({ code: 0, signal: null })
    expect(annotations(post.stdout, 'error')).toEqual([])
    expect(annotations(post.stdout, 'warning').length).toBeGreaterThan(0)
    expect(fake.requests.some(r => r.status === 500)).toBe(true)
    expect(fake.cacheEntries()).toEqual([])
  }, 90_000)
})

describe('runDirName', () => {
  it.each([
    ['unikraft-compat-redis-local-latest-linux-x86_64'],
    ['unikraft-compat-examples-nginx-0.17.0-unikraft-x86_64'],
    ['my.artifact_1']
  ])('keeps a plain artifact name as it is: %s', name => {
    expect(runDirName(name)).toBe(name)
  })

  it.each([
    ['with spaces and quotes', `art $(touch x) 'q"`],
    ['very long', 'a'.repeat(300)],
    ['only forbidden characters', '$$$'],
    ['a leading dot', '..hidden'],
    ['non-ASCII', 'résumé-日本']
  ])('makes a name %s a short, safe directory name', (_, name) => {
    const dir = runDirName(name)
    expect(dir).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/)
    expect(dir).not.toBe(name)
  })

  it('keeps different names apart, also when they differ only in what is replaced or cut', () => {
    const names = ['a b', 'a-b', 'a;b', 'x'.repeat(100) + '1', 'x'.repeat(100) + '2']
    expect(new Set(names.map(runDirName)).size).toBe(names.length)
  })
})
