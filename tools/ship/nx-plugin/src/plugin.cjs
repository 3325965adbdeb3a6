// The entry Nx loads for this plugin (package.json `main`), on every Nx start. Plain CommonJS on
// purpose: a TypeScript entry makes Nx register a transpiler first, about 1 s of CPU on each start
// (and every CLI call, task run and test starts Nx). The inference itself (src/plugin/, over
// @bllvm/manifest) is bundled by esbuild into plugin-dist/ the first time and again whenever one of
// its inputs is newer than the bundle, as the CLI's bin does (tools/ship/cli/bin/fresh-bundle.cjs).
'use strict';
const { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..', '..', '..', '..');
const out = join(__dirname, '..', 'plugin-dist');
const bundle = join(out, 'plugin.cjs');
const metafile = join(out, 'plugin.meta.json');

/** Is the bundle missing, or older than any file esbuild's metafile says went into it? */
function stale() {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = Object.keys(JSON.parse(readFileSync(metafile, 'utf8')).inputs);
    return [...inputs, 'tsconfig.base.json', 'package-lock.json'].some((f) => statSync(resolve(root, f)).mtimeMs > built);
  } catch {
    return true; // not built, no readable record, or an input gone
  }
}

if (stale()) {
  // Loaded only here: esbuild's API starts its service process.
  const esbuild = require('esbuild');
  const tmp = join(out, `.tmp-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  const r = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [join(__dirname, 'plugin', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['nx', '@nx/*'],
    outfile: join(tmp, 'plugin.cjs'),
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(tmp, 'plugin.meta.json'), JSON.stringify(r.metafile));
  // The record first, then the bundle: a bundle is never newer than a record of other inputs.
  renameSync(join(tmp, 'plugin.meta.json'), metafile);
  renameSync(join(tmp, 'plugin.cjs'), bundle);
  rmSync(tmp, { recursive: true, force: true });
}

module.exports = require(bundle);
