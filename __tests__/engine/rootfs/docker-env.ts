// Shared by the Docker-backed tests: the engine must already run (.ci/run starts it with
// .ci/start-dockerd.sh; the base image comes from .ci/base-image.sh), and tarball listings via tar.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'

export const DOCKER = '/usr/bin/docker'
export const BASE_IMAGE = 'debian:bookworm-slim'

/** Throws a message saying what to run when the engine or the base image is missing. */
export async function requireDocker(opts: { baseImage?: boolean } = {}): Promise<void> {
  const info = await nodeCommandRunner.run([DOCKER, 'info'], { timeoutMs: 20_000 }).catch(() => null)
  if (!info || info.code !== 0) {
    throw new Error('These tests need the Docker engine: run .ci/start-dockerd.sh (as root) first.')
  }
  if (opts.baseImage) {
    const img = await nodeCommandRunner.run([DOCKER, 'image', 'inspect', BASE_IMAGE], { timeoutMs: 20_000 })
    if (img.code !== 0)
      throw new Error(`These tests need the ${BASE_IMAGE} image: run .ci/base-image.sh first.`)
  }
}

export interface TarEntry {
  /** Without a leading `./`; directories without the trailing `/`. */
  path: string
  /** The first letter of `ls -l`: `-` file, `d` dir, `l` symlink, `c` char device, `h` hard link... */
  type: string
  linkTarget: string | null
}

/** `tar -tvf` through argv (GNU tar's verbose listing), parsed. */
export async function listTar(tarPath: string): Promise<TarEntry[]> {
  const r = await nodeCommandRunner.run(['tar', '--numeric-owner', '-tvf', tarPath])
  if (r.code !== 0) throw new Error(`tar -tvf ${tarPath} failed: ${r.stderr}`)
  return r.stdout
    .split('\n')
    .filter(l => l.trim() !== '')
    .map(line => {
      // mode owner/group size date time name [-> target | link to target]
      const m = /^(\S)\S*\s+\S+\s+\S+\s+\S+\s+\S+\s+(.*)$/.exec(line)
      if (!m) throw new Error(`unexpected tar listing line: ${line}`)
      let name = m[2]
      let linkTarget: string | null = null
      const link = / (?:->|link to) (.*)$/.exec(name)
      if (link && (m[1] === 'l' || m[1] === 'h')) {
        linkTarget = link[1]
        name = name.slice(0, link.index)
      }
      const path = name.replace(/^\.\//, '').replace(/\/$/, '')
      return { path, type: m[1], linkTarget }
    })
}

export async function extractTar(tarPath: string, dir: string): Promise<void> {
  const r = await nodeCommandRunner.run(['tar', '-xf', tarPath, '-C', dir])
  if (r.code !== 0) throw new Error(`tar -xf ${tarPath} failed: ${r.stderr}`)
}

export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  try {
    return await fn(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function docker(args: string[], timeoutMs = 120_000) {
  return nodeCommandRunner.run([DOCKER, ...args], { timeoutMs })
}
