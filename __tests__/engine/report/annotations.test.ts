import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CheckOptions } from '../../../src/engine/config/check-options.js'
import type { RawInputs } from '../../../src/engine/config/inputs.js'
import { resolveCheckOptions } from '../../../src/engine/config/resolve.js'
import type { Finding } from '../../../src/engine/finding.js'
import {
  MAX_ANNOTATIONS_PER_LEVEL,
  planAnnotations,
  type AnnotationContext
} from '../../../src/engine/report/annotations.js'
import { dockerfileLineFor, parseDockerfile } from '../../../src/engine/report/dockerfile-lines.js'
import { bannerNote, missingLibFinding } from './results.js'

// The catalog's binary-compatibility shape (examples/*/Dockerfile): a build stage, then FROM scratch.
const DOCKERFILE = `FROM debian:bookworm-slim AS build
RUN apt-get update && \\
    apt-get install -y --no-install-recommends redis-server

# The root filesystem: the binary, its libraries and the loader.
FROM scratch
COPY --from=build /usr/bin/redis-server /usr/bin/redis-server
COPY --from=build /lib/x86_64-linux-gnu/libc.so.6 \\
     /lib/x86_64-linux-gnu/libm.so.6 \\
     /lib/x86_64-linux-gnu/
COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2
COPY redis.conf /etc/redis/redis.conf
`

const CONFIG = `# unikraft-compat.yml
cmd: ["/usr/bin/redis-server", "/etc/redis/redis.conf"]
memory: 256M
ports: [6379]
probes:
  - redis:6379
  - kind: http
    port: 8080
    path: /health
  - console:Ready to accept connections
allow:
  - process.fork-unsupported
`

const finding = (over: Partial<Finding>): Finding => ({ ...missingLibFinding(), ...over })

describe('Dockerfile lines', () => {
  it('joins continuation lines and keeps the line where each instruction starts', () => {
    expect(parseDockerfile(DOCKERFILE).map(i => [i.line, i.keyword])).toEqual([
      [1, 'FROM'],
      [2, 'RUN'],
      [6, 'FROM'],
      [7, 'COPY'],
      [8, 'COPY'],
      [11, 'COPY'],
      [12, 'COPY']
    ])
  })

  it.each<[string, Partial<Finding>, number]>([
    [
      'a missing library: the COPY of the program that needs it',
      {
        detail: 'libssl.so.3',
        evidence:
          'redis-server: error while loading shared libraries: libssl.so.3: cannot open shared object file'
      },
      7
    ],
    [
      'a library the final stage copies (wrong version): that COPY',
      { detail: 'libm.so.6', evidence: 'x' },
      8
    ],
    [
      'the dynamic loader, by its path',
      { id: 'loader.missing-interpreter', detail: '/lib64/ld-linux-x86-64.so.2' },
      11
    ],
    [
      'a non-PIE program, by the path in the evidence',
      {
        id: 'loader.not-pie',
        detail: null,
        evidence: '/usr/bin/redis-server: ELF executable is not position-independent!'
      },
      7
    ],
    [
      'a program nothing copies: the FROM scratch line',
      {
        id: 'loader.missing-executable',
        detail: '/usr/bin/valkey-server',
        evidence: 'valkey-server: Failed to execute /usr/bin/valkey-server'
      },
      6
    ],
    [
      'a file name that only appears in the build stage: the final stage',
      { detail: 'redis-tools', evidence: 'no' },
      6
    ]
  ])('points %s', (_name, over, line) => {
    expect(dockerfileLineFor(DOCKERFILE, finding(over))).toBe(line)
  })

  it('does not take a name that is only part of a path component', () => {
    // `libc.so.6` must not match `libc.so.61`.
    const text = 'FROM scratch\nCOPY /lib/libc.so.61 /lib/\n'
    expect(dockerfileLineFor(text, finding({ detail: 'libc.so.6', evidence: 'x' }))).toBe(1)
  })

  it('honours an `# escape=` parser directive', () => {
    const text = '# escape=`\nFROM scratch\nCOPY a `\n  /usr/bin/hello /\n'
    expect(dockerfileLineFor(text, finding({ detail: '/usr/bin/hello', evidence: 'x' }))).toBe(3)
  })

  it('gives no line for a Dockerfile without instructions', () => {
    expect(dockerfileLineFor('# nothing\n', missingLibFinding())).toBeNull()
  })
})

const CONFIG_FILE = 'examples/redis/unikraft-compat.yml'
const scratch: string[] = []
afterAll(() => scratch.forEach(dir => rmSync(dir, { recursive: true, force: true })))

