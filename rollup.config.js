// Bundles the three entry points into dist/ as ES modules with shared chunks.
// ES output (not CommonJS) because a current Azure storage dependency of @actions/artifact
// reads import.meta.url, which a CommonJS bundle breaks at load time.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'
import { rmSync } from 'node:fs'

/**
 * Empties dist/ before each build: rollup only writes, so a chunk a change no longer produces would
 * stay behind, committed and unused, and CI's "a clean bundle leaves dist/ unchanged" could not see it.
 */
const cleanDist = { name: 'clean-dist', buildStart: () => rmSync('dist', { recursive: true, force: true }) }

const config = {
  input: { main: 'src/main.ts', post: 'src/post.ts', cli: 'src/cli.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: false,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    banner: chunk => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : '')
  },
  onwarn(warning, warn) {
    // Third-party code (Azure SDK, protobuf) uses `this` at top level and circular imports: harmless.
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return
    warn(warning)
  },
  plugins: [
    cleanDist,
    typescript({ tsconfig: 'tsconfig.build.json', outDir: 'dist', noEmit: false }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json()
  ]
}

export default config
