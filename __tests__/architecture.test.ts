// The shape every change keeps: the engine runs the same under the action and the CLI (it never
// imports @actions/* or the fronts); no source file is over 350 lines unless it says why; no import
// cycle anywhere in src/; every test file sits where its module's path says (__tests__ mirrors src).
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const src = join(root, 'src')
const engine = join(src, 'engine')

function files(dir: string, ext = '.ts'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? files(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []
  )
}
const text = (f: string): string => readFileSync(f, 'utf8')

/** The modules a source file imports (static, dynamic and re-exports), as absolute .ts paths. */
export function importsOf(file: string): string[] {
  const specs = [...text(file).matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)].map(m => m[1])
  return specs.map(s => resolve(dirname(file), `${s}.ts`)).filter(p => existsSync(p))
}

/** Every import cycle among `nodes` (each as `a -> b -> a`, relative to src/). */
export function cyclesOf(nodes: string[], edges: (f: string) => string[]): string[] {
  const state = new Map<string, 'visiting' | 'done'>()
  const cycles: string[] = []
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return
    if (state.get(f) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(f)), f].map(p => relative(src, p)).join(' -> '))
      return
    }
    state.set(f, 'visiting')
    for (const d of edges(f)) visit(d, [...path, f])
    state.set(f, 'done')
  }
  for (const f of nodes) visit(f, [])
  return cycles
}

describe('architecture', () => {
  it('src/engine never mentions @actions/ (imports, dynamic imports, requires)', () => {
    const offenders = files(engine).filter(f => text(f).includes('@actions/'))
    expect(offenders).toEqual([])
  })
  it('src/engine never imports the action or CLI fronts', () => {
    const offenders = files(engine).filter(f => /from '(\.\.\/)+(action|cli)\//.test(text(f)))
    expect(offenders).toEqual([])
  })

  it('no file in src/ is over 350 lines unless it says why ("over 350 lines because")', () => {
    const long = files(src).filter(f => {
      const t = text(f)
      const lines = t.split('\n').length - (t.endsWith('\n') ? 1 : 0)
      return lines > 350 && !/over 350 lines because/.test(t)
    })
    expect(long.map(f => relative(src, f))).toEqual([])
  })

  it('src/ has no import cycle', () => {
    expect(cyclesOf(files(src), importsOf)).toEqual([])
  })

  it('the cycle check finds a cycle (it can fail)', () => {
    const a = '/x/src/a.ts'
    const b = '/x/src/b.ts'
    expect(cyclesOf([a, b], f => (f === a ? [b] : [a])).length).toBeGreaterThan(0)
  })

  it("__tests__ mirrors src: a test named after a module sits in that module's directory", () => {
    const modules = new Map<string, string[]>()
    for (const f of files(src)) {
      const name = f.split('/').pop()!.replace(/\.ts$/, '')
      modules.set(name, [...(modules.get(name) ?? []), relative(src, dirname(f))])
    }
    const misplaced: string[] = []
    for (const t of files(join(root, '__tests__'), '.test.ts')) {
      const name = t
        .split('/')
        .pop()!
        .replace(/(\.integration)?\.test\.ts$/, '')
      const dirs = modules.get(name)
      const at = relative(join(root, '__tests__'), dirname(t))
      // src/cli.ts's tests may sit in __tests__/cli/ (the directory of the same name).
      if (dirs && !dirs.some(d => d === at || join(d, name) === at))
        misplaced.push(`${relative(root, t)} (module in src/${dirs.join(', src/')})`)
    }
    expect(misplaced).toEqual([])
  })
})