/** The options the resolver makes of a config file (and inputs): origins and probes as the action has them. */
async function resolved(configText: string, inputs: RawInputs = {}): Promise<CheckOptions> {
  const dir = mkdtempSync(join(tmpdir(), 'ukc-annotations-'))
  scratch.push(dir)
  writeFileSync(join(dir, 'unikraft-compat.yml'), configText)
  return resolveCheckOptions({ app: dir, ...inputs }, { cwd: dir })
}

/** Where the one annotation of `f` points, and its message. */
async function placed(
  f: Partial<Finding>,
  configText: string,
  inputs: RawInputs = {}
): Promise<{ at: [string | undefined, number | undefined, number | undefined]; message: string }> {
  const ctx: AnnotationContext = { configFile: CONFIG_FILE, options: await resolved(configText, inputs) }
  const [a] = planAnnotations([finding(f)], ctx).annotations
  return { at: [a.file, a.startLine, a.startColumn], message: a.message }
}

const probeFinding = (over: Partial<Finding>): Partial<Finding> => ({
  id: 'probe.failed',
  source: 'probe',
  detail: null,
  ...over
})
const OOM: Partial<Finding> = { id: 'memory.out-of-memory', detail: null }

describe('config lines (from the resolved options)', () => {
  it.each<[string, Partial<Finding>, number, number]>([
    ['by index', { data: { index: 1 } }, 7, 5],
    ['by target text', { data: { target: 'console:/Ready to accept connections/' } }, 10, 5],
    ['by detail', { detail: 'redis:6379' }, 6, 5],
    ['an object entry, by its canonical target', { detail: 'http:8080/health' }, 7, 5],
    ['to the probes key when no entry matches', { detail: 'tcp:9999' }, 5, 1]
  ])('finds the probes entry %s', async (_name, over, line, column) => {
    expect((await placed(probeFinding(over), CONFIG)).at).toEqual([CONFIG_FILE, line, column])
  })

  it('accepts list items at the same indentation as the key', async () => {
    const text = 'probes:\n- redis:6379\n- http:80/\nallow: []\n'
    expect((await placed(probeFinding({ detail: 'http:80/' }), text)).at).toEqual([CONFIG_FILE, 3, 3])
  })

  it('points nowhere when the file has no probes key', async () => {
    expect((await placed(probeFinding({ detail: 'tcp:80' }), 'memory: 64M\n', { ports: '80' })).at).toEqual([
      undefined,
      undefined,
      undefined
    ])
  })

  // The old line scan read `^key:` lines: it found nothing in a flow mapping, and took a `memory:`
  // inside a block scalar or a nested map for the key.
  it('finds a quoted key in a flow mapping and an item of a flow list spanning lines', async () => {
    const text = '{ "memory": 64M,\n  probes: [ redis:6379,\n    "tcp:80" ] }\n'
    expect((await placed(OOM, text)).at).toEqual([CONFIG_FILE, 1, 3])
    expect((await placed(probeFinding({ detail: 'tcp:80' }), text)).at).toEqual([CONFIG_FILE, 3, 5])
  })

  it('does not take an indented `memory:` (a block scalar, a nested map) for the memory key', async () => {
    const text = 'cmd: |\n  memory: 1G\nenv:\n  memory: x\n'
    expect((await placed(OOM, text)).at).toEqual([undefined, undefined, undefined])
  })

  it('points a config finding at the key its label names, and an empty argument at cmd', async () => {
    const label = `config key 'memory' (${CONFIG_FILE}:3)`
    expect((await placed({ id: 'config.invalid', detail: label }, CONFIG)).at).toEqual([CONFIG_FILE, 3, 1])
    expect((await placed({ id: 'config.empty-argument', detail: '1' }, CONFIG)).at).toEqual([
      CONFIG_FILE,
      2,
      1
    ])
  })
})

describe('an input overriding a config key', () => {
  it.each<[string, Partial<Finding>, RawInputs, string]>([
    [
      'memory',
      OOM,
      { memory: '1G' },
      `Set by input 'memory', which overrides config key 'memory' (${CONFIG_FILE}:3).`
    ],
    [
      'probes',
      probeFinding({ detail: 'tcp:7000' }),
      { probe: 'tcp:7000' },
      `Set by input 'probe', which overrides config key 'probes' (${CONFIG_FILE}:5).`
    ],
    ['cmd', { id: 'config.invalid', detail: 'cmd' }, { cmd: 'redis-server' }, "Set by input 'cmd'"]
  ])('%s: no config-file annotation, the input named in the message', async (_key, f, inputs, via) => {
    const { at, message } = await placed(f, CONFIG, inputs)
    expect(at).toEqual([undefined, undefined, undefined])
    expect(message).toContain(via)
  })

  it('the file still wins the keys no input overrode', async () => {
    expect((await placed(OOM, CONFIG, { cmd: 'redis-server' })).at).toEqual([CONFIG_FILE, 3, 1])
  })
})

