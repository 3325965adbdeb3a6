#!/usr/bin/env node
// npm bin shim: run the TypeScript entry point through tsx so there is no build step.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const tsx = require.resolve('tsx/cli');
const r = spawnSync(process.execPath, [tsx, join(__dirname, '..', 'src', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
