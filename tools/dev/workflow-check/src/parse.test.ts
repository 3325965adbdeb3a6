import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkWorkflows } from './check';
import type { Finding } from './finding';
import { introduced, WorkflowCopy } from './test-support';
import { loadWorkspaceFacts, type WorkspaceFacts } from './workspace-facts';

// What GitHub's own parser catches, surfaced with file and line.

let facts: WorkspaceFacts;
let baseline: Finding[];
let copy: WorkflowCopy;

beforeAll(async () => {
  facts = await loadWorkspaceFacts();
  baseline = await checkWorkflows(undefined, { facts });
});

afterEach(async () => {
  await copy?.remove();
});

async function parserFindingsAfter(edit: (c: WorkflowCopy) => Promise<void>): Promise<Finding[]> {
  copy = await WorkflowCopy.create();
  await edit(copy);
  return introduced(baseline, await copy.check(facts)).filter((f) => f.rule === 'parser');
}

describe('GitHub workflow parser', () => {
  it('rejects an unknown key', async () => {
    const found = await parserFindingsAfter((c) => c.edit('ci.yml', '    timeout-minutes: 60\n', '    timeout-minutes: 60\n    timeout: 60\n'));
    expect(found).toEqual([
      {
        file: 'ci.yml',
        line: await copy.lineOf('ci.yml', '    timeout: 60'),
        column: await copy.columnOf('ci.yml', 'timeout: 60'),
        rule: 'parser',
        message: "Unexpected value 'timeout'",
        fix: 'remove or rename "timeout": it is not a key GitHub knows here (see the workflow syntax reference for the keys this place takes)',
      },
    ]);
  });

  it('rejects needs naming a job that does not exist', async () => {
    const found = await parserFindingsAfter((c) => c.edit('orchestrate.yml', '    needs: pin\n', '    needs: [pin, verfy]\n'));
    expect(found[0]).toEqual({
      file: 'orchestrate.yml',
      line: await copy.lineOf('orchestrate.yml', 'needs: [pin, verfy]'),
      column: await copy.columnOf('orchestrate.yml', 'verfy]'),
      rule: 'parser',
      message: "Job 'plan' depends on unknown job 'verfy'.",
      fix: 'name an existing job in needs:, or add a job "verfy"',
    });
    // GitHub's parser also reports every job downstream of the broken one.
    const cycle = (job: string, on: string) => `Job '${job}' depends on job '${on}' which creates a cycle in the dependency graph.`;
    expect(found.slice(1).map((f) => f.message)).toEqual([
      cycle('builds', 'plan'),
      cycle('perf', 'plan'),
      cycle('docker', 'builds'),
      cycle('docker', 'plan'),
      cycle('publish', 'builds'),
      cycle('publish', 'docker'),
      cycle('publish', 'perf'),
      cycle('publish', 'plan'),
    ]);
    expect(found[1]!.line).toBe(await copy.lineOf('orchestrate.yml', 'needs: [pin, plan]'));
    expect(found.at(-1)!.line).toBe(await copy.lineOf('orchestrate.yml', 'needs: [pin, plan, builds, perf, docker]'));
  });

  it('rejects a file that is not YAML', async () => {
    const found = await parserFindingsAfter((c) => c.edit('nightly.yml', "cron: '0 2 * * *'", "cron: '0 2 * * *"));
    expect(found).toHaveLength(1);
    expect(found[0]!.file).toBe('nightly.yml');
    expect(found[0]!.line).toBeGreaterThan(0);
  });

  it('rejects an unknown context in an expression', async () => {
    const found = await parserFindingsAfter((c) => c.edit('nightly.yml', 'FORCE: ${{ inputs.force }}', 'FORCE: ${{ input.force }}'));
    expect(found.map((f) => f.message)).toEqual(["Unrecognized named-value: 'input'"]);
  });

  it('checks the inputs and secrets a job passes to a reusable workflow of this repository', async () => {
    const caller = (uses: string, inputs: string) =>
      [
        'on: push',
        'permissions: {}',
        'jobs:',
        '  notify:',
        `    uses: ${uses}`,
        '    with:',
        ...inputs.split('\n').map((l) => `      ${l}`),
        '',
      ].join('\n');
    const found = await parserFindingsAfter(async (c) => {
      await c.write('local-caller.yml', caller('./.github/workflows/notify-orchestrator.yml', 'component: bllvm\nversion_tag: nightly'));
      await c.write('remote-caller.yml', caller('BTCDecoded/bllvm/.github/workflows/notify-orchestrator.yml@main', 'platform: both'));
    });
    expect(found.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      'local-caller.yml:5 Secret token is required, but not provided while calling.',
      'local-caller.yml:8 Invalid input, version_tag is not defined in the referenced workflow.',
      'remote-caller.yml:5 Input component is required, but not provided while calling.',
      'remote-caller.yml:5 Secret token is required, but not provided while calling.',
      'remote-caller.yml:7 Invalid input, platform is not defined in the referenced workflow.',
    ]);
  });

  it("reports a callee's own errors once, under the callee", async () => {
    const found = await parserFindingsAfter(async (c) => {
      await c.edit('notify-orchestrator.yml', '    timeout-minutes: 10\n', '    timeout-minutes: 10\n    timeout: 10\n');
      await c.write('caller.yml', 'on: push\npermissions: {}\njobs:\n  notify:\n    uses: ./.github/workflows/notify-orchestrator.yml\n    with:\n      component: bllvm\n    secrets:\n      token: x\n');
    });
    expect(found).toEqual([
      {
        file: 'notify-orchestrator.yml',
        line: await copy.lineOf('notify-orchestrator.yml', '    timeout: 10'),
        column: await copy.columnOf('notify-orchestrator.yml', 'timeout: 10'),
        rule: 'parser',
        message: "Unexpected value 'timeout'",
        fix: 'remove or rename "timeout": it is not a key GitHub knows here (see the workflow syntax reference for the keys this place takes)',
      },
    ]);
  });
});
