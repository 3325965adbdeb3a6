// What executors.json points Nx at: each executor as a prebuilt bundle of
// src/executors/<name>/executor.ts (see tools/bundle/load-fresh.cjs), loaded only when Nx asks
// for it. A task process then starts without a TypeScript transpiler.
'use strict';
const { join } = require('node:path');
const { loadFresh } = require('../../bundle/load-fresh.cjs');

for (const name of Object.keys(require('./executors.json').executors)) {
  Object.defineProperty(exports, name, {
    enumerable: true,
    get: () => loadFresh(join(__dirname, 'src', 'executors', name, 'executor.ts'), join(__dirname, 'dist', `${name}.cjs`)).default,
  });
}
