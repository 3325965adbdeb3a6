#!/usr/bin/env node
// The CLI's entry point: runs src/main.ts as the esbuild bundle Nx builds (`nx run cli:bundle`,
// into the git-ignored tools/ship/cli/dist/), rebuilt first when a source changed (fresh-bundle.cjs).
// Starting through tsx instead costs ~1 s per call.
'use strict';
const { join, resolve } = require('node:path');
const { loadFreshBundle } = require('./fresh-bundle.cjs');

const dist = join(__dirname, '..', 'dist');
loadFreshBundle({
  root: resolve(__dirname, '..', '..', '..', '..'),
  project: 'cli',
  bundle: join(dist, 'bllvm-release.cjs'),
  metafile: join(dist, 'bllvm-release.meta.json'),
  name: 'bllvm-release',
}).main(process.argv.slice(2));
