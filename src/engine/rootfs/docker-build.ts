// Builds a root filesystem tarball from a Dockerfile with the machine's Docker engine (BuildKit's
// tar exporter), plus the image configuration (CMD, ENTRYPOINT, ENV, WORKDIR) that becomes the
// defaults for the guest. Failures are one error naming whose fault it is and the Dockerfile line.
// The pieces: docker-build-argv.ts (the command lines), docker-build-inputs.ts (input checks),
// docker-build-dockerfile.ts and docker-build-failure.ts (reading the Dockerfile and a failed
// build's output) and docker-build-errors.ts (the errors thrown); DockerBuildError,
// DockerInfrastructureError and SourceLocation are re-exported from here.
import { randomBytes } from 'node:crypto'
import { createWriteStream, rmSync, writeFileSync, type WriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { CommandNotFoundError, type CommandRunner, type RunResult } from '../command-runner.js'
import { throwIfInterrupted } from '../errors.js'
import type { Logger } from '../logger.js'
import {
  DEFAULT_DOCKER,
  DOCKER_BUILD_ENV,
  dockerBuildArgv,
  dockerInspectArgv,
  dockerUntagArgv,
  type DockerBuildOutput,
  type DockerBuildSpec
} from './docker-build-argv.js'
import { parseDockerfileText, type ParsedDockerfile } from './docker-build-dockerfile.js'
import { DockerInfrastructureError, START_DOCKER_HINT, buildError } from './docker-build-errors.js'
import { analyzeBuildFailure } from './docker-build-failure.js'
import { checkBuildArgs, checkTarget, readDockerfile, requireDirectory } from './docker-build-inputs.js'
import { parseImageInspect, type ImageConfig } from './docker-image-config.js'

export { DockerBuildError, DockerInfrastructureError, type SourceLocation } from './docker-build-errors.js'

export interface DockerBuildOptions {
  dockerfile: string
  context: string
  target?: string
  buildArgs?: Record<string, string>
  /** The filesystem tarball to write; only ever a complete build lands here. */
  outTar: string
  /** Docker's full output (both builds), for the artifacts. */
  logPath: string
  /** The docker client; default /usr/bin/docker (Debian's, which has BuildKit outputs). */
  docker?: string
  timeoutMs?: number
  signal?: AbortSignal
  /**
   * While `docker build` runs: its pid and the Dockerfile's path, so the action's post step can end a
   * build a killed main step left behind (vm-registry's killFromPidFile reads it).
   */
  pidFile?: string
}

export interface DockerBuildDeps {
  runner: CommandRunner
  logger: Logger
}

export interface DockerBuildResult {
  tarPath: string
  config: ImageConfig
  /** Wall time of the tarball build and of the image-configuration build. */
  buildMs: number
  configMs: number
}

export async function buildDockerRootfs(
  opts: DockerBuildOptions,
  deps: DockerBuildDeps
): Promise<DockerBuildResult> {
  const docker = opts.docker ?? DEFAULT_DOCKER
  const text = await readDockerfile(opts.dockerfile)
  await requireDirectory(opts.context)
  const parsed = parseDockerfileText(text)
  checkBuildArgs(opts.buildArgs)
  checkTarget(opts.target, parsed, opts.dockerfile)
  const syntax = parsed.directives.find(d => d.name === 'syntax')
  if (syntax) {
    deps.logger.warning(
      `${opts.dockerfile}:${syntax.line}: '# syntax=${syntax.value}' makes BuildKit fetch that frontend image ` +
        'from a registry before building; without registry access the build fails. Remove the line unless ' +
        'the Dockerfile needs newer syntax than Docker’s built-in frontend.'
    )
  }

  await mkdir(dirname(opts.outTar), { recursive: true })
  await mkdir(dirname(opts.logPath), { recursive: true })
  // Built beside the destination and renamed when complete: a failed or interrupted build never
  // leaves a tarball where the next step (or the next run) would take it for a good one.
  const partial = join(
    dirname(opts.outTar),
    `.${basename(opts.outTar)}.${randomBytes(6).toString('hex')}.partial`
  )
  const spec: DockerBuildSpec = {
    docker,
    dockerfile: opts.dockerfile,
    context: opts.context,
    target: opts.target,
    buildArgs: opts.buildArgs
  }
  const log = createWriteStream(opts.logPath)
  // A log that cannot be written must not crash the build (an unhandled 'error' event would).
  log.on('error', err => deps.logger.warning(`cannot write the build log ${opts.logPath}: ${err.message}`))
  const ctx: BuildContext = { opts, deps, parsed, log }
  try {
    deps.logger.info(`docker build ${opts.dockerfile} (context ${opts.context}) -> ${opts.outTar}`)
    const started = performance.now()
    await runBuild(ctx, spec, { tar: partial })
    await requireTarball(partial, opts.logPath)
    const buildMs = performance.now() - started
    const config = await readImageConfig(ctx, spec)
    const configMs = performance.now() - started - buildMs
    await rename(partial, opts.outTar)
    deps.logger.info(
      `docker build done in ${(buildMs / 1000).toFixed(1)} s (image configuration ${(configMs / 1000).toFixed(1)} s)`
    )
    return { tarPath: opts.outTar, config, buildMs, configMs }
  } catch (err) {
    await rm(partial, { force: true })
    // An older tarball at the destination belongs to an earlier Dockerfile: not this build's output.
    await rm(opts.outTar, { force: true })
    throw err
  } finally {
    await closeStream(log)
  }
}

interface BuildContext {
  opts: DockerBuildOptions
  deps: DockerBuildDeps
  parsed: ParsedDockerfile
  log: WriteStream
}

async function runBuild(ctx: BuildContext, spec: DockerBuildSpec, output: DockerBuildOutput): Promise<void> {
  const argv = dockerBuildArgv(spec, output)
  const result = await runDocker(ctx, argv, true)
  if (result.timedOut) {
    throw new DockerInfrastructureError(
      `docker build of ${ctx.opts.dockerfile} did not finish within ${Math.round((ctx.opts.timeoutMs ?? 0) / 1000)} s`,
      'Look at the build log for the step that hangs (often a network download); raise the timeout if the build is just slow.',
      null,
      [],
      ctx.opts.logPath
    )
  }
  // Killed because the check was interrupted: not the Dockerfile's failure.
  throwIfInterrupted(ctx.opts.signal, 'the Docker build')
  if (result.code !== 0)
    throw buildError(ctx.opts, analyzeBuildFailure(result.stderr + '\n' + result.stdout, ctx.parsed))
}

/**
 * `-o type=tar` carries no image configuration, so the same build runs once more to a tagged image
 * (every step is a cache hit, so it costs the export of the final stage only) and `docker image
 * inspect` reads it. Chosen over reading the Dockerfile's final stage ourselves: Docker's own answer
 * includes what a stage inherits from its base image, ARG substitution and ONBUILD, which a
 * Dockerfile reader would have to re-implement and would still get wrong for an image it cannot see.
 */
async function readImageConfig(ctx: BuildContext, spec: DockerBuildSpec): Promise<ImageConfig> {
  const tag = `unikraft-compat/${randomBytes(6).toString('hex')}`
  ctx.log.write(
    `\n# second build, to a tagged image, for the image configuration (CMD, ENTRYPOINT, ENV, WORKDIR)\n`
  )
  await runBuild(ctx, spec, { tag })
  try {
    const inspect = await runDocker(ctx, dockerInspectArgv(spec.docker, tag), false)
    if (inspect.code !== 0) {
      throw new DockerInfrastructureError(
        `docker image inspect ${tag} failed: ${lastLine(inspect.stderr)}`,
        START_DOCKER_HINT,
        null,
        [],
        ctx.opts.logPath
      )
    }
    return parseImageInspect(inspect.stdout)
  } finally {
    // Best effort: a leftover tag costs a little disk, never correctness.
    const untag = await runDocker(ctx, dockerUntagArgv(spec.docker, tag), false).catch(() => null)
    if (untag?.code !== 0) ctx.deps.logger.debug(`could not remove the temporary image tag ${tag}`)
  }
}

async function runDocker(ctx: BuildContext, argv: string[], toLog: boolean): Promise<RunResult> {
  const { opts, log } = ctx
  if (toLog) log.write(`$ DOCKER_BUILDKIT=1 ${argv.join(' ')}\n`)
  const write = toLog ? (line: string) => void log.write(line + '\n') : undefined
  try {
    return await ctx.deps.runner.run(argv, {
      env: { ...DOCKER_BUILD_ENV },
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      onSpawn:
        toLog && opts.pidFile
          ? pid => writeFileSync(opts.pidFile!, `${pid}\n${opts.dockerfile}\n`)
          : undefined,
      onStdoutLine: write,
      onStderrLine: write,
      maxBuffer: 4 * 1024 * 1024
    })
  } catch (err) {
    if (err instanceof CommandNotFoundError) {
      throw new DockerInfrastructureError(
        `The docker client '${argv[0]}' is not installed`,
        'Install Docker (Debian/Ubuntu: apt-get install docker.io) and start it; on GitHub runners Docker is preinstalled.',
        null,
        [],
        null
      )
    }
    throw err
  } finally {
    if (toLog && opts.pidFile) rmSync(opts.pidFile, { force: true })
  }
}
async function requireTarball(path: string, logPath: string): Promise<void> {
  const st = await stat(path).catch(() => null)
  if (!st || st.size === 0) {
    throw new DockerInfrastructureError(
      'docker build succeeded but wrote no tarball: the legacy builder ignores -o',
      'Use a Docker with BuildKit (DOCKER_BUILDKIT=1 is set; Docker 18.09 or newer, or the buildx plugin).',
      null,
      [],
      logPath
    )
  }
}

function lastLine(s: string): string {
  return s.trim().split('\n').pop() ?? ''
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise(resolve => stream.end(() => resolve()))
}