describe('planAnnotations', () => {
  let ctx: AnnotationContext
  beforeAll(async () => {
    ctx = {
      dockerfile: 'examples/redis/Dockerfile',
      dockerfileText: DOCKERFILE,
      configFile: CONFIG_FILE,
      options: await resolved(CONFIG),
      kraftfile: 'examples/redis/Kraftfile'
    }
  })

  it('annotates a loader finding on the Dockerfile line, with evidence and hint in the message', () => {
    const f = finding({
      evidence: 'redis-server: error while loading shared libraries: libssl.so.3: cannot open',
      detail: 'libssl.so.3'
    })
    expect(planAnnotations([f], ctx)).toEqual({
      annotations: [
        {
          level: 'error',
          title: 'loader.missing-library: a shared library is missing (libssl.so.3)',
          message:
            'Evidence (console log line 11): redis-server: error while loading shared libraries: libssl.so.3: cannot open\n' +
            'Hint: Copy libc.so.6 (and the libraries it needs) into the root filesystem, next to the other libraries.',
          file: 'examples/redis/Dockerfile',
          startLine: 7
        }
      ],
      overflow: []
    })
  })

  it('points a probe finding at its entry in the config file', () => {
    const f = finding({ id: 'probe.failed', source: 'probe', detail: null, data: { target: 'redis:6379' } })
    const [a] = planAnnotations([f], ctx).annotations
    expect([a.file, a.startLine, a.startColumn]).toEqual(['examples/redis/unikraft-compat.yml', 6, 5])
  })

  it('names the config file without a line when no options are given', () => {
    const f = finding({ id: 'probe.failed', source: 'probe' })
    const [a] = planAnnotations([f], { configFile: CONFIG_FILE }).annotations
    expect([a.file, a.startLine]).toEqual([CONFIG_FILE, undefined])
  })

  it('points out-of-memory at the memory key, weak main at the Kraftfile, and a crash nowhere', () => {
    const plan = planAnnotations(
      [
        finding({ id: 'memory.out-of-memory', detail: null }),
        finding({ id: 'entry.weak-main', detail: null }),
        finding({ id: 'crash.page-fault', detail: null })
      ],
      ctx
    )
    expect(plan.annotations.map(a => [a.file, a.startLine])).toEqual([
      ['examples/redis/unikraft-compat.yml', 3],
      ['examples/redis/Kraftfile', undefined],
      [undefined, undefined]
    ])
  })

  it('makes warnings warnings, allowed errors notices, and leaves plain notes out', () => {
    const plan = planAnnotations([
      bannerNote('0.16.3', 'Telesto', 'e453b74a'),
      finding({ id: 'memory.out-of-memory', severity: 'warning' }),
      finding({ id: 'process.fork-unsupported', allowed: true, severity: 'note' })
    ])
    expect(plan.annotations.map(a => a.level)).toEqual(['warning', 'notice'])
    expect(plan.annotations[1].message.startsWith('Accepted by the allow-list')).toBe(true)
  })

  it('keeps at most 10 per level and hands the rest over for the summary, in order', () => {
    const errors = Array.from({ length: 13 }, (_, i) => finding({ detail: `lib${i}.so` }))
    const warnings = Array.from({ length: 11 }, (_, i) => finding({ severity: 'warning', detail: `w${i}` }))
    const plan = planAnnotations([...errors, ...warnings], ctx)
    expect(plan.annotations.filter(a => a.level === 'error')).toHaveLength(MAX_ANNOTATIONS_PER_LEVEL)
    expect(plan.annotations.filter(a => a.level === 'warning')).toHaveLength(MAX_ANNOTATIONS_PER_LEVEL)
    expect(plan.overflow.map(f => f.detail)).toEqual(['lib10.so', 'lib11.so', 'lib12.so', 'w10'])
  })

  it('strips terminal sequences from titles and messages and names files without text when none given', () => {
    const f = finding({ detail: '\x1b[31mlibx.so\x1b[0m', evidence: '\x1b[1mboom\x1b[0m\r' })
    const [a] = planAnnotations([f], { dockerfile: 'Dockerfile' }).annotations
    expect(a.title).toBe('loader.missing-library: a shared library is missing (libx.so)')
    expect(a.message.startsWith('Evidence (console log line 11): boom\n')).toBe(true)
    expect([a.file, a.startLine]).toEqual(['Dockerfile', undefined])
  })
})
