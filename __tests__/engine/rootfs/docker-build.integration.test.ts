// buildDockerRootfs against the real Docker engine (BuildKit of Debian's docker.io): what lands in
// the tarball, the image configuration, and each kind of failure as one clear error.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from '@jest/globals'
import { nodeCommandRunner } from '../../../src/engine/command-runner.js'
import { ConfigurationError, InfrastructureError, describeError } from '../../../src/engine/errors.js'
import { createMemoryLogger, silentLogger } from '../../../src/engine/logger.js'
import {
  buildDockerRootfs,
  DockerBuildError,
  DockerInfrastructureError,
  type DockerBuildOptions
} from '../../../src/engine/rootfs/docker-build.js'
import { defaultCommand } from '../../../src/engine/rootfs/docker-image-config.js'
import { docker, extractTar, listTar, requireDocker, withTempDir } from './docker-env.js'

const deps = { runner: nodeCommandRunner, logger: silentLogger }

/** Writes files (path -> content) under dir; returns dir. */
async function tree(dir: string, files: Record<string, string>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), content)
  }
  return dir
}

function opts(dir: string, more: Partial<DockerBuildOptions> = {}): DockerBuildOptions {
  return {
    dockerfile: join(dir, 'app', 'Dockerfile'),
    context: join(dir, 'app'),
    outTar: join(dir, 'out', 'rootfs.tar'),
    logPath: join(dir, 'out', 'build.log'),
    ...more
  }
}

/** Builds and expects a rejection; returns the error. */
async function failure(o: DockerBuildOptions, d = deps): Promise<Error> {
  const err = await buildDockerRootfs(o, d).then(
    () => null,
    (e: unknown) => e as Error
  )
  if (!err) throw new Error('the build was expected to fail')
  return err
}

beforeAll(async () => {
  await requireDocker({ baseImage: true })
})

describe('buildDockerRootfs: FROM scratch with files from the context', () => {
  it('the tarball holds exactly those files, and the image configuration is read back', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), {
        Dockerfile: [
          'FROM scratch',
          'COPY bin/app /usr/bin/app',
          'COPY etc/ /etc/app/',
          'ENV GREETING="hello world" MODE=test',
          'WORKDIR /srv',
          'ENTRYPOINT ["/usr/bin/app"]',
          'CMD ["--port", "8080"]'
        ].join('\n'),
        'bin/app': '#!/bin/false\n',
        'etc/app.conf': 'key = value\n',
        'ignored.txt': 'not copied\n'
      })
      const r = await buildDockerRootfs(opts(dir), deps)
      expect(r.tarPath).toBe(join(dir, 'out', 'rootfs.tar'))
      const entries = await listTar(r.tarPath)
      expect(
        entries
          .filter(e => e.type === '-')
          .map(e => e.path)
          .sort()
      ).toEqual(['etc/app/app.conf', 'usr/bin/app'])
      // WORKDIR creates the directory; nothing Docker-specific appears (no /.dockerenv, /etc/hosts, /dev).
      expect(entries.map(e => e.path)).toContain('srv')
      expect(entries.map(e => e.path)).not.toContain('.dockerenv')
      expect(r.config.entrypoint).toEqual(['/usr/bin/app'])
      expect(r.config.cmd).toEqual(['--port', '8080'])
      expect(r.config.env).toMatchObject({ GREETING: 'hello world', MODE: 'test' })
      expect(r.config.workdir).toBe('/srv')
      expect(defaultCommand(r.config)).toEqual(['/usr/bin/app', '--port', '8080'])
    })
  }, 120_000)

  it('leaves only the tarball and the log, and removes its temporary image tag', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: 'FROM scratch\nCOPY a /a\nCMD ["/a"]\n', a: 'x' })
      await buildDockerRootfs(opts(dir), deps)
      expect((await readdir(join(dir, 'out'))).sort()).toEqual(['build.log', 'rootfs.tar'])
      const log = await readFile(join(dir, 'out', 'build.log'), 'utf8')
      const tag = /-t (unikraft-compat\/[0-9a-f]+)/.exec(log)?.[1]
      expect(tag).toBeDefined()
      expect((await docker(['image', 'inspect', tag!])).code).not.toBe(0)
    })
  }, 120_000)
})

