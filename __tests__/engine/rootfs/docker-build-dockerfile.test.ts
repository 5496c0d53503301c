import { describe, expect, it } from '@jest/globals'
import {
  findFromLine,
  findInstruction,
  findStage,
  parseDockerfileText
} from '../../../src/engine/rootfs/docker-build-dockerfile.js'

const MULTI = [
  '# syntax=docker/dockerfile:1', // 1
  '# escape=\\', // 2
  '', // 3
  'ARG BASE=debian:bookworm-slim', // 4
  'FROM debian:bookworm-slim AS Build', // 5
  'RUN apt-get update \\', // 6
  '    # a comment inside the continuation', // 7
  '', // 8
  ' && apt-get install -y gcc', // 9
  'COPY hello.c /src/', // 10
  'RUN gcc -o /hello /src/hello.c', // 11
  '', // 12
  'FROM scratch', // 13
  'COPY --from=build /hello /hello', // 14
  'cmd ["/hello"]' // 15
].join('\n')

describe('parseDockerfileText', () => {
  const parsed = parseDockerfileText(MULTI)

  it('reads parser directives at the top only', () => {
    expect(parsed.directives).toEqual([
      { name: 'syntax', value: 'docker/dockerfile:1', line: 1 },
      { name: 'escape', value: '\\', line: 2 }
    ])
    expect(parseDockerfileText('FROM scratch\n# syntax=x\n').directives).toEqual([])
  })

  it('joins continuations, skipping comment and empty lines inside them, keeping first and last line', () => {
    const run = parsed.instructions.find(i => i.line === 6)
    expect(run).toMatchObject({ keyword: 'RUN', endLine: 9, stage: 0 })
    expect(run?.args.replace(/\s+/g, ' ')).toBe('apt-get update && apt-get install -y gcc')
  })

  it('numbers stages, names them lower-cased, and puts global ARGs in stage -1', () => {
    expect(parsed.stages).toEqual([
      { index: 0, name: 'build', base: 'debian:bookworm-slim', line: 5 },
      { index: 1, name: null, base: 'scratch', line: 13 }
    ])
    expect(parsed.instructions[0]).toMatchObject({ keyword: 'ARG', stage: -1, line: 4 })
    expect(parsed.instructions.at(-1)).toMatchObject({ keyword: 'CMD', stage: 1, line: 15 })
  })

  it('honours a backtick escape directive', () => {
    const p = parseDockerfileText('# escape=`\nFROM scratch\nCOPY a `\n  /a\n')
    expect(p.instructions[1]).toMatchObject({ keyword: 'COPY', line: 3, endLine: 4 })
  })

  it('an empty file has nothing', () => {
    expect(parseDockerfileText('')).toEqual({ directives: [], instructions: [], stages: [] })
  })
})

describe('finding the instruction a BuildKit step names', () => {
  const parsed = parseDockerfileText(MULTI)

  it.each([
    ['build', 'RUN gcc -o /hello /src/hello.c', 11],
    ['build', 'RUN apt-get update      && apt-get install -y gcc', 6],
    ['stage-1', 'COPY --from=build /hello /hello', 14],
    ['build', 'FROM docker.io/library/debian:bookworm-slim', 5]
  ])('[%s] %s -> line %i', (stageName, step, line) => {
    expect(findInstruction(parsed, step, findStage(parsed, stageName))?.line).toBe(line)
  })

  it('a step from another stage is not found in this one', () => {
    expect(
      findInstruction(parsed, 'COPY --from=build /hello /hello', findStage(parsed, 'build'))
    ).toBeUndefined()
  })

  it('stages by AS name (any case) or by stage-N', () => {
    expect(findStage(parsed, 'BUILD')?.index).toBe(0)
    expect(findStage(parsed, 'stage-1')?.index).toBe(1)
    expect(findStage(parsed, 'stage-7')).toBeUndefined()
  })

  it('FROM lines by the image reference BuildKit prints', () => {
    expect(findFromLine(parsed, 'docker.io/library/debian:bookworm-slim')?.line).toBe(5)
    const p = parseDockerfileText('FROM redis\nFROM ghcr.io/o/app:1 AS x\n')
    expect(findFromLine(p, 'docker.io/library/redis:latest')?.line).toBe(1)
    expect(findFromLine(p, 'ghcr.io/o/app:1')?.line).toBe(2)
    expect(findFromLine(p, 'docker.io/library/nginx:latest')).toBeUndefined()
  })
})
