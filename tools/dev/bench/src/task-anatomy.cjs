// Preloaded (NODE_OPTIONS=--require) into Nx's per-task process (run-executor.js) by the bench,
// to say where a task's start-up time goes: Node start, Nx's modules, the TypeScript compiler
// Nx loads to read tsconfig, the TS transpiler, importing the executor, and the process's CPU
// until the executor was imported and in all. Appends one JSON line
// per task process to $BENCH_ANATOMY_LOG. Does nothing in any other process.
'use strict';
if (process.env.BENCH_ANATOMY_LOG && process.argv.some((a) => a.endsWith('run-executor.js'))) {
  const { performance } = require('node:perf_hooks');
  const fs = require('node:fs');
  const Module = require('node:module');
  const out = process.env.BENCH_ANATOMY_LOG;
  const marks = { preloadMs: performance.now() };
  // The process's own CPU (user + system) since it started: what Nx costs per task, whatever the machine's load.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const loads = { typescript: 0, transpiler: 0, executorImport: 0, other: 0 };
  let depth = 0;
  const original = Module._load;
  Module._load = function load(request) {
    const started = performance.now();
    depth++;
    try {
      return original.apply(this, arguments);
    } finally {
      depth--;
      if (depth === 0) {
        const ms = performance.now() - started;
        if (request === 'typescript') loads.typescript += ms;
        else if (/@swc-node|@swc\/core|ts-node|tsconfig-paths/.test(request)) loads.transpiler += ms;
        else if (/executors?[\\/].*executor(\.[cm]?[jt]s)?$|nx-plugin/.test(request)) {
          loads.executorImport += ms;
          marks.executorImportedMs = performance.now();
          marks.cpuAtExecutorMs = cpuMs();
        } else loads.other += ms;
      }
    }
  };
  process.on('message', () => {
    if (marks.messageMs === undefined) marks.messageMs = performance.now();
  });
  process.on('exit', () => {
    marks.exitMs = performance.now();
    marks.cpuAtExitMs = cpuMs();
    try {
      fs.appendFileSync(out, JSON.stringify({ pid: process.pid, marks, loads }) + '\n');
    } catch {
      // best effort: a measurement must never fail the task
    }
  });
}
