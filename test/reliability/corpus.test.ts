import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pipeline } from '@bllvm/demo';
import { type SandboxComponent, addCommit } from '@bllvm/sandbox';
import { runCli } from '@bllvm/cli/testing';
import { COMPONENTS, Results, TEST_GIT_ENV, leftovers, mutatingRequests, plain, repoState, settledStrays , type Suite, startSuite, stopSuite } from './harness';

// The bad-input corpus (test/corpus/<kind>/cases.json and the files beside it), run through the
// real entry points: the CLI's runCli (what bin/bllvm-release calls) for versions.toml, pins and
// events, `nx run` for hostile repository contents and executor options. Every case must be
// refused with its message and leave nothing behind: no pin or HEAD moved, no GitHub write, no
// process, no temporary folder. Known defects are `it.fails` with a `// DEFECT:` note.

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');

interface CorpusCase {
  file?: string;
  name?: string;
  why: string;
  expect: string;
  /** pins: what `check` itself must say, when it differs from what `pin` says. */
  check?: string;
  forbid?: string;
  defect?: string;
  exit?: number | number[];
  generate?: 'huge';
  special?: string;
  path?: string;
  args?: string[];
  component?: string;
  files?: Record<string, string>;
  symlinks?: Record<string, string>;
  run?: 'graph-check' | 'build';
  setup?: 'outsideCrate';
}

function load(kind: string): CorpusCase[] {
  return (JSON.parse(readFileSync(join(CORPUS, kind, 'cases.json'), 'utf8')) as { cases: CorpusCase[] }).cases;
}
const caseName = (c: CorpusCase) =>
  c.name ?? [c.file ?? c.special ?? c.generate ?? c.path, ...(c.args ?? [])].filter(Boolean).join(' ');

const results = new Results('corpus');
let suite: Suite | undefined;
let p: Pipeline;
let scratch: string;
let tmp: string;
let origin: string;

/** The CLI in-process, exactly as bin/bllvm-release runs it, with the sandbox's environment. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCli(args, { cwd: p.sw.ws.dir, env: { ...process.env, ...p.sw.ws.env }, out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return { code, out: lines.join('\n') };
}

/** What every refused case must also show: nothing changed, published, running or left over. */
async function expectNothingHappened(before: Awaited<ReturnType<typeof repoState>>) {
  expect(await repoState(p.sw.ws.dir, origin), 'pins, HEAD, the working tree and origin are unchanged').toEqual(before);
  expect(mutatingRequests(p.api), 'no write request reached the GitHub API').toEqual([]);
  expect(await settledStrays([p.sw.ws.dir, scratch, p.sw.org.root], [p.podman.pid]), 'no process left running').toEqual([]);
  expect(await leftovers({ ws: p.sw.ws.dir, tmp }), 'no temporary file or folder left').toEqual([]);
}

/** The last run a case made, so a defect's record can say what was observed. */
let observed: { code: number; out: string } | undefined;

function expectRefused(c: CorpusCase, r: { code: number; out: string }) {
  observed = r;
  const allowed = c.exit === undefined ? [1] : ([] as number[]).concat(c.exit);
  expect(allowed, `exit code ${r.code}; output:\n${r.out.slice(-3000)}`).toContain(r.code);
  expect(r.out).toMatch(new RegExp(c.expect));
  if (c.forbid) expect(r.out).not.toContain(c.forbid);
}

/** Exit code and the most telling line of a run's output (the refusal, not the summary or usage). */
function summary(r: { code: number; out: string } | undefined): string {
  if (!r) return 'no run';
  const lines = r.out.split('\n').map((l) => l.trim()).filter(Boolean);
  const prefer = [/^✖/, /^NX\s/, /^bllvm-release [\w-]+: /, /^error(\[\w+\])?:/, /\.toml(:\d+)*: /];
  const line = prefer.map((re) => lines.find((l) => re.test(l))).find(Boolean) ?? lines.find((l) => !/^(check failed|warning:)/.test(l)) ?? '';
  return `exit ${r.code}: ${line.slice(0, 300)}`;
}

