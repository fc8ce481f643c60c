// Bundles the server into one file, dist/pigeonhole.mjs, that runs with plain `node` and no node_modules.
import { build } from 'esbuild'
import { statSync } from 'node:fs'

const outfile = 'dist/pigeonhole.mjs'
await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  minify: process.env.PIGEONHOLE_BUILD_READABLE !== '1', // readable names in CPU profiles when asked
  sourcemap: false,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node\nimport { createRequire as __pigeonholeRequire } from "node:module"; const require = __pigeonholeRequire(import.meta.url);' },
  loader: { '.min.js': 'text' },
  logLevel: 'warning',
})
console.log(`built ${outfile} (${Math.round(statSync(outfile).size / 1024)} KB)`)
