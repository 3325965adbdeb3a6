import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { GitHubApi } from '@bllvm/github-api';
import { type Pipeline, WORKSPACE_ROOT, addOrigin, startPipeline } from '@bllvm/demo';
import { expect } from 'vitest';
import type { CaseResult } from '@bllvm/reliability';

/**
 * What the reliability suites share: a record of every case they tried (written to
 * dist/reliability/<suite>.json for tools/dev/reliability/src/report.ts), and the checks every case
 * ends with — nothing changed, nothing published, no process and no temporary folder left behind.
 */

export const RESULTS_DIR = join(WORKSPACE_ROOT, 'dist', 'reliability');
export const COMPONENTS = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app'] as const;

export type { CaseResult, Outcome } from '@bllvm/reliability';

export class Results {
  readonly cases: CaseResult[] = [];
  private readonly started = Date.now();

  constructor(readonly suite: string) {}

  add(result: CaseResult): void {
    const i = this.cases.findIndex((c) => c.group === result.group && c.name === result.name);
    if (i >= 0) this.cases[i] = result;
    else this.cases.push(result);
  }

  /** Time `fn` and record `outcome` when it returns (an exception records nothing and propagates). */
  async time<T>(result: Omit<CaseResult, 'durationMs'>, fn: () => Promise<T>): Promise<T> {
    const t = Date.now();
    const value = await fn();
    this.add({ ...result, durationMs: Date.now() - t });
    return value;
  }

  async write(): Promise<string> {
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${this.suite}.json`);
    const body = { suite: this.suite, finishedAt: new Date().toISOString(), wallMs: Date.now() - this.started, workspaceRoot: WORKSPACE_ROOT, cases: this.cases };
    await writeFile(file, JSON.stringify(body, null, 2) + '\n');
    return file;
  }
}

/** HEAD, the pin files (verbatim) and `git status` of a workspace: what a rejected input must not change. */
export interface RepoState {
  head: string;
  status: string;
  pins: Record<string, string>;
  remote?: string;
}

export async function repoState(dir: string, origin?: string): Promise<RepoState> {
  const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout.trim();
  const pins: Record<string, string> = {};
  for (const c of COMPONENTS) pins[c] = await readFile(join(dir, 'apps', c, 'pin.toml'), 'utf8').catch((e: NodeJS.ErrnoException) => `<${e.code}>`);
  return {
    head: await git(dir, 'rev-parse', 'HEAD'),
    status: await git(dir, 'status', '--porcelain'),
    pins,
    ...(origin ? { remote: await git(origin, 'rev-parse', 'main') } : {}),
  };
}

/** The commit a pin file records. */
export async function pinOf(dir: string, component: string): Promise<string> {
  return /commit = "([0-9a-f]{40})"/.exec(await readFile(join(dir, 'apps', component, 'pin.toml'), 'utf8'))![1]!;
}

/** Requests that change GitHub state (anything but GET/HEAD/OPTIONS), as the local API logged them. */
export function mutatingRequests(api: GitHubApi): string[] {
  return api.log().filter((l) => l.mutating).map((l) => `${l.method} ${l.path} -> ${l.status}`);
}

async function procInfo(pid: number): Promise<{ ppid: number; cmdline: string; cwd: string } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    return { ppid, cmdline, cwd };
  } catch {
    return undefined; // gone meanwhile
  }
}

/**
 * Processes running in or on any of `roots` (by working directory or command line), other than
 * `keep` and their descendants (the podman service) and this test process.
 */
export async function strayProcesses(roots: string[], keep: number[] = []): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map(Number);
  const info = new Map<number, { ppid: number; cmdline: string; cwd: string }>();
  for (const pid of pids) {
    const i = await procInfo(pid);
    if (i) info.set(pid, i);
  }
  const kept = (pid: number): boolean => {
    for (let p = pid, n = 0; p > 1 && n < 64; p = info.get(p)?.ppid ?? 0, n++) if (keep.includes(p)) return true;
    return false;
  };
  const stray: string[] = [];
  for (const [pid, i] of info) {
    if (pid === process.pid || kept(pid) || !i.cmdline) continue;
    if (roots.some((r) => i.cwd === r || i.cwd.startsWith(`${r}/`) || i.cmdline.includes(r))) stray.push(`${pid} (cwd ${i.cwd}) ${i.cmdline.slice(0, 200)}`);
  }
  return stray;
}

/** Stray processes that are still there after `ms` (children may take a moment to be reaped). */
export async function settledStrays(roots: string[], keep: number[] = [], ms = 5000): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const stray = await strayProcesses(roots, keep);
    if (!stray.length || Date.now() > deadline) return stray;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Temporary debris a run could leave: anything in the private TMPDIR given to the processes,
 * half-written pin files, half-staged release folders, and checkouts that are not a component's.
 */
export async function leftovers(o: { ws: string; tmp: string; workDir?: string }): Promise<string[]> {
  const found: string[] = [];
  // tsx and swc-node keep a compile cache per user there (tsx-<uid>, swc-node-<uid>): theirs, reused, not debris.
  for (const e of await readdir(o.tmp).catch(() => [])) if (!/^(tsx|swc-node)-\d+$/.test(e)) found.push(`${o.tmp}/${e}`);
  for (const c of COMPONENTS) for (const e of await readdir(join(o.ws, 'apps', c)).catch(() => [])) if (e.endsWith('.tmp')) found.push(`apps/${c}/${e}`);
  for (const e of await readdir(join(o.ws, 'dist', 'release')).catch(() => [])) if (e.includes('.staging-')) found.push(`dist/release/${e}`);
  for (const c of COMPONENTS) for (const e of await readdir(join(o.ws, 'dist', c)).catch(() => [])) if (e.includes('.partial-')) found.push(`dist/${c}/${e}`);
  const sources = join(o.workDir ?? join(o.ws, '.bllvm'), 'sources');
  if (existsSync(sources))
    for (const e of await readdir(sources)) if (!(COMPONENTS as readonly string[]).includes(e)) found.push(`${sources}/${e}`);
  return found;
}

/** Nx and cargo colour their output; assertions read plain text. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

/** Environment for git commands the tests run themselves (commits in throw-away clones). */
export const TEST_GIT_ENV = {
  GIT_AUTHOR_NAME: 'reliability',
  GIT_AUTHOR_EMAIL: 'reliability@localhost',
  GIT_COMMITTER_NAME: 'reliability',
  GIT_COMMITTER_EMAIL: 'reliability@localhost',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface Suite {
  p: Pipeline;
  scratch: string;
  /** A private TMPDIR for every process the cases start, so anything left in it is theirs. */
  tmp: string;
  /** The orchestrator repository's bare "GitHub" remote. */
  origin: string;
}

export async function startSuite(prefix: string, opts: { tag?: boolean } = {}): Promise<Suite> {
  const p = await startPipeline(opts);
  const scratch = await mkdtemp(join(tmpdir(), prefix));
  const tmp = join(scratch, 'tmp');
  await mkdir(tmp);
  p.sw.ws.env.TMPDIR = tmp;
  return { p, scratch, tmp, origin: await addOrigin(p.sw.ws, scratch) };
}

export async function stopSuite(suite: Suite | undefined, results: Results): Promise<void> {
  await results.write();
  if (!suite) return;
  expect(suite.p.api.validationErrors()).toEqual([]);
  await suite.p.stop();
  await rm(suite.scratch, { recursive: true, force: true });
}
