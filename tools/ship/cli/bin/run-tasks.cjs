#!/usr/bin/env node
// The CLI's task runner (src/nx-runner/runner.ts), started by the CLI as a child process inside
// the workspace with an IPC channel; from its prebuilt bundle like the CLI itself.
'use strict';
const { join } = require('node:path');
const { loadFresh } = require('../../../bundle/load-fresh.cjs');

try {
  loadFresh(join(__dirname, '..', 'src', 'nx-runner', 'runner.ts'), join(__dirname, '..', 'dist', 'run-tasks.cjs'));
} catch (e) {
  process.stderr.write(`run-tasks: ${e.message}\n`);
  process.exit(1);
}
