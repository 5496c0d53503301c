// No input ever reaches a shell. Every string input of the bundled action is given values built to
// run `touch` if any shell saw them ($(...), backticks, `;`, `&&`, `|`, quotes, newlines), in
// hostile file and directory names too; whatever the verdict, no marker file may appear. Two runs
// go all the way: a booted Linux-baseline guest that prints the argv and environment it received
// (they must arrive verbatim), and a Docker build from hostile paths.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startResultsService, type ResultsServiceFake } from '../../__fixtures__/github-results-service.js'
import { sanitizeArtifactName } from '../../src/action/artifacts.js'
import { INPUTS } from '../../src/engine/config/inputs.js'
import {
  bundleExists,
  MAIN_JS,
  makeRunnerDirs,
  POST_JS,
  qemuProcesses,
  readCommandFile,
  removeRunnerDirs,
  runStep,
  stepEnv,
  type RunnerDirs
} from './action-runner.js'

let fake: ResultsServiceFake
let root: string
/** Where every payload's `touch` would write: must stay empty. */
let marks: string
/** GITHUB_WORKSPACE and the steps' cwd, where payloads with relative paths would write. */
let workspace: string
const allDirs: RunnerDirs[] = []

/** Payloads for the input `tag`, each one a different way to make a shell run `touch`. */
const payloads = (tag: string): string[] => [
  `$(touch ${marks}/${tag}-dollar) \`touch ${marks}/${tag}-backtick\`; touch ${marks}/${tag}-semicolon && touch ${marks}/${tag}-and | touch ${marks}/${tag}-pipe`,
  `'"\ntouch ${marks}/${tag}-newline\n$(touch ${marks}/${tag}-dollar2)"' > ${marks}/${tag}-redirect`
]

// Hostile names for what must be files and directories (no `/` possible in a name: relative touches).
const HOSTILE_NAME = `x $(touch pwned-dollar) ; \`touch pwned-backtick\` 'q" && touch pwned-and`

async function workspaceEntries(): Promise<string[]> {
  return (await readdir(workspace)).sort()
}

beforeAll(async () => {
  if (!bundleExists()) throw new Error('dist/main.js or dist/post.js is missing: run `npm run bundle` first')
  fake = await startResultsService()
  root = await mkdtemp(path.join(os.tmpdir(), 'ukc-action-noshell-'))
  marks = path.join(root, 'marks')
  workspace = path.join(root, 'workspace')
  await mkdir(marks)
  await mkdir(path.join(workspace, 'empty-app'), { recursive: true })
})

afterAll(async () => {
  await fake?.close()
  for (const d of allDirs) await removeRunnerDirs(d)
  if (root) await rm(root, { recursive: true, force: true })
})

async function runMainAndPost(prefix: string, inputs: Record<string, string>) {
  const dirs = await makeRunnerDirs(prefix)
  allDirs.push(dirs)
  const main = await runStep(MAIN_JS, stepEnv({ dirs, workspace, fake, inputs }), workspace)
  const outputs = await readCommandFile(dirs.output)
  const state = await readCommandFile(dirs.state)
  const post = await runStep(POST_JS, stepEnv({ dirs, workspace, fake, inputs, state }), workspace)
  return { dirs, main, post, outputs }
}

