#!/usr/bin/env node
// The cache server's command: runs src/main.ts through tsx, like the workspace's other tools.
// A host that serves the cache needs no checkout: `nx run cache-server:bundle` makes one
// dependency-free file, dist/cache-server.cjs, to run with plain `node` (docs/operations.md).
'use strict';
const { join } = require('node:path');

require('tsx/cjs/api').register();
require(join(__dirname, '..', 'src', 'main.ts'));