describe('buildDockerRootfs: build args and target stage', () => {
  const dockerfile = [
    'FROM debian:bookworm-slim AS build',
    'ARG GREETING=default',
    'RUN mkdir -p /out && echo "$GREETING" > /out/greeting.txt',
    '',
    'FROM scratch AS runtime',
    'COPY --from=build /out/greeting.txt /greeting.txt',
    'CMD ["/runtime"]',
    '',
    'FROM scratch AS other',
    'COPY --from=build /out/greeting.txt /other.txt',
    'CMD ["/other"]'
  ].join('\n')

  it('builds the named stage with the given build arguments', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: dockerfile })
      const r = await buildDockerRootfs(
        opts(dir, { target: 'runtime', buildArgs: { GREETING: 'hello; $(not a shell) "quoted"' } }),
        deps
      )
      const entries = await listTar(r.tarPath)
      expect(entries.map(e => e.path)).toEqual(['greeting.txt'])
      await mkdir(join(dir, 'x'))
      await extractTar(r.tarPath, join(dir, 'x'))
      expect(await readFile(join(dir, 'x', 'greeting.txt'), 'utf8')).toBe('hello; $(not a shell) "quoted"\n')
      expect(r.config.cmd).toEqual(['/runtime'])
    })
  }, 180_000)

  it('without a target, the last stage is built', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: dockerfile })
      const r = await buildDockerRootfs(opts(dir), deps)
      expect((await listTar(r.tarPath)).map(e => e.path)).toEqual(['other.txt'])
      expect(r.config.cmd).toEqual(['/other'])
    })
  }, 180_000)

  it('a target the Dockerfile does not define is a configuration error naming the stages', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: dockerfile })
      const err = await failure(opts(dir, { target: 'nope' }))
      expect(err).toBeInstanceOf(ConfigurationError)
      expect((err as ConfigurationError).input).toBe('target')
      expect(err.message).toContain('build, runtime, other')
    })
  })

  it.each([
    [{ target: 'bad target' }, 'target'],
    [{ buildArgs: { 'A B': '1' } }, 'build-args'],
    [{ buildArgs: { 'A=B': '1' } }, 'build-args']
  ])('rejects %j before building', async (more, input) => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: dockerfile })
      const err = await failure(opts(dir, more))
      expect(err).toBeInstanceOf(ConfigurationError)
      expect((err as ConfigurationError).input).toBe(input)
    })
  })
})

