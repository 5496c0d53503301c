// The command line as a user meets it: help, usage errors and their exit codes, and each subcommand
// on real files. `run` is exercised on the broken example (fails before boot) and in --json mode.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli/main.js'
import { createCapturingTerminal } from '../../src/cli/terminal.js'
import { INPUTS } from '../../src/engine/config/inputs.js'
import { TOOL_VERSION } from '../../src/engine/version.js'
import { buildProbeKernel } from '../../src/engine/vm/probe-kernel.js'

const root = new URL('../..', import.meta.url).pathname
const fixtures = join(root, '__fixtures__/unikraft-logs')
let work: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ukc-cli-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

async function cli(args: string[], opts: { colour?: boolean } = {}) {
  const term = createCapturingTerminal({ colour: opts.colour ?? false })
  const code = await main(args, term)
  return { code, stdout: term.stdout, stderr: term.stderr }
}

describe('help and usage', () => {
  it('--help lists every subcommand', async () => {
    const r = await cli(['--help'])
    expect(r.code).toBe(0)
    for (const c of ['run', 'diagnose', 'rootfs pack', 'rootfs ls', 'matrix', 'setup'])
      expect(r.stdout).toContain(c)
  })
  it('run --help lists every action input as an option, with an example', async () => {
    const r = await cli(['run', '--help'])
    expect(r.code).toBe(0)
    for (const i of INPUTS) expect(r.stdout).toContain(`--${i.name} ${i.metavar}`)
    expect(r.stdout).toContain('Examples:')
  })
  it.each(['diagnose', 'rootfs', 'matrix', 'setup'])('%s --help shows usage and an example', async cmd => {
    const r = await cli([cmd, '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: unikraft-compat/)
    expect(r.stdout).toMatch(/Examples?:/)
  })
  it('--version prints the version', async () => {
    expect((await cli(['--version'])).stdout).toBe(`unikraft-compat ${TOOL_VERSION}\n`)
  })
  it('package.json carries the same version', () => {
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version).toBe(TOOL_VERSION)
  })
  it('a wrong option exits 2 naming it', async () => {
    const r = await cli(['run', '--memroy', '1G'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("Unknown option '--memroy'")
  })
  it('an unknown command exits 2 naming it', async () => {
    const r = await cli(['boot'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("Unknown command 'boot'")
  })
  it('a wrong value exits 2 naming the input and the accepted form, before anything runs', async () => {
    const r = await cli(['run', 'examples/redis-local', '--memory', '12 parsecs'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      "Input 'memory' must be a size like 256M or 1G (at least 8M), got '12 parsecs'"
    )
  })
  it('the bundled CLI exits with the same codes as a process', () => {
    const bin = join(root, 'dist/cli.js')
    expect(spawnSync(process.execPath, [bin, '--help']).status).toBe(0)
    const bad = spawnSync(process.execPath, [bin, 'run', '--nope'], { encoding: 'utf8' })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("Unknown option '--nope'")
  })
})

describe('diagnose', () => {
  it('prints findings and exits 1 on an error finding', async () => {
    const r = await cli(['diagnose', join(fixtures, 'elfloader-missing-lib.log')])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('loader.missing-library (libc.so.6)')
    expect(r.stdout).toContain('hint:')
  })
  it('--json prints exactly the findings document and exits 0 on a clean log', async () => {
    const r = await cli(['diagnose', join(fixtures, 'helloworld-tcg.log'), '--json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(Object.keys(doc)).toEqual(['findings'])
    expect(Object.keys(doc.findings[0]).sort()).toEqual([
      'detail',
      'evidence',
      'hint',
      'id',
      'line',
      'severity'
    ])
    expect(doc.findings.map((f: { id: string }) => f.id)).toContain('boot.banner')
  })
  it('a missing log exits 2', async () => {
    const r = await cli(['diagnose', join(work, 'nope.log')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("Input 'LOG' must be a readable console log file")
  })
})

describe('rootfs pack and ls', () => {
  it('packs a directory and lists it back (GNU cpio agrees)', async () => {
    const dir = join(work, 'tree')
    mkdirSync(join(dir, 'etc'), { recursive: true })
    writeFileSync(join(dir, 'etc/hello.txt'), 'hi\n')
    const out = join(work, 'tree.cpio')
    expect((await cli(['rootfs', 'pack', dir, out])).code).toBe(0)
    const ls = await cli(['rootfs', 'ls', out])
    expect(ls.code).toBe(0)
    expect(ls.stdout).toMatch(/-rw-r--r-- +3 etc\/hello.txt/)
    const gnu = spawnSync('cpio', ['-it'], { input: readFileSync(out), encoding: 'utf8' })
    expect(gnu.stdout.split('\n')).toContain('etc/hello.txt')
  })
  it('ls of a file that is not a cpio archive exits 2', async () => {
    const r = await cli(['rootfs', 'ls', join(root, 'package.json')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('is not a cpio archive')
  })
})

describe('run', () => {
  it('on the broken example exits 1 with the finding and its hint on screen', async () => {
    const r = await cli([
      'run',
      'examples/broken-missing-lib',
      '--guest',
      'linux',
      '--out',
      join(work, 'broken')
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('FAIL')
    expect(r.stdout).toContain('loader.missing-library')
    expect(r.stdout).toContain('libstdc++.so.6')
    expect(r.stdout).toContain('hint:')
    expect(r.stdout).not.toMatch(/\x1b\[/)
  }, 300_000)
  it('--kernel checks on Unikraft: a kernel failing like the real ELF loader exits 1 with the finding', async () => {
    // A tiny multiboot kernel that prints the real elfloader-static-nopie console log and halts.
    const log = readFileSync(join(fixtures, 'elfloader-static-nopie.log'), 'latin1')
    const kernel = join(work, 'elfloader_qemu-x86_64')
    writeFileSync(
      kernel,
      buildProbeKernel({ message: log.slice(log.indexOf('Powered by')), then: 'exit', exitValue: 41 })
    )
    const app = join(work, 'nopie-app')
    mkdirSync(app)
    const r = await cli([
      'run',
      app,
      '--kernel',
      kernel,
      '--cmd',
      '/hello-nopie',
      '--accel',
      'tcg',
      '--baseline',
      'never',
      '--out',
      join(work, 'nopie-out')
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^FAIL +nopie-app on Unikraft 0\.16\.3 \(Telesto\) under TCG/m)
    expect(r.stdout).toContain('loader.not-pie')
    expect(r.stdout).toMatch(/hint: +.*PIE/)
  }, 120_000)

  it('--json prints only the result JSON on stdout', async () => {
    const r = await cli([
      'run',
      'examples/broken-missing-lib',
      '--guest',
      'linux',
      '--json',
      '--out',
      join(work, 'broken-json')
    ])
    expect(r.code).toBe(1)
    const result = JSON.parse(r.stdout)
    expect(result.verdict).toBe('fail')
    expect(result.schemaVersion).toBe(2)
    expect(readFileSync(join(work, 'broken-json', 'result.json'), 'utf8')).toContain(
      '"loader.missing-library"'
    )
  }, 300_000)
})

describe('matrix', () => {
  it('aggregates result files into matrix.md, matrix.json and matrix.svg', async () => {
    const results = join(work, 'broken-json')
    const out = join(work, 'matrix')
    const r = await cli(['matrix', results, '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('broken-missing-lib')
    expect(readFileSync(join(out, 'matrix.svg'), 'utf8')).toMatch(/^<svg|<\?xml/)
    expect(JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8')).apps).toEqual([
      'examples/broken-missing-lib'
    ])
  })

  it('shows expected cells that left no result, naming apps by their directory like a run does', async () => {
    const results = join(work, 'broken-json')
    const out = join(work, 'matrix-expected')
    const r = await cli([
      'matrix',
      results,
      '--out',
      out,
      '--expect-app',
      'examples/broken-missing-lib/',
      '--expect-app',
      'examples/redis',
      '--expect-version',
      'latest'
    ])
    expect(r.code).toBe(0)
    const m = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8'))
    expect(m.apps).toEqual(['examples/broken-missing-lib', 'examples/redis'])
    expect(m.missing).toContainEqual({ app: 'examples/redis', version: 'latest' })
    expect(r.stdout).toMatch(/\| examples\/redis .*no result/)
  })

  it('refuses --expect-app without --expect-version, naming the missing option', async () => {
    const r = await cli(['matrix', join(work, 'broken-json'), '--expect-app', 'examples/redis'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--expect-version')
  })
})
