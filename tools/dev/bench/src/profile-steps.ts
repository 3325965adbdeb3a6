/**
 * Where a task's time outside cargo goes: the steps the cargo executor takes before and after
 * cargo, re-enacted in this process with the same library calls (warm checkouts, as in a real
 * run after the first), each timed on its own. Read-only except for a scratch folder.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse as parseToml } from 'smol-toml';
import { pinPath, readComponentGraph, readPin, upstreamOf } from '@bllvm/manifest';
import { readConfig } from '@bllvm/contract';
import { git, isTracked, prepareSources, withLock } from '@bllvm/sources';
import { type Stat, stat } from './stats';

export interface StepProfile {
  component: string;
  upstreams: number;
  steps: Record<string, Stat>;
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function profileExecutorSteps(workspaceRoot: string, env: NodeJS.ProcessEnv, component: string, reps = 5): Promise<StepProfile> {
  const samples: Record<string, number[]> = {};
  const add = (k: string, ms: number) => (samples[k] ??= []).push(ms);
  const cfg = readConfig(workspaceRoot, env);
  const scratch = await mkdtemp(join(tmpdir(), 'bllvm-bench-steps-'));
  let upstreams = 0;
  try {
    for (let i = 0; i < reps; i++) {
      let graph!: Awaited<ReturnType<typeof readComponentGraph>>;
      add('read graph (apps/*/project.json)', await timed(async () => (graph = await readComponentGraph(workspaceRoot))));
      const stack = [...upstreamOf(graph, component), component];
      upstreams = stack.length - 1;
      const pins: Record<string, Awaited<ReturnType<typeof readPin>>> = {};
      add('read pins', await timed(async () => {
        for (const c of stack) pins[c] = await readPin(pinPath(workspaceRoot, graph.roots[c]!));
      }));
      let checkouts: Record<string, string> = {};
      add(`check out stack (${stack.length} repos, warm)`, await timed(async () => {
        checkouts = await prepareSources(cfg, stack.map((c) => ({ component: c, pin: pins[c]! })));
      }));
      add('  of which: one lock acquire+release', await timed(() => withLock(join(scratch, 'lock'), async () => undefined)));
      add('  of which: one git process (rev-parse)', await timed(() => git(['rev-parse', 'HEAD'], { cwd: checkouts[component]! })));
      add('crate names of upstreams (Cargo.toml)', await timed(async () => {
        for (const c of stack) parseToml(await readFile(join(checkouts[c]!, 'Cargo.toml'), 'utf8'));
      }));
      add('Cargo.lock tracked? (git ls-files)', await timed(() => isTracked(checkouts[component]!, 'Cargo.lock')));
      const built = join(workspaceRoot, 'dist', component, 'build');
      const files = (await readdir(built).catch(() => [] as string[])).filter((f) => !f.endsWith('.sha256') && f !== 'build.json');
      add(`copy + sha256 artifacts (${files.length})`, await timed(async () => {
        for (const f of files) {
          await copyFile(join(built, f), join(scratch, f));
          createHash('sha256').update(await readFile(join(scratch, f))).digest('hex');
        }
      }));
      add('toolchain record (rustc -Vv)', await timed(() => execa('rustc', ['-Vv'], { cwd: checkouts[component]!, env, reject: false })));
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { component, upstreams, steps: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stat(v)])) };
}

/** Start-up costs every CLI and Nx invocation pays, measured as whole processes. */
export async function startupCosts(workspaceRoot: string, env: NodeJS.ProcessEnv, reps = 3): Promise<Record<string, Stat>> {
  const cmds: Record<string, [string, string[]]> = {
    'node -e 0': ['node', ['-e', '0']],
    'npx --version (npx alone)': ['npx', ['--version']],
    'cli --help (prebuilt bundle)': [process.execPath, [join(workspaceRoot, 'tools/ship/cli/bin/bllvm-release.cjs'), '--help']],
    'npx tsx cli --help (through tsx, as before)': ['npx', ['tsx', '-e', `import(${JSON.stringify(join(workspaceRoot, 'tools/ship/cli/src/main.ts'))}).then((m) => m.main(['--help']))`]],
    'npx nx --version': ['npx', ['nx', '--version']],
    'nx show projects (no npx)': [join(workspaceRoot, 'node_modules/.bin/nx'), ['show', 'projects', '--json']],
    'nx show projects (no npx), NX_ISOLATE_PLUGINS=false': ['env', ['NX_ISOLATE_PLUGINS=false', join(workspaceRoot, 'node_modules/.bin/nx'), 'show', 'projects', '--json']],
    'npx nx show projects': ['npx', ['nx', 'show', 'projects', '--json']],
    'cli plan --base last-release (prebuilt bundle)': [process.execPath, [join(workspaceRoot, 'tools/ship/cli/bin/bllvm-release.cjs'), 'plan', '--base', 'last-release', '--json']],
    'git rev-parse HEAD': ['git', ['rev-parse', 'HEAD']],
  };
  const out: Record<string, Stat> = {};
  for (const [name, [cmd, args]] of Object.entries(cmds)) {
    const s: number[] = [];
    for (let i = 0; i < reps; i++) s.push(await timed(() => execa(cmd, args, { cwd: workspaceRoot, env, reject: false })));
    out[name] = stat(s);
  }
  return out;
}
