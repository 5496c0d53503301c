// /etc/ld.so.conf as ldconfig reads it, inside a tree: one directory per line, `include`
// globs (relative ones taken from the including file's directory), comments, `hwcap` ignored.
import { readFileSync, readdirSync } from 'node:fs'
import { guestDirname, toGuestPath, type TreeView } from './tree-path.js'

const MAX_INCLUDE_DEPTH = 16

function globToRegExp(glob: string): RegExp {
  let re = '^'
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')
        re += `[${body}]`
        i = end
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(re + '$')
}

/** Expands a glob inside the tree; results sorted, as glob(3) returns them. */
export function globInTree(view: TreeView, pattern: string): string[] {
  let paths = ['/']
  for (const comp of pattern.split('/').filter(Boolean)) {
    const next: string[] = []
    for (const dir of paths) {
      if (!/[*?[]/.test(comp)) {
        next.push(dir === '/' ? `/${comp}` : `${dir}/${comp}`)
        continue
      }
      const real = view.resolve(dir)
      if (!real || !real.stats.isDirectory()) continue
      let names: string[]
      try {
        names = readdirSync(view.hostPath(real.path)).sort()
      } catch {
        continue
      }
      const re = globToRegExp(comp)
      for (const n of names)
        if (!n.startsWith('.') && re.test(n)) next.push(dir === '/' ? `/${n}` : `${dir}/${n}`)
    }
    paths = next
  }
  return paths.filter(p => view.resolve(p) !== null)
}

/** The library directories an ld.so.conf names, in order, duplicates removed. */
export function readLdSoConf(view: TreeView, confPath = '/etc/ld.so.conf'): string[] {
  const dirs: string[] = []
  const seen = new Set<string>()
  const visit = (file: string, depth: number): void => {
    if (depth > MAX_INCLUDE_DEPTH) return
    const real = view.resolve(file)
    if (!real || !real.stats.isFile()) return
    let text: string
    try {
      text = readFileSync(view.hostPath(real.path), 'utf8')
    } catch {
      return
    }
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*$/, '').trim()
      if (!line) continue
      const inc = /^include\s+(.+)$/.exec(line)
      if (inc) {
        for (const pat of inc[1].split(/\s+/)) {
          const abs = pat.startsWith('/') ? pat : `${guestDirname(file)}/${pat}`
          for (const f of globInTree(view, abs)) visit(f, depth + 1)
        }
        continue
      }
      if (/^hwcap\s/.test(line)) continue
      // Legacy "dir=TYPE" lines: the type is ignored by modern ldconfig too.
      const dir = toGuestPath(line.replace(/=.*$/, '').trim())
      if (!seen.has(dir)) {
        seen.add(dir)
        dirs.push(dir)
      }
    }
  }
  visit(confPath, 0)
  return dirs
}
