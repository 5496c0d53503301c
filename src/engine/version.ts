// The tool's name and version (kept equal to package.json by a test).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const TOOL_NAME = 'unikraft-compat'
export const TOOL_VERSION = '0.1.0'

/**
 * The directory of the tool's own package (where package.json, kernels/ and dist/ are), found by
 * walking up from this module: the same from the sources, the bundle's chunks and an npm install.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from)
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }
      if (pkg.name === TOOL_NAME) return dir
    } catch {
      // no package.json here: keep walking up
    }
    const up = dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

/** Where a kernel store shipped with the tool would be: `<package root>/kernels`. */
export function shippedKernelStoreDir(): string | undefined {
  const root = packageRoot()
  return root ? join(root, 'kernels') : undefined
}
