// The diagnosis sources stay readable: no file over 350 lines unless a comment in it says why
// (`over 350 lines because ...`), and no import cycle between them.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'

const DIR = new URL('../../../src/engine/diagnose/', import.meta.url).pathname
const files = readdirSync(DIR).filter(f => f.endsWith('.ts'))
const source = (f: string): string => readFileSync(join(DIR, f), 'utf8')

describe('src/engine/diagnose', () => {
  it.each(files)('%s has at most 350 lines, or says why', f => {
    const text = source(f)
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
    if (lines > 350) expect(text).toMatch(/over 350 lines because/)
  })

  it('has no import cycle', () => {
    const imports = new Map<string, string[]>()
    for (const f of files) {
      const deps = [...source(f).matchAll(/from '\.\/([\w-]+)\.js'/g)].map(m => `${m[1]}.ts`)
      imports.set(f, deps)
    }
    const state = new Map<string, 'visiting' | 'done'>()
    const cycles: string[] = []
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return
      if (state.get(f) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' -> '))
        return
      }
      state.set(f, 'visiting')
      for (const d of imports.get(f) ?? []) visit(d, [...path, f])
      state.set(f, 'done')
    }
    for (const f of files) visit(f, [])
    expect(cycles).toEqual([])
  })
})
