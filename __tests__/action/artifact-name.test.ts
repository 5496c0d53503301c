// Artifact names: unique per matrix combination (names must be unique within a run) and always
// made of characters GitHub accepts; and the artifact page URL, built as upload-artifact builds it.
import { describe, expect, it } from '@jest/globals'
import { artifactName, artifactUrl, sanitizeArtifactName } from '../../src/action/artifacts.js'

const FORBIDDEN = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/']

describe('artifactName', () => {
  it.each([
    [
      { app: 'examples/redis', version: '0.17.0', guest: 'unikraft', arch: 'x86_64' },
      'unikraft-compat-examples-redis-0.17.0-unikraft-x86_64'
    ],
    [
      { app: './examples/nginx/', version: 'latest', guest: 'linux', arch: 'x86_64' },
      'unikraft-compat-examples-nginx-latest-linux-x86_64'
    ],
    [
      { app: '.', version: 'latest', guest: 'unikraft', arch: 'x86_64' },
      'unikraft-compat-app-latest-unikraft-x86_64'
    ],
    [
      { app: '', version: '0.16.3', guest: 'unikraft', arch: 'x86_64' },
      'unikraft-compat-app-0.16.3-unikraft-x86_64'
    ],
    [
      { app: 'C:\\src\\app', version: '0.17.0', guest: 'unikraft', arch: 'x86_64' },
      'unikraft-compat-C-src-app-0.17.0-unikraft-x86_64'
    ],
    [{ app: 'x', version: '1', guest: 'g', arch: 'a', override: 'my logs' }, 'my logs'],
    [
      { app: 'x', version: '1', guest: 'g', arch: 'a', override: 'logs: "redis" <x86|arm>?*' },
      'logs- -redis- -x86-arm'
    ],
    [{ app: 'x', version: '1', guest: 'g', arch: 'a', override: '  ' }, 'unikraft-compat-x-1-g-a'],
    [{ app: 'x', version: '1', guest: 'g', arch: 'a', override: '/\\:' }, 'unikraft-compat']
  ])('%j → %s', (parts, expected) => {
    expect(artifactName(parts)).toBe(expected)
  })

  it('gives every combination of a realistic matrix its own name', () => {
    const names = new Set<string>()
    let combinations = 0
    for (const app of ['.', 'examples/redis', 'examples/nginx', 'examples/hello-c'])
      for (const version of ['latest', '0.17.0', '0.16.3'])
        for (const guest of ['unikraft', 'linux'])
          for (const arch of ['x86_64', 'arm64']) {
            combinations++
            names.add(artifactName({ app, version, guest, arch }))
          }
    expect(names.size).toBe(combinations)
  })

  it.each(['a"b', 'a:b', 'a<b>c', 'a|b', 'a*b', 'a?b', 'a\r\nb', 'a\\b', 'a/b', '$(touch pwned)`x`;"\'\n'])(
    'never lets a refused character through: %j',
    raw => {
      for (const name of [
        sanitizeArtifactName(raw),
        artifactName({ app: raw, version: raw, guest: raw, arch: raw })
      ]) {
        expect(name).not.toBe('')
        for (const c of FORBIDDEN) expect(name).not.toContain(c)
      }
    }
  )
})

describe('artifactUrl', () => {
  it.each([
    [
      { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' },
      'https://github.com/o/r/actions/runs/42/artifacts/7'
    ],
    [
      { GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' },
      'https://ghe.example.com/o/r/actions/runs/42/artifacts/7'
    ],
    [{ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' }, undefined],
    [{}, undefined]
  ])('%j → %s', (env, expected) => {
    expect(artifactUrl(7, env)).toBe(expected)
  })
})