describe('hostile values that pass validation, on a booted guest', () => {
  it('reach the guest verbatim (argv, environment) and run nothing on the host', async () => {
    // A directory root filesystem holding a static busybox, inside an app directory, both with hostile names.
    const app = HOSTILE_NAME
    const rootfsDir = path.join(app, `rootfs $(touch pwned-rootfs);'"`)
    await mkdir(path.join(workspace, rootfsDir, 'bin'), { recursive: true })
    await copyFile('/bin/busybox', path.join(workspace, rootfsDir, 'bin', 'busybox'))
    const config = path.join(app, `config $(touch pwned-config) ;'".yml`)
    await writeFile(path.join(workspace, config), 'timeout: 90s\n')

    const argvPayloads = payloads('cmd')
    const envPayloads = payloads('env')
    // POSIX words: single-quoted payloads arrive as one argument each; the unquoted tail splits into words.
    const quoted = argvPayloads.map(p => `'${p.replace(/'/g, `'\\''`)}'`).join(' ')
    const inputs = {
      app,
      config,
      rootfs: rootfsDir,
      guest: 'linux',
      accel: 'tcg',
      // The guest's own sh prints its arguments and environment: "$@" never re-evaluates them.
      cmd: `/bin/busybox sh -c 'printf "ARG<%s>\\n" "$@"; env' argv0 ${quoted} ; \`touch ${marks}/cmd-bare\` $(touch ${marks}/cmd-bare2)`,
      env: envPayloads.map((p, i) => `EVIL${i}=${p.replace(/\n/g, ' ')}`).join('\n'),
      probe: `exit:0\ncommand:/bin/echo ${payloads('probe')[0]} ; touch ${marks}/probe-semicolon`,
      'artifact-name': `artifact ${payloads('artifact')[0]} ; touch ${marks}/artifact-semicolon '"`
    }
    const { dirs, main, post, outputs } = await runMainAndPost('noshell-vm', inputs)

    expect(await readdir(marks)).toEqual([])
    expect(await workspaceEntries()).toEqual(['empty-app', app].sort())
    expect((await readdir(path.join(workspace, app))).sort()).toEqual(
      [path.basename(config), path.basename(rootfsDir)].sort()
    )

    // The guest ran and printed exactly what it was given.
    // The serial console ends lines in CRLF.
    const consoleText = (await readFile(outputs['console-log'], 'utf8')).replace(/\r\n/g, '\n')
    for (const p of argvPayloads) expect(consoleText).toContain(`ARG<${p}>`)
    for (const word of [';', '`touch', `${marks}/cmd-bare\``, '$(touch', `${marks}/cmd-bare2)`])
      expect(consoleText).toContain(`ARG<${word}>`)
    envPayloads.forEach((p, i) => expect(consoleText).toContain(`EVIL${i}=${p.replace(/\n/g, ' ')}`))
    expect(outputs.verdict).toBe('pass')
    expect(main.code).toBe(0)
    expect(post.code).toBe(0)

    // The artifact name lost only the characters GitHub refuses.
    const stored = fake.artifacts().filter(a => String(a.id) === outputs['artifact-id'])
    expect(stored.map(a => a.name)).toEqual([sanitizeArtifactName(inputs['artifact-name'])])
    expect(await qemuProcesses(dirs.runnerTemp)).toEqual([])
  }, 150_000)
})

describe('hostile paths into a Docker build', () => {
  it('build from a hostile context and Dockerfile name, with hostile build args, and run nothing', async () => {
    const app = `docker ${HOSTILE_NAME}`
    await mkdir(path.join(workspace, app))
    await copyFile('/bin/busybox', path.join(workspace, app, 'busybox'))
    const dockerfile = path.join(app, `$(touch pwned-dockerfile);'".Dockerfile`)
    await writeFile(path.join(workspace, dockerfile), 'FROM scratch\nARG EVIL\nCOPY busybox /bin/busybox\n')
    const buildArg = JSON.stringify(payloads('buildarg')[0])
    await writeFile(path.join(workspace, app, 'unikraft-compat.yml'), `build-args:\n  EVIL: ${buildArg}\n`)
    // A program that is not in the image: preflight stops the run after the build, before any boot.
    const inputs = {
      app,
      rootfs: dockerfile,
      guest: 'linux',
      cmd: `/no-such-program ${payloads('dockercmd')[0]}`
    }
    const { main, post, outputs } = await runMainAndPost('noshell-docker', inputs)

    expect(await readdir(marks)).toEqual([])
    expect((await readdir(path.join(workspace, app))).sort()).toEqual(
      [path.basename(dockerfile), 'busybox', 'unikraft-compat.yml'].sort()
    )
    expect(await workspaceEntries()).not.toContainEqual(expect.stringMatching(/^pwned/))
    // The build ran (it produced a manifest) and the verdict rests on the missing program.
    expect(JSON.parse(await readFile(outputs['result-file'], 'utf8'))).toMatchObject({
      verdict: 'fail',
      rootfs: { kind: 'dockerfile' }
    })
    expect(main.code).toBe(1)
    expect(post.code).toBe(0)
  }, 240_000)
})

describe('every string input, one hostile value at a time', () => {
  // The rest of the run stops early (an empty app directory has no root filesystem), so no VM starts.
  const cases = INPUTS.flatMap(input =>
    payloads(input.name).map((value, i) => [input.name, i, value] as const)
  )

  it(`no value of any input runs anything (${INPUTS.length} inputs, 2 payloads each)`, async () => {
    const results: { input: string; i: number; code: number | null }[] = []
    const queue = [...cases]
    const worker = async (): Promise<void> => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const [input, i, value] = c
        const dirs = await makeRunnerDirs('noshell')
        allDirs.push(dirs)
        const inputs = { app: 'empty-app', guest: 'linux', [input]: value }
        const main = await runStep(MAIN_JS, stepEnv({ dirs, workspace, fake, inputs }), workspace)
        results.push({ input, i, code: main.code })
      }
    }
    await Promise.all([worker(), worker(), worker()])

    expect(results).toHaveLength(cases.length)
    // Each step ended by itself (no signal); what the verdict was does not matter here.
    expect(results.filter(r => r.code === null)).toEqual([])
    expect(await readdir(marks)).toEqual([])
    expect(await workspaceEntries()).not.toContainEqual(expect.stringMatching(/^pwned/))
  }, 150_000)
})
