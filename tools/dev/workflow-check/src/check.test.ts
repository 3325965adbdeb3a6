import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWorkflows, DEFAULT_WORKFLOW_DIR, formatFindings } from './check';
import { WorkflowCopy } from './test-support';
import { listWorkflowFiles } from './workflow-file';
import { loadWorkspaceFacts, WORKSPACE_ROOT } from './workspace-facts';

let copy: WorkflowCopy | undefined;
afterEach(async () => {
  await copy?.remove();
  copy = undefined;
});

describe('the real .github/workflows', () => {
  it('holds the six workflows', async () => {
    expect(await listWorkflowFiles(DEFAULT_WORKFLOW_DIR)).toEqual(['bisect.yml', 'ci.yml', 'nightly.yml', 'notify-orchestrator.yml', 'orchestrate.yml', 'trial.yml']);
  });

  // Reads the CLI's real command list and the real project.json files: a workflow that calls a
  // command or target that does not exist (yet) fails here.
  it("has no findings from GitHub's parser or our rules", async () => {
    const findings = await checkWorkflows();
    expect(formatFindings(findings)).toBe('');
  });
});

describe('docs/notify-orchestrator.md', () => {
  it('shows a caller that GitHub accepts against the real reusable workflow', async () => {
    const doc = await readFile(join(WORKSPACE_ROOT, 'docs', 'notify-orchestrator.md'), 'utf8');
    const snippet = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(snippet).toBeDefined();
    // The snippet names the caller's own CI jobs in needs:; stand-ins let the parser resolve them.
    const stubs = ['test', 'clippy', 'build'].map((id) => `  ${id}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo ${id}\n`).join('');
    const caller = `name: Component CI\non: push\npermissions:\n  contents: read\n${snippet!.replace('jobs:\n', `jobs:\n${stubs}`)}`;
    copy = await WorkflowCopy.create();
    await copy.write('component-ci.yml', caller);
    const findings = (await copy.check(await loadWorkspaceFacts())).filter((f) => f.file === 'component-ci.yml');
    expect(formatFindings(findings)).toBe('');
  });
});
