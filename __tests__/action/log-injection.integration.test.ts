// Workflow-command injection: inputs carrying a newline and `::command::` or `##[command]` payloads
// reach the Actions log (the summary line, the probe log, the kernel path, error messages), and
// none of them may become a command the runner would execute. Lines are read the way the runner
// reads them (actions/runner ActionCommand: after leading blanks `::name ...::data`, or `##[` anywhere).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startResultsService, type ResultsServiceFake } from '../../__fixtures__/github-results-service.js'
import { escapeLogText } from '../../src/action/log-text.js'
import {
  bundleExists,
  MAIN_JS,
  makeRunnerDirs,
  removeRunnerDirs,
  REPO,
  runStep,
  stepEnv
} from './action-runner.js'

let fake: ResultsServiceFake
beforeAll(async () => {
  if (!bundleExists()) throw new Error('dist/main.js is missing: run `npm run bundle` first')
  fake = await startResultsService()
})
afterAll(async () => {
  await fake?.close()
})

/** Every command the runner would read from this output: [name, data]. */
function commandsIn(stdout: string): [string, string][] {
  const out: [string, string][] = []
  for (const raw of stdout.split(/\r?\n|\r/)) {
    const line = raw.trimStart()
    if (line.startsWith('::')) {
      const end = line.indexOf('::', 2)
      if (end > 0) {
        // The runner tries this form first; a line it reads so is not read again the older way.
        out.push([line.slice(2, end).split(' ')[0], line.slice(end + 2)])
        continue
      }
    }
    const v1 = raw.indexOf('##[')
    if (v1 >= 0)
      out.push([raw.slice(v1 + 3, raw.indexOf(']', v1)).split(' ')[0], raw.slice(raw.indexOf(']', v1) + 1)])
  }
  return out
}

const PAYLOAD = (tag: string): string =>
  `x\n::warning::INJECTED-${tag}\n  ::add-mask::INJECTED-${tag}\nrun ##[error]INJECTED-${tag}`

describe('escapeLogText', () => {
  it.each([
    ['::warning::a', '\u200b::warning::a'],
    ['  ::stop-commands::tok', '  \u200b::stop-commands::tok'],
    ['ok\n::add-mask::s\r\nend', 'ok\n\u200b::add-mask::s\r\nend'],
    ['see ##[error]x and ##[debug]y', 'see ##\u200b[error]x and ##\u200b[debug]y'],
    ['a :: in the middle is fine', 'a :: in the middle is fine']
  ])('%j', (input, escaped) => {
    expect(escapeLogText(input)).toBe(escaped)
    expect(commandsIn(escapeLogText(input))).toEqual([])
  })
})

describe('the bundled action with command payloads in its inputs', () => {
  it.each([
    [
      'cmd (program path: summary and preflight)',
      { app: 'examples/hello-c', guest: 'linux', accel: 'tcg', cmd: `'/${PAYLOAD('cmd')}'` }
    ],
    [
      'probe (logged as it runs)',
      {
        app: 'examples/hello-c',
        guest: 'linux',
        accel: 'tcg',
        probe: `console:/${PAYLOAD('probe').replace(/\n/g, ' ')}/`,
        timeout: '20s'
      }
    ],
    [
      'kernel (a path that does not exist)',
      { app: 'examples/hello-c', guest: 'unikraft', kernel: PAYLOAD('kernel') }
    ],
    ['env (a bad line)', { app: 'examples/hello-c', guest: 'linux', env: 'A=1\n::warning::INJECTED-env' }],
    [
      'artifact-name',
      {
        app: 'examples/hello-c',
        guest: 'linux',
        accel: 'tcg',
        'artifact-name': PAYLOAD('artifact'),
        'upload-logs': 'false'
      }
    ]
  ])(
    '%s: the payload reaches the log, no command comes of it',
    async (_name, inputs) => {
      const dirs = await makeRunnerDirs('inject')
      try {
        const main = await runStep(MAIN_JS, stepEnv({ dirs, workspace: REPO, fake, inputs }), REPO)
        expect(main.stdout).toMatch(/INJECTED-/)
        const injected = commandsIn(main.stdout).filter(
          ([name, data]) =>
            name.includes('INJECTED') ||
            data.startsWith('INJECTED') ||
            (['add-mask', 'stop-commands'].includes(name) && data.includes('INJECTED'))
        )
        expect(injected).toEqual([])
      } finally {
        await removeRunnerDirs(dirs)
      }
    },
    120_000
  )
})
