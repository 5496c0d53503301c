// The errors a Dockerfile root filesystem build throws: the user's (DockerBuildError: the Dockerfile
// or its context does not build) or the machine's (DockerInfrastructureError: engine down, no
// BuildKit, registry unreachable, disk full), each naming the Dockerfile line when there is one.
// buildError words what docker-build-failure.ts read from Docker's output as one of them.
import { ConfigurationError, InfrastructureError } from '../errors.js'
import { DEFAULT_DOCKER } from './docker-build-argv.js'
import type { BuildFailure } from './docker-build-failure.js'

export interface SourceLocation {
  file: string
  /** 1-based. */
  line: number
}

/** The Dockerfile (or its context) does not build: the user's to fix. */
export class DockerBuildError extends ConfigurationError {
  override name = 'DockerBuildError'
  constructor(
    message: string,
    readonly location: SourceLocation | null,
    readonly lastLines: string[],
    readonly logPath: string
  ) {
    super('rootfs', message)
  }
}

/** Docker could not build at all here (engine down, no BuildKit, registry unreachable, disk full). */
export class DockerInfrastructureError extends InfrastructureError {
  override name = 'DockerInfrastructureError'
  constructor(
    message: string,
    hint: string,
    readonly location: SourceLocation | null,
    readonly lastLines: string[],
    readonly logPath: string | null
  ) {
    super(message, hint)
  }
}

export const START_DOCKER_HINT =
  'Start the Docker engine (this project: .ci/start-dockerd.sh; with systemd: sudo systemctl start docker) ' +
  'and make sure this user can reach /var/run/docker.sock.'

/** What buildError needs to know of the build (DockerBuildOptions has it). */
export interface BuildErrorTarget {
  dockerfile: string
  logPath: string
  /** The docker client; default DEFAULT_DOCKER. */
  docker?: string
}

/** The error for a failed `docker build`, from what its output says (analyzeBuildFailure). */
export function buildError(opts: BuildErrorTarget, failure: BuildFailure): Error {
  const location = failure.line !== null ? { file: opts.dockerfile, line: failure.line } : null
  const at = location ? `${location.file}:${location.line}` : opts.dockerfile
  const what = failure.instruction ? ` (${shorten(failure.instruction, 100)})` : ''
  const evidence = failure.lines.map(l => `  ${l}`).join('\n')
  const tail = `${evidence ? `\n${evidence}` : ''}\nFull build log: ${opts.logPath}`
  const infra = (message: string, hint: string): DockerInfrastructureError =>
    new DockerInfrastructureError(message + tail, hint, location, failure.lines, opts.logPath)
  switch (failure.kind) {
    case 'daemon':
      return infra(
        'The Docker engine is not answering, so the root filesystem cannot be built',
        START_DOCKER_HINT
      )
    case 'client':
      return infra(
        `The docker client '${opts.docker ?? DEFAULT_DOCKER}' cannot write a BuildKit tarball (docker build -o)`,
        'Use a client with BuildKit outputs: /usr/bin/docker from Debian’s docker.io, or install the buildx plugin.'
      )
    case 'disk':
      return infra(
        'Docker ran out of disk space during the build',
        'Free disk space (docker builder prune, docker image prune).'
      )
    case 'frontend':
      return infra(
        `The '# syntax=' line at ${at} makes BuildKit fetch a frontend image, and the registry is unreachable`,
        'Remove the # syntax= line (Docker’s built-in frontend builds the Dockerfile unless it needs newer ' +
          'syntax), or run where the registry is reachable.'
      )
    case 'registry':
      return infra(
        `Docker could not fetch the base image at ${at}${what}: the registry is unreachable`,
        'Provide the image locally under the same name (docker load, or docker import like .ci/base-image.sh ' +
          'does for debian:bookworm-slim), or run where the registry is reachable.'
      )
    case 'target':
      return new ConfigurationError(
        'target',
        `Input 'target' names a stage that ${opts.dockerfile} does not define${tail}`
      )
    case 'dockerfile':
      return new DockerBuildError(
        `docker build failed at ${at}${what}:${tail}`,
        location,
        failure.lines,
        opts.logPath
      )
  }
}

function shorten(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ')
  return one.length > max ? `${one.slice(0, max - 3)}...` : one
}
