// Makes sure the CLI runs the bundle of its current sources. Nx builds the bundle (`nx run
// cli:bundle`, cached), but asking Nx on every call costs ~0.5 s of start-up, while a CLI call
// should take ~0.1 s. So this asks esbuild's own record of what went into the bundle (the
// metafile written beside it) whether any of those files is newer than the bundle, and only then
// goes through Nx. Plain CommonJS on purpose: it must load without any transpiler.
'use strict';
const { mkdirSync, readFileSync, rmSync, statSync, utimesSync } = require('node:fs');
const { join, resolve } = require('node:path');

// Not among esbuild's inputs, but they decide how imports resolve (also inputs of cli:bundle).
const ALSO_INPUTS = ['tsconfig.base.json', 'package-lock.json'];

/**
 * Why the bundle must be rebuilt, or undefined when it is current.
 * @param {string} bundle  the built .cjs
 * @param {string} metafile  esbuild's metafile of that build (input paths relative to root)
 * @param {string} root  the workspace
 * @returns {string | undefined}
 */
function staleReason(bundle, metafile, root) {
  let builtMs;
  try {
    builtMs = statSync(bundle).mtimeMs;
  } catch {
    return 'not built yet';
  }
  let inputs;
  try {
    inputs = Object.keys(JSON.parse(readFileSync(metafile, 'utf8')).inputs);
  } catch {
    return 'no readable record of its inputs';
  }
  for (const file of [...inputs, ...ALSO_INPUTS]) {
    let mtimeMs;
    try {
      mtimeMs = statSync(resolve(root, file)).mtimeMs;
    } catch {
      return `${file} is gone`;
    }
    if (mtimeMs > builtMs) return `${file} changed`;
  }
  return undefined;
}

/**
 * Rebuild through Nx (its cache makes a rebuild of unchanged sources a restore). Afterwards the
 * bundle's time is set to when this started, so a source saved during the build is newer than
 * the bundle next time, and a bundle Nx left as is (it matched the cache) is not rebuilt again.
 * @returns {{ ok: true } | { ok: false; output: string }}
 */
function rebuild(root, project, bundle) {
  const started = new Date();
  // Loaded only here: child_process alone costs a call that needs no rebuild several ms.
  const { spawnSync } = require('node:child_process');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'run', `${project}:bundle`, '--outputStyle=static'], {
    cwd: root,
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', NX_ISOLATE_PLUGINS: 'false', FORCE_COLOR: '0' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) return { ok: false, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
  utimesSync(bundle, started, started);
  return { ok: true };
}

/**
 * `require()` the bundle, rebuilding it first when stale. Exits the process when it cannot be
 * built: old code must not run in its place.
 * @param {{ root: string; project: string; bundle: string; metafile: string; name: string }} o
 */
function loadFreshBundle(o) {
  if (staleReason(o.bundle, o.metafile, o.root) !== undefined) {
    // Two calls started together in a checkout with a stale bundle must not rebuild at once: Nx
    // replaces the output folder, so one's rebuild removes the bundle under the other. The second
    // waits, then finds the bundle current and leaves it alone.
    // The lock is released before any exit: process.exit skips `finally`.
    const failed = underLock(join(o.root, '.nx', `${o.project}-bundle.lock`), () => {
      const why = staleReason(o.bundle, o.metafile, o.root);
      if (why === undefined) return undefined;
      const r = rebuild(o.root, o.project, o.bundle);
      return r.ok ? undefined : `${o.name}: cannot build ${o.project} (${why}); nx run ${o.project}:bundle said:\n${r.output.trim()}\n`;
    });
    if (failed) {
      process.stderr.write(failed);
      process.exit(1);
    }
  }
  return require(o.bundle);
}

/** How long a rebuild may hold the lock; an older lock was left by a process that died, and is taken over. */
const LOCK_MS = 10 * 60_000;

/** Runs `fn` holding the lock folder `lock` (mkdir is atomic), waiting for another holder first. */
function underLock(lock, fn) {
  mkdirSync(join(lock, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

module.exports = { staleReason, loadFreshBundle, ALSO_INPUTS };
