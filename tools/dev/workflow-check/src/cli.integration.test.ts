import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './workspace-facts';

// `npm run lint:workflows` as a person or a workflow step runs it: through npm and tsx, from
// another folder, with its exit status.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lint-workflows-'));
  await writeFile(
    join(dir, 'publish.yml'),
    'name: Publish\non: push\npermissions:\n  contents: read\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cargo publish --allow-dirty\n',
  );
  await writeFile(join(dir, 'broken.yml'), "name: Broken\non:\n  schedule:\n    - cron: '0 2 * * *\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** npm run from `cwd`, as a person in that folder would. */
const lint = (cwd: string, ...args: string[]) => execa('npm', ['--prefix', WORKSPACE_ROOT, 'run', '--silent', 'lint:workflows', '--', ...args], { cwd, reject: false });

describe('npm run lint:workflows', () => {
  it("exits 0 on this repository's own workflows", async () => {
    const r = await lint(WORKSPACE_ROOT);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('no findings in 6 workflow files');
  });

  it('exits 1 with findings, reading paths from the folder it was run in, and writes SARIF where told', async () => {
    const r = await lint(dir, 'publish.yml', '--format', 'sarif', '--output', 'out.sarif');
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toBe('1 finding in 1 workflow file (report in out.sarif)');
    const log = JSON.parse(await readFile(join(dir, 'out.sarif'), 'utf8')) as { runs: { results: { ruleId: string; locations: unknown[] }[] }[] };
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.locations])).toEqual([
      ['publish-allow-dirty', [{ physicalLocation: { artifactLocation: { uri: 'publish.yml' }, region: { startLine: 10, startColumn: 25 } } }]],
    ]);
  });

  it('exits 2 on a file that is not YAML, naming it and the line to fix', async () => {
    const r = await lint(dir, 'broken.yml');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("lint:workflows: broken.yml:4:13: not YAML: Missing closing 'quote\nno findings in 1 workflow file");
  });
});
