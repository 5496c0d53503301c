// The docker command lines of a Dockerfile root filesystem build, as data (argv arrays, never a
// shell line): the build to a tarball, the same build to a tagged image, inspect and untag.

export const DEFAULT_DOCKER = '/usr/bin/docker'

export interface DockerBuildSpec {
  docker: string
  dockerfile: string
  context: string
  target?: string
  buildArgs?: Record<string, string>
}

/** Where the build goes: a filesystem tarball (BuildKit's tar exporter) or a tagged local image. */
export type DockerBuildOutput = { tar: string } | { tag: string }

/**
 * `docker build` with plain progress (a readable log, parsed on failure). Needs DOCKER_BUILDKIT=1
 * in the environment (see DOCKER_BUILD_ENV): the legacy builder ignores `-o`, exits 0 and writes nothing.
 */
export function dockerBuildArgv(spec: DockerBuildSpec, output: DockerBuildOutput): string[] {
  const argv = [spec.docker, 'build', '--progress=plain', '-f', spec.dockerfile]
  if (spec.target) argv.push('--target', spec.target)
  for (const [key, value] of Object.entries(spec.buildArgs ?? {})) argv.push('--build-arg', `${key}=${value}`)
  if ('tar' in output) argv.push('-o', `type=tar,${csvField(`dest=${output.tar}`)}`)
  else argv.push('-t', output.tag)
  argv.push(spec.context)
  return argv
}

export const DOCKER_BUILD_ENV: Readonly<Record<string, string>> = { DOCKER_BUILDKIT: '1' }

export function dockerInspectArgv(docker: string, image: string): string[] {
  return [docker, 'image', 'inspect', image]
}

/** Removes the tag only; the build cache keeps the layers, so the next build stays cheap. */
export function dockerUntagArgv(docker: string, image: string): string[] {
  return [docker, 'image', 'rm', image]
}

/** `-o` is parsed as one CSV record: a path with a comma or a quote must be a quoted field. */
function csvField(field: string): string {
  return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field
}
