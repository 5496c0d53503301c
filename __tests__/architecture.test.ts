// The engine runs the same under the action and the CLI: it never imports @actions/* or the fronts.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const engine = new URL('../src/engine', import.meta.url).pathname

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  )
}

describe('architecture', () => {
  it('src/engine never mentions @actions/ (imports, dynamic imports, requires)', () => {
    const offenders = files(engine).filter(f => readFileSync(f, 'utf8').includes('@actions/'))
    expect(offenders).toEqual([])
  })
  it('src/engine never imports the action or CLI fronts', () => {
    const offenders = files(engine).filter(f => /from '(\.\.\/)+(action|cli)\//.test(readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
  })
})
