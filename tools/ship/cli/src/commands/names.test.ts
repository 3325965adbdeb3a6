import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPin } from '@bllvm/manifest';
import { runCli } from '../main';

// handle-event and pin take any name of a component; a former name works with one warning on
// stderr. These cases stop before any git work (a no-op event, a refused commit), so a bare
// workspace of project.json and pin.toml files is enough.
const SHA = '0123456789abcdef0123456789abcdef01234567';
let ws: string;

beforeAll(async () => {
  ws = await mkdtemp(join(tmpdir(), 'bllvm-names-'));
  await writeFile(join(ws, 'nx.json'), '{}\n');
  const stack: [string, string, string[], string[]][] = [
    ['bllvm-node', 'BTCDecoded/blvm-node', [], ['bllvm-node']],
    ['bllvm', 'BTCDecoded/blvm', ['bllvm-node'], ['bllvm']],
    ['governance-app', 'BTCDecoded/blvm-commons', ['bllvm-node'], ['bllvm-commons', 'bllvm-governance']],
  ];
  for (const [id, repository, deps, former] of stack) {
    await mkdir(join(ws, 'apps', id), { recursive: true });
    await writeFile(join(ws, 'apps', id, 'project.json'), JSON.stringify({ name: id, tags: ['component'], implicitDependencies: deps }));
    await writeFile(join(ws, 'apps', id, 'pin.toml'), formatPin({ repository, branch: 'main', commit: SHA, formerNames: former }));
  }
});
afterAll(async () => rm(ws, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { cwd: ws, env: { PATH: process.env.PATH }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('names in handle-event and pin', () => {
  it('handle-event: a release notice from a former repository name is a no-op, with the warning once on stderr', async () => {
    const file = join(ws, 'event.json');
    await writeFile(file, JSON.stringify({ action: 'blvm-release', client_payload: { tag: 'v0.2.0', source_repo: 'BTCDecoded/bllvm' } }));
    const r = await cli('handle-event', '--event-file', file);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^event: repository_dispatch blvm-release -> none\nnothing to do: BTCDecoded\/blvm released v0\.2\.0/);
    expect(r.err.match(/warning: /g)).toHaveLength(1);
    expect(r.err).toContain('warning: "BTCDecoded/bllvm" is a former name of bllvm (BTCDecoded/blvm); use "bllvm"');
    expect(r.out).not.toContain('warning');
  });

  it('pin: a former name resolves with the warning once on stderr, before the commit is checked', async () => {
    const r = await cli('pin', 'bllvm-governance', '$(id)');
    expect(r.code).toBe(1);
    expect(r.err.match(/warning: /g)).toHaveLength(1);
    expect(r.err).toContain('warning: "bllvm-governance" is a former name of governance-app (BTCDecoded/blvm-commons); use "governance-app"');
    expect(r.err).toMatch(/"\$\(id\)" is not a 40-character lowercase hex commit/);
  });

  it('pin: a repository name resolves without a warning; an unknown name is refused listing the valid ones', async () => {
    const byRepo = await cli('pin', 'blvm-commons', 'nope');
    expect(byRepo.err).not.toContain('warning');
    expect(byRepo.err).toMatch(/"nope" is not a 40-character/);
    const unknown = await cli('pin', 'blvm-wallet', SHA);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown component "blvm-wallet" \(known: bllvm-node, bllvm, governance-app; or a repository, crate or former name: .*blvm-commons/);
  });
});