/** it() for a case the code handles, it.fails() for a known defect (the corpus names its cause). */
function caseTest(group: string, cases: CorpusCase[], body: (c: CorpusCase) => Promise<void>) {
  for (const c of cases) {
    const title = `${caseName(c)}: ${c.why}`;
    const run = async () => {
      const t = Date.now();
      observed = undefined;
      let passed = false;
      try {
        await body(c);
        passed = true;
      } finally {
        if (c.defect) results.add({ group, name: caseName(c), why: c.why, outcome: 'defect', detail: `${c.defect}. Observed: ${summary(observed)}` });
        else if (passed) results.add({ group, name: caseName(c), why: c.why, outcome: 'rejected', durationMs: Date.now() - t, detail: summary(observed) });
      }
    };
    // DEFECT: the corpus entry's "defect" field says why; the report lists them. Flip to it() once fixed.
    if (c.defect) it.fails(title, run);
    else it(title, run);
  }
}

beforeAll(async () => {
  suite = await startSuite('bllvm-corpus-');
  ({ p, scratch, tmp, origin } = suite);
}, 300_000);

afterAll(async () => stopSuite(suite, results));

describe('versions.toml: bllvm-release check --versions <file>', () => {
  const cases = load('versions');

  it('accepts the repository\'s own versions.toml (control)', async () => {
    const r = await cli('check', '--versions', join(p.sw.ws.dir, 'versions.toml'));
    expect(r.code, r.out).toBe(0);
    results.add({ group: 'versions', name: 'control: versions.toml', outcome: 'accepted' });
  });

  caseTest('versions', cases, async (c) => {
    p.api.clearLog();
    let file: string;
    if (c.generate === 'huge') {
      file = join(scratch, 'huge-versions.toml');
      await writeFile(file, `# ${'x'.repeat(1000)}\n`.repeat(2 * 1024));
    } else if (c.path) file = c.path === '.' ? scratch : join(scratch, c.path);
    else file = join(CORPUS, 'versions', c.file!);
    const before = await repoState(p.sw.ws.dir, origin);
    const r = await cli('check', '--versions', file);
    expectRefused(c, r);
    expect(r.out).toMatch(/check failed: \d+ problem/);
    await expectNothingHappened(before);
  });
});

describe('pins: a bad apps/<component>/pin.toml, then check and pin', () => {
  const cases = load('pins');
  const SHA = '0123456789abcdef0123456789abcdef01234567';
  const values: Record<string, string> = {};
  const fill = (s: string) => s.replace(/@@([A-Z_]+)@@/g, (_, k: string) => values[k] ?? `@@${k}@@`);

  beforeAll(async () => {
    values.SHA_SIDE_BRANCH = await addCommit(p.sw.org, 'bllvm-node', { branch: 'pin-side', message: 'node: only on a side branch' });
  });

  it('accepts a pin with CRLF line endings and a leading byte-order mark (control: tolerated, not bad input)', async () => {
    const file = join(p.sw.ws.dir, 'apps', 'bllvm-node', 'pin.toml');
    const original = await readFile(file, 'utf8');
    try {
      await writeFile(file, '\uFEFF' + original.replaceAll('\n', '\r\n'));
      const r = await cli('check');
      expect(r.code, r.out).toBe(0);
      results.add({ group: 'pins', name: 'control: CRLF + BOM', outcome: 'accepted' });
    } finally {
      await writeFile(file, original);
    }
  });

  caseTest('pins', cases, async (c) => {
    p.api.clearLog();
    if (c.args) {
      const before = await repoState(p.sw.ws.dir, origin);
      const r = await cli(...c.args.map(fill));
      expectRefused({ ...c, expect: fill(c.expect) }, r);
      return expectNothingHappened(before);
    }
    const file = join(p.sw.ws.dir, 'apps', c.component!, 'pin.toml');
    const original = await readFile(file, 'utf8');
    try {
      await rm(file);
      if (c.generate === 'huge') await writeFile(file, `# ${'x'.repeat(1022)}\n`.repeat(1024) + original);
      else if (c.special === 'symlink-passwd') await symlink('/etc/passwd', file);
      else if (c.special === 'directory') await mkdir(file);
      else if (c.special !== 'missing') await writeFile(file, fill(await readFile(join(CORPUS, 'pins', c.file!), 'latin1')), 'latin1');
      const before = await repoState(p.sw.ws.dir, origin);
      const checked = await cli('check');
      expectRefused(c, checked);
      if (c.check) expect(checked.out).toMatch(new RegExp(fill(c.check)));
      expect(checked.out).toMatch(/check failed: \d+ problem/);
      // Moving the broken pin must refuse too, and leave the broken file as it was for a person to fix.
      const pinned = await cli('pin', c.component!, SHA);
      expectRefused(c, pinned);
      await expectNothingHappened(before);
    } finally {
      await rm(file, { recursive: true, force: true });
      await writeFile(file, original);
    }
  });
});

