import { describe, expect, it } from '@jest/globals'
import {
  DOCKER_BUILD_ENV,
  dockerBuildArgv,
  dockerInspectArgv,
  dockerUntagArgv,
  type DockerBuildOutput,
  type DockerBuildSpec
} from '../../../src/engine/rootfs/docker-build-argv.js'

const base: DockerBuildSpec = { docker: '/usr/bin/docker', dockerfile: 'app/Dockerfile', context: 'app' }
const D = ['/usr/bin/docker', 'build', '--progress=plain', '-f', 'app/Dockerfile']

describe('dockerBuildArgv', () => {
  it.each<[string, Partial<DockerBuildSpec>, DockerBuildOutput, string[]]>([
    ['tarball', {}, { tar: '/out/rootfs.tar' }, [...D, '-o', 'type=tar,dest=/out/rootfs.tar', 'app']],
    ['tagged image', {}, { tag: 'unikraft-compat/0a1b' }, [...D, '-t', 'unikraft-compat/0a1b', 'app']],
    [
      'target stage',
      { target: 'runtime' },
      { tar: '/o.tar' },
      [...D, '--target', 'runtime', '-o', 'type=tar,dest=/o.tar', 'app']
    ],
    [
      'build args in order, values verbatim (no shell)',
      { buildArgs: { VERSION: '1.2', GREETING: 'hello world; rm -rf /' } },
      { tar: '/o.tar' },
      [
        ...D,
        '--build-arg',
        'VERSION=1.2',
        '--build-arg',
        'GREETING=hello world; rm -rf /',
        '-o',
        'type=tar,dest=/o.tar',
        'app'
      ]
    ],
    ['a path with a space', {}, { tar: '/my out/r.tar' }, [...D, '-o', 'type=tar,dest=/my out/r.tar', 'app']],
    [
      'a path with a comma is a quoted CSV field',
      {},
      { tar: '/a,b/r.tar' },
      [...D, '-o', 'type=tar,"dest=/a,b/r.tar"', 'app']
    ],
    ['a path with a quote', {}, { tar: '/a"b/r.tar' }, [...D, '-o', 'type=tar,"dest=/a""b/r.tar"', 'app']],
    ['another client', { docker: 'docker' }, { tag: 't' }, ['docker', ...D.slice(1), '-t', 't', 'app']]
  ])('%s', (_name, spec, output, argv) => {
    expect(dockerBuildArgv({ ...base, ...spec }, output)).toEqual(argv)
  })

  it('BuildKit is switched on through the environment (the legacy builder ignores -o)', () => {
    expect(DOCKER_BUILD_ENV).toEqual({ DOCKER_BUILDKIT: '1' })
  })

  it('inspect and untag', () => {
    expect(dockerInspectArgv('/usr/bin/docker', 'unikraft-compat/ab')).toEqual([
      '/usr/bin/docker',
      'image',
      'inspect',
      'unikraft-compat/ab'
    ])
    expect(dockerUntagArgv('/usr/bin/docker', 'unikraft-compat/ab')).toEqual([
      '/usr/bin/docker',
      'image',
      'rm',
      'unikraft-compat/ab'
    ])
  })
})