describe('buildDockerRootfs: failures', () => {
  it('a missing Dockerfile is a configuration error naming it', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await mkdir(join(dir, 'app'))
      const err = await failure(opts(dir))
      expect(err).toBeInstanceOf(ConfigurationError)
      expect((err as ConfigurationError).input).toBe('rootfs')
      expect(err.message).toBe(
        `Input 'rootfs' names the Dockerfile '${join(dir, 'app', 'Dockerfile')}', which does not exist`
      )
    })
  })

  it('a directory given as the Dockerfile, or a context that is not a directory, is a configuration error', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: 'FROM scratch\n' })
      const asDir = await failure(opts(dir, { dockerfile: join(dir, 'app') }))
      expect(asDir).toBeInstanceOf(ConfigurationError)
      expect(asDir.message).toContain('a directory')
      const noContext = await failure(opts(dir, { context: join(dir, 'nowhere') }))
      expect(noContext).toBeInstanceOf(ConfigurationError)
      expect(noContext.message).toContain('is not a directory')
    })
  })

  it('a failing RUN names the Dockerfile line and shows the command’s own error, leaving no tarball', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), {
        Dockerfile: [
          'FROM debian:bookworm-slim AS build',
          'RUN echo preparing',
          '# the next step fails',
          'RUN echo compiling && \\',
          '    ls /no/such/dir',
          'FROM scratch',
          'COPY --from=build /etc/debian_version /v'
        ].join('\n')
      })
      // A tarball from an earlier, good build must not survive a failed one.
      await tree(join(dir, 'out'), { 'rootfs.tar': 'stale' })
      const err = await failure(opts(dir))
      expect(err).toBeInstanceOf(DockerBuildError)
      const e = err as DockerBuildError
      expect(e.input).toBe('rootfs')
      expect(e.location).toEqual({ file: join(dir, 'app', 'Dockerfile'), line: 4 })
      expect(e.message).toContain(
        `docker build failed at ${join(dir, 'app', 'Dockerfile')}:4 (RUN echo compiling && ls /no/such/dir)`
      )
      expect(e.lastLines).toContain("ls: cannot access '/no/such/dir': No such file or directory")
      expect(e.message).toContain(`Full build log: ${join(dir, 'out', 'build.log')}`)
      // Reported once, without a stack: describeError shows just the message.
      expect(describeError(e)).toBe(e.message)
      expect(await readdir(join(dir, 'out'))).toEqual(['build.log'])
      expect(await readFile(join(dir, 'out', 'build.log'), 'utf8')).toContain('#')
    })
  }, 180_000)

  it('a COPY of a file missing from the context names its line', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), {
        Dockerfile: 'FROM scratch\nCOPY present /p\nCOPY absent /a\n',
        present: 'x'
      })
      const err = (await failure(opts(dir))) as DockerBuildError
      expect(err).toBeInstanceOf(DockerBuildError)
      expect(err.location?.line).toBe(3)
      expect(err.message).toContain('"/absent" not found')
    })
  }, 60_000)

  it('a # syntax= line is warned about before building; offline, the failure points at it', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), {
        Dockerfile: '# syntax=docker/dockerfile:1\nFROM scratch\nCOPY a /a\n',
        a: 'x'
      })
      const logger = createMemoryLogger()
      const result = await buildDockerRootfs(opts(dir), { runner: nodeCommandRunner, logger }).then(
        () => null,
        (e: unknown) => e
      )
      const warnings = logger.lines.filter(l => l.level === 'warning').map(l => l.message)
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain(`${join(dir, 'app', 'Dockerfile')}:1: '# syntax=docker/dockerfile:1'`)
      // With a registry in reach (a GitHub runner) the build succeeds; here none is reachable.
      if (result !== null) {
        expect(result).toBeInstanceOf(DockerInfrastructureError)
        expect((result as DockerInfrastructureError).location?.line).toBe(1)
        expect((result as DockerInfrastructureError).hint).toContain('Remove the # syntax= line')
      }
    })
  }, 120_000)

  it('a Docker engine that does not answer is an infrastructure error with the way to start it', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: 'FROM scratch\n' })
      const saved = process.env.DOCKER_HOST
      process.env.DOCKER_HOST = `unix://${join(dir, 'no-daemon.sock')}`
      try {
        const err = await failure(opts(dir))
        expect(err).toBeInstanceOf(DockerInfrastructureError)
        expect(err.message).toContain('The Docker engine is not answering')
        expect((err as InfrastructureError).hint).toContain('.ci/start-dockerd.sh')
        expect(await readdir(join(dir, 'out'))).toEqual(['build.log'])
      } finally {
        if (saved === undefined) delete process.env.DOCKER_HOST
        else process.env.DOCKER_HOST = saved
      }
    })
  })

  it('a docker client that is not installed is an infrastructure error', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: 'FROM scratch\n' })
      const err = await failure(opts(dir, { docker: join(dir, 'no-such-docker') }))
      expect(err).toBeInstanceOf(DockerInfrastructureError)
      expect(err.message).toBe(`The docker client '${join(dir, 'no-such-docker')}' is not installed`)
      expect((err as InfrastructureError).hint).toContain('docker.io')
    })
  })
})

describe('BuildKit tar output is a clean root filesystem', () => {
  it('a Debian final stage: no /.dockerenv, no /etc/hosts, /dev/console still a device', async () => {
    await withTempDir('ukc-docker-', async dir => {
      await tree(join(dir, 'app'), { Dockerfile: 'FROM debian:bookworm-slim\nRUN echo built > /built.txt\n' })
      const r = await buildDockerRootfs(opts(dir), deps)
      const byPath = new Map((await listTar(r.tarPath)).map(e => [e.path, e]))
      expect(byPath.get('built.txt')?.type).toBe('-')
      expect(byPath.has('.dockerenv')).toBe(false)
      expect(byPath.has('etc/hosts')).toBe(false)
      // `docker export` of a container would have turned it into an empty regular file.
      expect(byPath.get('dev/console')?.type).toBe('c')
      expect(byPath.get('lib64')?.type).toBe('l')
    })
  }, 180_000)
})
