// Prebuilt entry points. The CLI and the Nx executors are TypeScript; loading them through a
// transpiler costs every process about a second (tsx, or Nx registering swc-node and reading
// tsconfig with the TypeScript compiler) — once per CLI call and once per Nx task. Instead each
// entry point is bundled with esbuild into one CommonJS file, and rebuilt when any file that went
// into it has changed, so nobody runs stale code and there is no build step to forget.
//
// Plain CommonJS on purpose: this file must load without any transpiler.
'use strict';
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, isAbsolute, join, relative, resolve } = require('node:path');

const WORKSPACE_ROOT = resolve(__dirname, '..', '..');
// Bump when the build options below change, so old bundles are rebuilt.
const FORMAT = 1;
// Not in the metafile's inputs, but they decide how imports resolve.
const ALSO_WATCH = ['tsconfig.base.json', 'package-lock.json'];

/** @param {string} file */
function stamp(file) {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** @param {string} outfile */
function sidecarOf(outfile) {
  return `${outfile}.inputs.json`;
}

/**
 * True when `outfile` exists and none of the files it was built from changed since.
 * @param {string} outfile
 * @param {string} [root] what the recorded input paths are relative to
 */
function isFresh(outfile, root = WORKSPACE_ROOT) {
  if (!existsSync(outfile)) return false;
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(sidecarOf(outfile), 'utf8'));
  } catch {
    return false;
  }
  if (!recorded || recorded.format !== FORMAT || typeof recorded.inputs !== 'object') return false;
  for (const [file, was] of Object.entries(recorded.inputs)) if (stamp(resolve(root, file)) !== was) return false;
  return true;
}

/**
 * Bundle `entry` into `outfile`. Concurrent builds (parallel Nx tasks in a fresh checkout) are
 * safe: each writes its own temporary files and renames them into place.
 * @param {string} entry
 * @param {string} outfile
 * @param {string} [root]
 */
function buildBundle(entry, outfile, root = WORKSPACE_ROOT) {
  const esbuild = require('esbuild');
  const started = Date.now();
  let result;
  try {
    result = esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Executors import only types from Nx; nothing of Nx may be bundled twice.
      external: ['nx', '@nx/*', 'esbuild'],
      metafile: true,
      write: false,
      outfile,
      logLevel: 'silent',
    });
  } catch (e) {
    const errors = /** @type {{ errors?: { text: string; location?: { file: string; line: number; column: number } }[] }} */ (e).errors ?? [];
    const detail = errors.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text)).join('\n  ');
    throw new Error(`cannot build ${relative(root, outfile)} from ${relative(root, entry)}:\n  ${detail || /** @type {Error} */ (e).message}`);
  }
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...ALSO_WATCH]) {
    const abs = isAbsolute(file) ? file : resolve(root, file);
    // A file edited while esbuild read it: leave no record, so the next load builds again.
    const s = stamp(abs);
    if (s !== 'missing' && statSync(abs).mtimeMs > started) return loadFromOutput(result, outfile);
    inputs[relative(root, abs)] = s;
  }
  const tmp = `${outfile}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(outfile), { recursive: true });
    writeFileSync(tmp, result.outputFiles[0].contents);
    renameSync(tmp, outfile);
    writeFileSync(`${tmp}.inputs`, JSON.stringify({ format: FORMAT, entry: relative(root, entry), inputs }, null, 1));
    renameSync(`${tmp}.inputs`, sidecarOf(outfile));
  } catch (e) {
    // A read-only checkout or a full disk must not stop the CLI from running (and reporting it).
    process.stderr.write(`note: cannot save ${relative(root, outfile)} (${/** @type {Error} */ (e).message}); running it from memory\n`);
    return loadFromOutput(result, outfile);
  } finally {
    for (const leftover of [tmp, `${tmp}.inputs`]) {
      try {
        rmSync(leftover, { force: true });
      } catch {
        // nothing was written there
      }
    }
  }
  return undefined;
}

/** The bundle could not be recorded as fresh: run it from memory this once. */
function loadFromOutput(result, outfile) {
  const Module = require('node:module');
  const m = new Module(outfile, module);
  m.filename = outfile;
  m.paths = Module._nodeModulePaths(dirname(outfile));
  m._compile(result.outputFiles[0].text, outfile);
  return m.exports;
}

/**
 * `require()` the bundle of a TypeScript entry point, building it first if it is missing or stale.
 * @param {string} entry  the .ts entry point
 * @param {string} outfile  where its bundle lives (a git-ignored dist/ folder)
 * @param {string} [root]  the workspace: esbuild's working dir, and what recorded paths are relative to
 */
function loadFresh(entry, outfile, root = WORKSPACE_ROOT) {
  entry = resolve(entry);
  outfile = resolve(outfile);
  if (!isFresh(outfile, root)) {
    const inMemory = buildBundle(entry, outfile, root);
    if (inMemory) return inMemory;
  }
  return require(outfile);
}

module.exports = { loadFresh, isFresh, buildBundle, WORKSPACE_ROOT };
