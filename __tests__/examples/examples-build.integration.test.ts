// Every example under examples/ built from its real Dockerfile with buildDockerRootfs (real Docker,
// debian:bookworm-slim from .ci/base-image.sh, packages from Debian's archive), then checked:
// the tarball holds the program, its interpreter and the full DT_NEEDED closure (broken-missing-lib
// lacks exactly libstdc++.so.6), the config file resolves and agrees with the image's CMD, and the
// tree really runs: in a container, with the config's own command and probe expectations.
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, get, type Server } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, posix, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { nodeCommandRunner } from '../../src/engine/command-runner.js'
import { resolveCheckOptions } from '../../src/engine/config/resolve.js'
import { silentLogger } from '../../src/engine/logger.js'
import { readElf } from '../../src/engine/rootfs/elf.js'
import { preflight } from '../../src/engine/rootfs/preflight.js'
import { buildDockerRootfs, type DockerBuildResult } from '../../src/engine/rootfs/docker-build.js'
import { defaultCommand } from '../../src/engine/rootfs/docker-image-config.js'
import { docker, extractTar, listTar, requireDocker } from '../engine/rootfs/docker-env.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const EXAMPLES = join(ROOT, 'examples')
const LIB_DIRS = ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu', 'lib64', 'lib', 'usr/lib']

interface Expectation {
  program: string
  kind: 'pie' | 'static-pie'
  /** Libraries the tree must lack (needed by the program): only the broken example. */
  missing?: string[]
  /** Extra files the app needs. */
  files?: string[]
}

const EXPECTED: Record<string, Expectation> = {
  'hello-c': { program: '/hello', kind: 'static-pie' },
  'hello-cpp': { program: '/hello-cpp', kind: 'pie' },
  'broken-missing-lib': { program: '/hello-cpp', kind: 'pie', missing: ['libstdc++.so.6'] },
  redis: { program: '/usr/bin/redis-server', kind: 'pie', files: ['/etc/redis/redis.conf'] },
  nginx: {
    program: '/usr/sbin/nginx',
    kind: 'pie',
    files: [
      '/etc/nginx/nginx.conf',
      '/etc/nginx/mime.types',
      '/usr/share/nginx/html/index.html',
      '/etc/passwd'
    ]
  },
  curl: { program: '/usr/bin/curl', kind: 'pie' },
  htop: { program: '/usr/bin/htop', kind: 'pie' }
}

interface Built {
  dir: string
  build: DockerBuildResult
  tree: string
}

let work = ''
const built = new Map<string, Built>()

async function buildExample(name: string): Promise<Built> {
  const cached = built.get(name)
  if (cached) return cached
  const out = join(work, name)
  const build = await buildDockerRootfs(
    {
      dockerfile: join(EXAMPLES, name, 'Dockerfile'),
      context: join(EXAMPLES, name),
      outTar: join(out, 'rootfs.tar'),
      logPath: join(out, 'build.log')
    },
    { runner: nodeCommandRunner, logger: silentLogger }
  )
  const tree = join(out, 'tree')
  await mkdir(tree, { recursive: true })
  await extractTar(build.tarPath, tree)
  const b = { dir: out, build, tree }
  built.set(name, b)
  return b
}

/** Each DT_NEEDED of each ELF object reachable from the program that the tree lacks. */
function unresolvedLibraries(tree: string, program: string): { library: string; neededBy: string }[] {
  const missing: { library: string; neededBy: string }[] = []
  const seen = new Set<string>()
  const queue = [program]
  while (queue.length > 0) {
    const path = queue.shift()!
    if (seen.has(path)) continue
    seen.add(path)
    for (const lib of readElf(join(tree, path)).needed) {
      const found = LIB_DIRS.map(d => posix.join('/', d, lib)).find(p => existsSync(join(tree, p)))
      if (found) queue.push(found)
      else missing.push({ library: lib, neededBy: path })
    }
  }
  return missing
}

beforeAll(async () => {
  await requireDocker({ baseImage: true })
  work = await mkdtemp(join(tmpdir(), 'ukc-examples-'))
})

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

it('every example built from a Dockerfile is covered here', () => {
  const dirs = readdirSync(EXAMPLES).filter(d => existsSync(join(EXAMPLES, d, 'Dockerfile')))
  expect(dirs.sort()).toEqual(Object.keys(EXPECTED).sort())
})

describe.each(Object.entries(EXPECTED))('examples/%s', (name, exp) => {
  it('builds from its Dockerfile to a tarball with the program, its loader and its libraries', async () => {
    const { build, tree } = await buildExample(name)
    const paths = new Set((await listTar(build.tarPath)).map(e => `/${e.path}`))
    expect(paths.has(exp.program)).toBe(true)
    expect(paths.has('/.dockerenv')).toBe(false)
    for (const f of exp.files ?? []) expect(paths.has(f)).toBe(true)

    const elf = readElf(join(tree, exp.program))
    expect(elf.machineName).toBe('x86-64')
    expect(elf.kind).toBe(exp.kind)
    if (exp.kind === 'static-pie') {
      expect(elf.interpreter).toBeNull()
      expect(elf.needed).toEqual([])
    } else {
      expect(elf.interpreter).toBe('/lib64/ld-linux-x86-64.so.2')
      expect(paths.has('/lib64/ld-linux-x86-64.so.2')).toBe(true)
    }
    expect(unresolvedLibraries(tree, exp.program)).toEqual(
      (exp.missing ?? []).map(library => ({ library, neededBy: exp.program }))
    )
  }, 600_000)

  it('its unikraft-compat.yml resolves, and its cmd is the image’s default command', async () => {
    const { build } = await buildExample(name)
    const options = await resolveCheckOptions({ app: join(EXAMPLES, name) }, { cwd: ROOT })
    expect(options.dockerfile).toBe(join(EXAMPLES, name, 'Dockerfile'))
    expect(options.cmd).toEqual(defaultCommand(build.config))
    expect(options.cmd?.[0]).toBe(exp.program)
    expect(options.probes.length).toBeGreaterThan(0)
  }, 600_000)

  it(
    exp.missing ? 'preflight finds the missing library before any boot' : 'preflight finds nothing wrong',
    async () => {
      const { tree } = await buildExample(name)
      const options = await resolveCheckOptions({ app: join(EXAMPLES, name) }, { cwd: ROOT })
      const findings = await preflight(tree, options.cmd!, {
        memoryMiB: options.memoryMiB,
        guest: 'unikraft'
      })
      const problems = findings
        .filter(f => f.severity === 'error')
        .map(f => ({ id: f.id, about: f.detail ?? f.evidence }))
      expect(problems).toEqual(
        (exp.missing ?? []).map(lib => ({
          id: 'loader.missing-library',
          about: expect.stringContaining(lib)
        }))
      )
    },
    600_000
  )
})