describe('events: bllvm-release handle-event --event-file <file> --push', () => {
  const cases = load('events');
  const values: Record<string, string> = {};
  const fill = (s: string) => s.replace(/@@([A-Z_]+)@@/g, (_, k: string) => values[k] ?? `@@${k}@@`);

  beforeAll(async () => {
    const org = p.sw.org;
    values.SHA_OF_BLLVM_SDK = org.heads['bllvm-sdk'];
    values.SHA_OF_BLLVM_CONSENSUS = org.heads['bllvm-consensus'];
    values.SHA_SIDE_BRANCH = await addCommit(org, 'bllvm-node', { branch: 'experiment', message: 'node: unmerged experiment' });
    values.SHA_OLDER = org.heads['bllvm-node'];
  });

  it('moves a pin for a valid event (control), so the refusals below are not a validator that refuses everything', async () => {
    const sha = await addCommit(p.sw.org, 'bllvm-node', { message: 'node: accepted change' });
    const file = join(scratch, 'valid-event.json');
    await writeFile(file, JSON.stringify({ action: 'component-updated', client_payload: { component: 'bllvm-node', sha, ref: 'refs/heads/main' } }));
    const r = await cli('handle-event', '--event-file', file, '--push');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`moved bllvm-node: ${values.SHA_OLDER} -> ${sha}`);
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe((await execa('git', ['--git-dir', origin, 'rev-parse', 'main'])).stdout.trim());
    results.add({ group: 'events', name: 'control: component-updated', outcome: 'accepted' });
  });

  caseTest('events', cases, async (c) => {
    p.api.clearLog();
    let file = join(scratch, 'missing-event.json');
    if (c.generate === 'huge') {
      file = join(scratch, 'huge-event.json');
      await writeFile(file, JSON.stringify({ action: 'build_all', client_payload: {}, padding: 'x'.repeat(300 * 1024) }));
    } else if (c.file) {
      file = join(scratch, `event-${c.file}`);
      await writeFile(file, fill(await readFile(join(CORPUS, 'events', c.file), 'utf8')));
    }
    const args = c.special === 'no-file-option' ? ['handle-event', '--push'] : ['handle-event', '--event-file', file, '--push', ...(c.args ?? [])];
    const before = await repoState(p.sw.ws.dir, origin);
    const r = await cli(...args);
    expectRefused({ ...c, expect: fill(c.expect) }, r);
    if (c.file || c.generate) expect(r.out).toMatch(/event rejected: /);
    await expectNothingHappened(before);
  });
});

describe('import: a component id another Nx project of the workspace has', () => {
  const cases = load('import');

  it('imports an existing repository onto its component (control: a dry run, nothing written)', async () => {
    const r = await cli('import', 'BTCDecoded/bllvm-node', '--dry-run');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^unchanged bllvm-node /m);
    results.add({ group: 'import', name: 'control: import BTCDecoded/bllvm-node --dry-run', outcome: 'accepted' });
  });

  caseTest('import', cases, async (c) => {
    p.api.clearLog();
    const before = await repoState(p.sw.ws.dir, origin);
    const apps = await readdir(join(p.sw.ws.dir, 'apps'));
    const r = await cli(...c.args!);
    expectRefused(c, r);
    expect(r.out).toMatch(/import refused, nothing written:/);
    // Refused before fetching: no repository was read.
    expect(r.out).not.toMatch(/import: reading/);
    expect(await readdir(join(p.sw.ws.dir, 'apps')), 'no apps/<id> folder written').toEqual(apps);
    await expectNothingHappened(before);
  });
});

describe('the real binary', () => {
  // The cases above call runCli in-process; these run `node tools/ship/cli/bin/bllvm-release.cjs` as the
  // workflows do, to show the process itself exits 1 with the message on stderr.
  it.each([
    [['check', '--versions', join(CORPUS, 'versions', 'cycle.toml')], /dependency cycle/],
    [['pin', 'bllvm-node', '$(id)'], /"\$\(id\)" is not a 40-character lowercase hex commit/],
    [['handle-event', '--event-file', join(CORPUS, 'events', 'component-traversal.json'), '--push'], /event rejected: .*unknown component "\.\.\/apps\/bllvm"/],
  ])('%j exits 1 with the message on stderr', async (args, message) => {
    p.api.clearLog();
    const before = await repoState(p.sw.ws.dir, origin);
    const r = await p.sw.ws.cli(...args);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    await expectNothingHappened(before);
  });
});

