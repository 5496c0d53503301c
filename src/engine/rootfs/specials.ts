// Device nodes and fifos that an extraction could not create on disk (not root, no mknod) are
// kept in a sidecar file next to the tree, `<tree>.specials.json`, which packDirectory and the
// manifest merge back in, so the initrd still gets them.
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { comparePaths } from './tree-path.js'

export interface SpecialNode {
  /** Relative path inside the tree, '/'-separated. */
  path: string
  type: 'char' | 'block' | 'fifo'
  /** Permission bits. */
  mode: number
  rdevMajor: number
  rdevMinor: number
}

export function specialsSidecarPath(treeDir: string): string {
  return treeDir.replace(/\/+$/, '') + '.specials.json'
}

export async function readSpecials(treeDir: string): Promise<SpecialNode[]> {
  let text: string
  try {
    text = await readFile(specialsSidecarPath(treeDir), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const parsed = JSON.parse(text) as { version?: number; entries?: SpecialNode[] }
  if (parsed.version !== 1 || !Array.isArray(parsed.entries)) {
    throw new Error(`${specialsSidecarPath(treeDir)}: not a special-node list this version understands`)
  }
  return parsed.entries
}

export async function writeSpecials(treeDir: string, nodes: SpecialNode[]): Promise<void> {
  const out = specialsSidecarPath(treeDir)
  if (nodes.length === 0) {
    await rm(out, { force: true })
    return
  }
  const tmp = `${out}.partial-${process.pid}`
  // Sorted: the archive order, whatever order the extraction met them in.
  const entries = [...nodes].sort((a, b) => comparePaths(a.path, b.path))
  await writeFile(tmp, JSON.stringify({ version: 1, entries }, null, 2) + '\n')
  await rename(tmp, out)
}