// ---- the trees run (in a container: same binaries, same files, Linux underneath) ----

async function importImage(name: string): Promise<string> {
  const { build } = await buildExample(name)
  const image = `unikraft-compat-test/${name}:${process.pid}`
  const r = await docker(['import', build.tarPath, image])
  if (r.code !== 0) throw new Error(`docker import failed: ${r.stderr}`)
  images.push(image)
  return image
}
const images: string[] = []
afterAll(async () => {
  for (const image of images) await docker(['image', 'rm', image])
})

async function configOf(name: string): Promise<{ cmd: string[]; consoleRegex: RegExp | null }> {
  const options = await resolveCheckOptions({ app: join(EXAMPLES, name) }, { cwd: ROOT })
  const text = await readFile(join(EXAMPLES, name, 'unikraft-compat.yml'), 'utf8')
  const consoleProbe = /- 'console:(.*)'$/m.exec(text)
  return { cmd: options.cmd!, consoleRegex: consoleProbe ? new RegExp(consoleProbe[1]) : null }
}

describe('the example trees run', () => {
  it.each(['hello-c', 'hello-cpp', 'htop'])(
    '%s prints what its console probe expects',
    async name => {
      const image = await importImage(name)
      const { cmd, consoleRegex } = await configOf(name)
      const r = await docker(['run', '--rm', '--network', 'none', image, ...cmd])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(consoleRegex).not.toBeNull()
      expect(r.stdout).toMatch(consoleRegex!)
    },
    600_000
  )

  it('broken-missing-lib fails for want of libstdc++.so.6', async () => {
    const image = await importImage('broken-missing-lib')
    const { cmd } = await configOf('broken-missing-lib')
    const r = await docker(['run', '--rm', '--network', 'none', image, ...cmd])
    expect(r.code).toBe(127)
    expect(r.stderr).toContain('error while loading shared libraries: libstdc++.so.6')
  }, 600_000)

  it('curl fetches the page a host server serves from examples/curl/site', async () => {
    const image = await importImage('curl')
    const { cmd, consoleRegex } = await configOf('curl')
    const page = await readFile(join(EXAMPLES, 'curl', 'site', 'index.html'))
    const server: Server = createServer((_req, res) => res.end(page))
    await new Promise<void>(ok => server.listen(0, '127.0.0.1', ok))
    const port = (server.address() as { port: number }).port
    try {
      // The config's URL targets the host as QEMU shows it (10.0.2.2:8080); with the container on
      // the host's network the same server is 127.0.0.1:<port>.
      const url = cmd.at(-1)!
      expect(url).toBe('http://10.0.2.2:8080/')
      const r = await docker([
        'run',
        '--rm',
        '--network',
        'host',
        image,
        ...cmd.slice(0, -1),
        `http://127.0.0.1:${port}/`
      ])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(consoleRegex!)
    } finally {
      await new Promise(ok => server.close(ok))
    }
  }, 600_000)

  it.each([
    ['redis', 6379, (ip: string, port: number) => redisPing(ip, port), '+PONG'],
    ['nginx', 80, (ip: string, port: number) => httpGet(ip, port), 'Hello from nginx']
  ])(
    '%s serves on port %i with the config’s command',
    async (name, port, probe, expected) => {
      const image = await importImage(name)
      const { cmd } = await configOf(name)
      const container = `ukc-test-${name}-${process.pid}`
      const run = await docker(['run', '-d', '--name', container, image, ...cmd])
      expect(run.code).toBe(0)
      try {
        const ip = (
          await docker(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', container])
        ).stdout.trim()
        let answer = ''
        for (let i = 0; i < 50 && !answer.includes(expected); i++) {
          answer = await probe(ip, port).catch(() => '')
          if (!answer.includes(expected)) await new Promise(ok => setTimeout(ok, 100))
        }
        const logs = await docker(['logs', container])
        expect({ answer, logs: logs.stdout + logs.stderr }).toMatchObject({
          answer: expect.stringContaining(expected)
        })
      } finally {
        await docker(['rm', '-f', container])
      }
    },
    600_000
  )
})

function redisPing(host: string, port: number): Promise<string> {
  return new Promise((ok, fail) => {
    const s = connect(port, host, () => s.write('PING\r\n'))
    s.setTimeout(1000, () => s.destroy(new Error('timeout')))
    s.once('data', d => {
      ok(d.toString())
      s.destroy()
    })
    s.once('error', fail)
  })
}

function httpGet(host: string, port: number): Promise<string> {
  return new Promise((ok, fail) => {
    const req = get({ host, port, path: '/', timeout: 1000 }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => ok(`${res.statusCode} ${body}`))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', fail)
  })
}
