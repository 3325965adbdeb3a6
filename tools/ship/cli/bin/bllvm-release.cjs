#!/usr/bin/env node
// The CLI's entry point: runs src/main.ts from its prebuilt bundle, rebuilt whenever a source
// changed (tools/bundle/load-fresh.cjs). Starting through tsx instead costs ~1 s per call.
'use strict';
const { join } = require('node:path');
const { loadFresh } = require('../../../bundle/load-fresh.cjs');

let cli;
try {
  cli = loadFresh(join(__dirname, '..', 'src', 'main.ts'), join(__dirname, '..', 'dist', 'bllvm-release.cjs'));
} catch (e) {
  process.stderr.write(`bllvm-release: ${e.message}\n`);
  process.exit(1);
}
cli.main(process.argv.slice(2));
