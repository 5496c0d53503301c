import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../../src/engine/finding.js'
import { MAX_ANNOTATIONS_PER_LEVEL, planAnnotations } from '../../../src/engine/report/annotations.js'
import { configKeyLine, probeEntryLine } from '../../../src/engine/report/config-lines.js'
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

describe('config lines', () => {
  it.each<[string, Partial<Finding>, number]>([
    ['by index', { data: { index: 1 } }, 7],
    ['by target text', { data: { target: 'console:Ready to accept connections' } }, 10],
    ['by detail', { detail: 'redis:6379' }, 6],
    ['to the probes key when no entry matches', { detail: 'tcp:9999' }, 5]
  ])('finds the probes entry %s', (_name, over, line) => {
    expect(
      probeEntryLine(CONFIG, finding({ id: 'probe.failed', source: 'probe', detail: null, ...over }))
    ).toBe(line)
  })

  it('accepts list items at the same indentation as the key', () => {
    const text = 'probes:\n- redis:6379\n- http:80/\nallow: []\n'
    expect(probeEntryLine(text, finding({ detail: 'http:80/' }))).toBe(3)
  })

  it('has no line when the file has no probes key', () => {
    expect(probeEntryLine('memory: 64M\n', finding({}))).toBeNull()
  })

  it('finds the shallowest key', () => {
    expect(configKeyLine('baseline:\n  memory: 1G\nmemory: 64M\n', 'memory')).toBe(3)
    expect(configKeyLine('cmd: x\n', 'memory')).toBeNull()
  })
})

describe('planAnnotations', () => {
  const ctx = {
    dockerfile: 'examples/redis/Dockerfile',
    dockerfileText: DOCKERFILE,
    configFile: 'examples/redis/unikraft-compat.yml',
    configText: CONFIG,
    kraftfile: 'examples/redis/Kraftfile'
  }

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
    expect([a.file, a.startLine]).toEqual(['examples/redis/unikraft-compat.yml', 6])
  })

  it('does not point at the config file when the probe came from an input', () => {
    const f = finding({ id: 'probe.failed', source: 'probe' })
    const [a] = planAnnotations([f], { ...ctx, configText: 'memory: 64M\n' }).annotations
    expect(a.file).toBeUndefined()
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
