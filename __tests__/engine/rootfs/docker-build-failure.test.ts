// Failure analysis against real `docker build --progress=plain` output captured on this machine
// (Debian's Docker 20.10, fixtures/docker20-*.log, each beside the Dockerfile that produced it), plus
// one in current buildx's shape (fixtures/buildx-run-fails.log: written after BuildKit's plain
// progress format, since no buildx client exists here to capture it).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parseDockerfileText } from '../../../src/engine/rootfs/docker-build-dockerfile.js'
import { analyzeBuildFailure } from '../../../src/engine/rootfs/docker-build-failure.js'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8')
const analyze = (log: string, dockerfile: string | null) =>
  analyzeBuildFailure(read(log), dockerfile ? parseDockerfileText(read(dockerfile)) : null)

describe('analyzeBuildFailure', () => {
  it('a failing RUN: the Dockerfile is at fault, at the RUN line, with its output', () => {
    const f = analyze('docker20-run-fails.log', 'run-fails.Dockerfile')
    expect(f.kind).toBe('dockerfile')
    expect(f.line).toBe(4)
    expect(f.instruction?.replace(/\s+/g, ' ')).toBe('RUN echo two && ls /nonexistent-dir')
    expect(f.lines).toEqual([
      'two',
      "ls: cannot access '/nonexistent-dir': No such file or directory",
      'ERROR: executor failed running [/bin/sh -c echo two &&     ls /nonexistent-dir]: exit code: 2'
    ])
  })

  it('a COPY of a file missing from the context points at the COPY', () => {
    const f = analyze('docker20-copy-missing.log', 'copy-missing.Dockerfile')
    expect(f).toMatchObject({ kind: 'dockerfile', line: 3, instruction: 'COPY missing /x' })
    expect(f.lines.join('\n')).toContain('"/missing" not found')
  })

  it('a COPY --from of a path missing in the build stage points at it, in the right stage', () => {
    const f = analyze('docker20-copy-from-missing.log', 'copy-from-missing.Dockerfile')
    expect(f).toMatchObject({ kind: 'dockerfile', line: 4 })
    expect(f.lines.join('\n')).toContain('/usr/share/nope: no such file or directory')
  })

  it('a parse error names its line', () => {
    const f = analyze('docker20-parse-error.log', 'parse-error.Dockerfile')
    expect(f).toMatchObject({ kind: 'dockerfile', line: 3, instruction: 'FROBNICATE x' })
    expect(f.lines.at(-1)).toContain('unknown instruction: FROBNICATE')
  })

  it('an unreachable registry is the machine’s problem, pointing at the FROM that needs it', () => {
    const f = analyze('docker20-registry.log', 'registry.Dockerfile')
    expect(f).toMatchObject({ kind: 'registry', line: 3, instruction: 'FROM nosuchimage:1' })
    expect(f.lines.join('\n')).toContain('no such host')
  })

  it('a # syntax= frontend that cannot be fetched points at the directive', () => {
    const f = analyze('docker20-syntax.log', 'syntax.Dockerfile')
    expect(f).toMatchObject({ kind: 'frontend', line: 1 })
  })

  it('the same output without the directive in the Dockerfile is not blamed on it', () => {
    const f = analyzeBuildFailure(read('docker20-syntax.log'), parseDockerfileText('FROM scratch\n'))
    expect(f.kind).not.toBe('frontend')
  })

  it('a daemon that does not answer is infrastructure', () => {
    const f = analyze('docker20-daemon-down.log', 'run-fails.Dockerfile')
    expect(f).toMatchObject({ kind: 'daemon', line: null })
    expect(f.lines).toEqual([read('docker20-daemon-down.log').trim()])
  })

  it('buildx output: the `Dockerfile:N` excerpt gives the line', () => {
    const f = analyze('buildx-run-fails.log', 'buildx-run-fails.Dockerfile')
    expect(f.kind).toBe('dockerfile')
    expect(f.line).toBe(4)
    expect(f.instruction?.replace(/\s+/g, ' ')).toBe('RUN make -C src')
    expect(f.lines).toEqual([
      "make: Entering directory '/src/src'",
      'make: *** No targets specified and no makefile found.  Stop.',
      'ERROR: process "/bin/sh -c make     -C src" did not complete successfully: exit code: 2'
    ])
  })

  it.each([
    [
      'a missing target stage',
      'failed to solve with frontend dockerfile.v0: failed to create LLB definition: target stage nope could not be found',
      'target'
    ],
    [
      'a client without buildx',
      'ERROR: BuildKit is enabled but the buildx component is missing or broken.',
      'client'
    ],
    [
      'a full disk',
      '#9 ERROR: failed to copy files: write /var/lib/docker/x: no space left on device',
      'disk'
    ]
  ])('%s', (_name, output, kind) => {
    expect(analyzeBuildFailure(output, null).kind).toBe(kind)
  })

  it('output it does not recognise still yields the last lines, blamed on the Dockerfile without a line', () => {
    const f = analyzeBuildFailure('something\nwent wrong\n', parseDockerfileText('FROM scratch\n'))
    expect(f).toEqual({
      kind: 'dockerfile',
      line: null,
      instruction: null,
      lines: ['something', 'went wrong']
    })
  })
})