describe('hostile repository contents, through graph-check and the build', () => {
  const cases = load('repos');

  /** A commit with symlinks, which addCommit cannot make: clone the bare repo, link, commit, push. */
  async function commitSymlinks(component: string, branch: string, links: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(scratch, 'clone-'));
    const git = (...args: string[]) => execa('git', args, { cwd: dir, env: { ...process.env, ...TEST_GIT_ENV } });
    try {
      await git('clone', '--quiet', p.sw.org.repoPath(component as SandboxComponent), '.');
      await git('checkout', '--quiet', '-b', branch);
      for (const [path, target] of Object.entries(links)) {
        await rm(join(dir, path), { force: true });
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await symlink(target, join(dir, path));
      }
      await git('add', '--all');
      await git('commit', '--quiet', '-m', `hostile: symlinks ${Object.keys(links).join(', ')}`);
      await git('push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
      return (await git('rev-parse', 'HEAD')).stdout.trim();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  caseTest('repos', cases, async (c) => {
    p.api.clearLog();
    const component = c.component!;
    const branch = `hostile/${c.name}`;
    const outside = join(dirname(p.sw.ws.dir), 'outside-crate');
    const sha = c.symlinks
      ? await commitSymlinks(component, branch, c.symlinks)
      : await addCommit(p.sw.org, component as SandboxComponent, { branch, files: c.files!, message: `hostile: ${c.name}` });
    if (c.setup === 'outsideCrate') {
      await mkdir(join(outside, 'src'), { recursive: true });
      await writeFile(join(outside, 'Cargo.toml'), '[package]\nname = "helper"\nversion = "0.1.0"\nedition = "2021"\n');
      await writeFile(join(outside, 'src', 'lib.rs'), 'pub fn unpinned() -> u32 { 42 }\n');
    }
    // `pin` commits the move; the finally puts HEAD (and the pin file) back for the next case.
    const start = await p.sw.ws.git('rev-parse', 'HEAD');
    try {
      const moved = await cli('pin', component, sha, '--branch', branch);
      expect(moved.code, moved.out).toBe(0);
      const before = await repoState(p.sw.ws.dir, origin);
      const r = c.run === 'graph-check' ? await p.sw.ws.nx('run', 'release-set:graph-check') : await p.sw.ws.nx('run', `${component}:build`);
      expectRefused(c, { code: r.exitCode, out: plain(`${r.stdout}\n${r.stderr}`) });
      await expectNothingHappened(before);
    } finally {
      await p.sw.ws.git('reset', '--quiet', '--keep', start);
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('executor options: nx run <project>:<target> --<bad option>', () => {
  const cases = load('options');
  // Nx's start-up dominates each case (~2.5 s): run them two at a time up front, then check each.
  const runs = new Map<CorpusCase, { code: number; out: string }>();
  let before: Awaited<ReturnType<typeof repoState>>;

  beforeAll(async () => {
    p.api.clearLog();
    before = await repoState(p.sw.ws.dir, origin);
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const r = await p.sw.ws.nx(...c.args!);
        runs.set(c, { code: r.exitCode, out: plain(`${r.stdout}\n${r.stderr}`) });
      }
    };
    await Promise.all([worker(), worker()]);
  }, 300_000);

  caseTest('options', cases, async (c) => {
    expectRefused(c, runs.get(c)!);
    await expectNothingHappened(before);
  });
});

describe('the corpus itself', () => {
  it('holds at least 60 bad inputs, each with an expected message', () => {
    const kinds = ['versions', 'pins', 'events', 'repos', 'options', 'import'];
    const all = kinds.flatMap(load);
    expect(all.length).toBeGreaterThanOrEqual(60);
    for (const kind of kinds) {
      const names = load(kind).map(caseName);
      expect(new Set(names).size, `${kind}: case names are unique`).toBe(names.length);
    }
    for (const c of all) expect(() => new RegExp(c.expect), caseName(c)).not.toThrow();
    expect(COMPONENTS).toHaveLength(6);
  });
});
