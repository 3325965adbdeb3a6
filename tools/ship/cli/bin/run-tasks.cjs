#!/usr/bin/env node
// The CLI's task runner (src/nx-runner/runner.ts), started by the CLI as a child process inside
// the workspace with an IPC channel; runs from the bundle `nx run cli:bundle` builds, like the CLI.
'use strict';
const { join, resolve } = require('node:path');
const { loadFreshBundle } = require('./fresh-bundle.cjs');

const dist = join(__dirname, '..', 'dist');
loadFreshBundle({
  root: resolve(__dirname, '..', '..', '..', '..'),
  project: 'cli',
  bundle: join(dist, 'run-tasks.cjs'),
  metafile: join(dist, 'run-tasks.meta.json'),
  name: 'run-tasks',
});
