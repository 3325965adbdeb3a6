import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, USAGE } from './cli';
import type { SarifLog } from './formats/sarif';
import { rules } from './rules';
import { loadWorkspaceFacts, type WorkspaceFacts } from './workspace-facts';

// The CLI run in-process on real folders: what it prints where, and its exit status.

let facts: WorkspaceFacts;
let dir: string;
beforeAll(async () => {
  facts = await loadWorkspaceFacts();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lint-workflows-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { cwd: dir, facts, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const CORPUS = resolve(import.meta.dirname, '../fixtures/org');

const DIRTY = `name: Publish
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: |
          cargo test 2>&1 | tee test.log
          cargo publish --allow-dirty
`;

describe('npm run lint:workflows', () => {
  it("lints this repository's own workflows clean by default", async () => {
    const r = await run();
    expect(r).toEqual({ code: 0, out: '', err: 'no findings in 6 workflow files\n' });
  });

  it('reads a folder, exits 1, and prints file:line:col rule message with the fix under it', async () => {
    await writeFile(join(dir, 'publish.yml'), DIRTY);
    const r = await run('.');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'publish.yml:12:11 piped-failure job "publish" pipes a command without pipefail: a failure of "cargo test 2>&1" is lost, the step takes the status of "tee test.log"',
        '  fix: add "shell: bash" to the step (or "defaults: { run: { shell: bash } }" to the workflow), which runs the script with -eo pipefail; or put "set -o pipefail" before line 12',
        'publish.yml:13:25 publish-allow-dirty job "publish" runs "cargo publish --allow-dirty": what it uploads is the working tree, which no commit holds',
        '  fix: commit the version bump first (and push it with the tag), then publish without --allow-dirty from that commit',
        '',
      ].join('\n'),
    );
    expect(r.err).toBe('2 findings in 1 workflow file\n');
  });

  it("reads a repository's .github/workflows, and single files with their folder as context", async () => {
    await mkdir(join(dir, 'repo', '.github', 'workflows'), { recursive: true });
    await writeFile(join(dir, 'repo', '.github', 'workflows', 'publish.yml'), DIRTY);
    await writeFile(join(dir, 'repo', '.github', 'workflows', 'clean.yml'), DIRTY.replace(/ 2>&1 \| tee test.log/, '').replace(' --allow-dirty', ''));
    const whole = await run('repo');
    expect(whole.out.split('\n').filter((l) => !l.startsWith('  ')).filter(Boolean).map((l) => l.split(' ')[0])).toEqual(['repo/.github/workflows/publish.yml:12:11', 'repo/.github/workflows/publish.yml:13:25']);
    expect(whole.err).toBe('2 findings in 2 workflow files\n');
    const one = await run('repo/.github/workflows/clean.yml');
    expect(one).toEqual({ code: 0, out: '', err: 'no findings in 1 workflow file\n' });
  });

  it('writes SARIF 2.1.0 with every rule and each result at its region', async () => {
    await writeFile(join(dir, 'publish.yml'), DIRTY);
    const r = await run('publish.yml', '--format', 'sarif', '--output', 'out.sarif');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe('2 findings in 1 workflow file (report in out.sarif)\n');
    const log = JSON.parse(await readFile(join(dir, 'out.sarif'), 'utf8')) as SarifLog;
    expect(log.version).toBe('2.1.0');
    const run0 = log.runs[0]!;
    expect(run0.tool.driver.rules.map((x) => x.id)).toEqual([...rules.map((x) => x.id), 'parser']);
    for (const rule of run0.tool.driver.rules) expect(rule.help.text.length).toBeGreaterThan(20);
    expect(run0.results.map((x) => [x.ruleId, run0.tool.driver.rules[x.ruleIndex]!.id, x.locations[0]!.physicalLocation])).toEqual([
      ['piped-failure', 'piped-failure', { artifactLocation: { uri: 'publish.yml' }, region: { startLine: 12, startColumn: 11 } }],
      ['publish-allow-dirty', 'publish-allow-dirty', { artifactLocation: { uri: 'publish.yml' }, region: { startLine: 13, startColumn: 25 } }],
    ]);
    expect(run0.results[1]!.message.text).toBe(
      'job "publish" runs "cargo publish --allow-dirty": what it uploads is the working tree, which no commit holds\nFix: commit the version bump first (and push it with the tag), then publish without --allow-dirty from that commit',
    );
  });

  it('prints GitHub annotations, one line each', async () => {
    await writeFile(join(dir, 'publish.yml'), DIRTY);
    const r = await run('publish.yml', '--format', 'github');
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[1]).toBe(
      '::error file=publish.yml,line=13,col=25,title=workflow-check publish-allow-dirty::job "publish" runs "cargo publish --allow-dirty": what it uploads is the working tree, which no commit holds%0Afix: commit the version bump first (and push it with the tag), then publish without --allow-dirty from that commit',
    );
  });

  it('names a file that is not YAML with its line, reports the others, and exits 2', async () => {
    await writeFile(join(dir, 'broken.yml'), 'name: Broken\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "unterminated\n');
    await writeFile(join(dir, 'publish.yml'), DIRTY);
    const r = await run('.');
    expect(r.code).toBe(2);
    expect(r.out).toContain('publish.yml:13:25 publish-allow-dirty');
    expect(r.out).not.toContain('broken.yml');
    expect(r.err).toBe('lint:workflows: broken.yml:7:14: not YAML: Missing closing "quote\n2 findings in 2 workflow files\n');
  });

  it('refuses bad usage with one line and exit 2', async () => {
    await writeFile(join(dir, 'notes.txt'), 'x');
    const cases: [string[], string][] = [
      [['--format', 'xml'], '--format takes text, sarif, github, not "xml"'],
      [['--frobnicate'], 'unknown option --frobnicate'],
      [['--format'], '--format needs a value'],
      [['missing-folder'], 'no such file or folder: missing-folder'],
      [['notes.txt'], 'not a workflow file (*.yml, *.yaml): notes.txt'],
      [['.'], 'no workflow files (*.yml, *.yaml) in .'],
      [['--repository', 'nope'], '--repository takes OWNER/NAME, not "nope"'],
    ];
    for (const [argv, message] of cases) {
      expect(await run(...argv), argv.join(' ')).toEqual({ code: 2, out: '', err: `lint:workflows: ${message} (--help says how to run it)\n` });
    }
    await writeFile(join(dir, 'publish.yml'), DIRTY);
    const unwritable = await run('.', '--output', 'no/such/folder/out.txt');
    expect(unwritable).toEqual({ code: 2, out: '', err: 'lint:workflows: cannot write no/such/folder/out.txt: ENOENT\n' });
  });

  it('prints its usage, with every rule, on --help', async () => {
    const r = await run('--help');
    expect(r).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    for (const rule of rules) expect(r.out).toContain(`  ${rule.id} `);
  });

  it('takes the org corpus as a component repository unless told otherwise', async () => {
    const asComponent = await run(join(CORPUS, 'blvm-node'));
    expect(asComponent.out).toContain('runs component code (./scripts/next-version.sh, line 66)');
    const asOrchestrator = await run(join(CORPUS, 'blvm-node'), '--repository', 'BTCDecoded/bllvm');
    expect(asOrchestrator.out).not.toContain('./scripts/next-version.sh');
  });
});
