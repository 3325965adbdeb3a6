import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkWorkflows } from './check';
import type { Finding } from './finding';
import { rules } from './rules';
import { introduced, WorkflowCopy } from './test-support';
import { loadWorkspaceFacts, type WorkspaceFacts } from './workspace-facts';

// Each test breaks one thing in a copy of the real workflows and expects exactly the findings
// that break introduces, so the real files stay the fixtures and a rule cannot pass by accident.

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

async function broken(file: string, from: string | RegExp, to: string): Promise<{ found: Finding[]; copy: WorkflowCopy }> {
  copy = await WorkflowCopy.create();
  await copy.edit(file, from, to);
  return { found: introduced(baseline, await copy.check(facts)), copy };
}

const PIN_STEP = 'node tools/ship/cli/bin/bllvm-release.cjs handle-event --event-file "$GITHUB_EVENT_PATH" --push 2>&1 | tee -a "$GITHUB_STEP_SUMMARY"';

describe('reusable-workflow-in-step', () => {
  it('flags a local reusable workflow used as a step, which the parser accepts', async () => {
    const { found, copy } = await broken(
      'nightly.yml',
      '      - run: npm ci\n',
      '      - uses: ./.github/workflows/notify-orchestrator.yml\n        with:\n          component: bllvm\n      - run: npm ci\n',
    );
    expect(found).toEqual([
      {
        file: 'nightly.yml',
        line: await copy.lineOf('nightly.yml', 'uses: ./.github/workflows/notify-orchestrator.yml'),
        rule: 'reusable-workflow-in-step',
        message: 'job "nightly" calls the reusable workflow ./.github/workflows/notify-orchestrator.yml from a step; call it as a job: jobs.<id>.uses: ./.github/workflows/notify-orchestrator.yml',
      },
    ]);
  });

  it('flags a remote reusable workflow used as a step', async () => {
    const { found } = await broken('ci.yml', '      - run: npm ci\n', '      - uses: BTCDecoded/bllvm/.github/workflows/notify-orchestrator.yml@main\n      - run: npm ci\n');
    expect(found.map((f) => f.rule)).toEqual(['reusable-workflow-in-step']);
  });
});

describe('expression-in-run', () => {
  it('flags an event payload interpolated into a script', async () => {
    const { found, copy } = await broken('orchestrate.yml', PIN_STEP, `echo "pinning \${{ github.event.client_payload.sha }}"\n          ${PIN_STEP}`);
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', 'echo "pinning ${{'),
        rule: 'expression-in-run',
        message: '${{ github.event.client_payload.sha }} is expanded into a run script of job "pin"; pass it through env: and read "$NAME" instead',
      },
    ]);
  });

  it.each(['inputs.force', 'github.head_ref', 'steps.head.outputs.commit', 'needs.pin.outputs.commit', 'env.FORCE', 'secrets.ORCHESTRATOR_TOKEN', "format('{0}', github.ref)"])(
    'flags ${{ %s }}',
    async (expression) => {
      const { found } = await broken('nightly.yml', "          set --\n", `          set --\n          echo "\${{ ${expression} }}"\n`);
      expect(found.filter((f) => f.rule === 'expression-in-run').map((f) => f.message)).toEqual([
        `\${{ ${expression} }} is expanded into a run script of job "nightly"; pass it through env: and read "$NAME" instead`,
      ]);
    },
  );

  it('allows runner paths, run ids and literal matrix values', async () => {
    const { found } = await broken('ci.yml', '          node --version\n', '          node --version\n          echo "${{ runner.temp }} ${{ github.run_id }} ${{ matrix.node }}"\n');
    expect(found).toEqual([]);
  });

  it('flags a matrix value that is computed rather than written out', async () => {
    const { found } = await broken('ci.yml', "node: ['20', '22', '24']", 'node: ${{ fromJSON(vars.NODE_LINES) }}');
    expect(found).toEqual([]);
    await copy.edit('ci.yml', '          node --version\n', '          node --version\n          echo "${{ matrix.node }}"\n');
    expect(introduced(baseline, await copy.check(facts)).map((f) => f.rule)).toEqual(['expression-in-run']);
  });

  it('flags an expression in an actions/github-script script', async () => {
    const { found } = await broken(
      'notify-orchestrator.yml',
      '      - name: Send the dispatch\n',
      "      - uses: actions/github-script@v7\n        with:\n          script: |\n            core.info('${{ inputs.component }}')\n      - name: Send the dispatch\n",
    );
    expect(found.map((f) => f.message)).toEqual(['${{ inputs.component }} is expanded into a github-script script of job "notify"; pass it through env: and read "$NAME" instead']);
  });
});

describe('permissions', () => {
  it('flags a workflow without workflow-level permissions', async () => {
    const { found } = await broken('ci.yml', 'permissions:\n  contents: read\n', '');
    expect(found).toEqual([
      { file: 'ci.yml', line: 1, rule: 'permissions', message: 'no workflow-level permissions: grant what the jobs need (e.g. contents: read), or {} for nothing' },
    ]);
  });

  it('flags write-all at workflow and job level', async () => {
    const { found, copy } = await broken('nightly.yml', 'permissions:\n  contents: read\n', 'permissions: write-all\n');
    await copy.edit('nightly.yml', /    permissions:\n\s+# The nightly is a GitHub release of this repository.\n\s+contents: write\n/, '    permissions: write-all\n');
    const all = introduced(baseline, await copy.check(facts));
    expect(found.map((f) => f.message)).toEqual(['permissions: write-all grants every scope; list the scopes the jobs need']);
    expect(all.map((f) => f.message)).toEqual([
      'permissions: write-all grants every scope; list the scopes the jobs need',
      'job "nightly" has permissions: write-all; list the scopes it needs',
    ]);
  });
});

describe('cron', () => {
  it('flags an out-of-range minute, and so does GitHub\'s parser', async () => {
    const { found, copy } = await broken('nightly.yml', "cron: '0 2 * * *'", "cron: '61 2 * * *'");
    const line = await copy.lineOf('nightly.yml', "cron: '61 2 * * *'");
    expect(found).toEqual([
      { file: 'nightly.yml', line, rule: 'cron', message: 'cron "61 2 * * *" minute field "61": 61 is outside 0-59' },
      { file: 'nightly.yml', line, rule: 'parser', message: "Invalid cron expression. Expected format: '* * * * *' (minute hour day month weekday)" },
    ]);
  });

  it('flags a schedule with a missing field', async () => {
    const { found } = await broken('nightly.yml', "cron: '0 2 * * *'", "cron: '0 2 * *'");
    expect(found.filter((f) => f.rule === 'cron').map((f) => f.message)).toEqual([
      'cron "0 2 * *" has 4 fields; GitHub wants 5 (minute hour day-of-month month day-of-week)',
    ]);
  });
});

describe('known-invocations', () => {
  it('flags a target no project declares in the build command', async () => {
    const { found, copy } = await broken('orchestrate.yml', 'build --targets build,test,verify --base last-release', 'build --targets buld,test,verify --base last-release');
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', '--targets buld,test,verify'),
        rule: 'known-invocations',
        message: 'job "release" runs nx target "buld", which no project under apps/ declares',
      },
    ]);
  });

  it('flags a target no project declares in nx affected', async () => {
    const { found } = await broken('orchestrate.yml', '      - name: Build, test and verify what changed since last-release\n        run: |\n', '      - name: Build, test and verify what changed since last-release\n        run: |\n          npx nx affected -t buld --base=last-release\n');
    expect(found.map((f) => f.message)).toEqual(['job "release" runs nx target "buld", which no project under apps/ declares']);
  });

  it('checks nx run against the named project', async () => {
    const { found } = await broken(
      'orchestrate.yml',
      '      - name: Build, test and verify what changed since last-release\n        run: |\n',
      '      - name: Build, test and verify what changed since last-release\n        run: |\n          npx nx run governance-app:compile\n          npx nx run bllvm:compile\n          npx nx run bllvm-wallet:build\n',
    );
    expect(found.map((f) => f.message)).toEqual([
      'job "release" runs nx target bllvm:compile, which apps/bllvm/project.json does not declare',
      'job "release" runs nx target bllvm-wallet:build, but there is no project "bllvm-wallet" under apps/',
    ]);
  });

  it('does not count a target that only nx.json targetDefaults configures', async () => {
    const fakeFacts: WorkspaceFacts = { ...facts, targets: new Map([['bllvm', new Set(['build'])]]) };
    copy = await WorkflowCopy.create();
    const found = (await checkWorkflows(copy.dir, { facts: fakeFacts })).filter((f) => f.rule === 'known-invocations');
    expect(found.map((f) => f.message)).toContain('job "release" runs nx target "test", which no project under apps/ declares');
  });

  it('flags a CLI command the CLI does not have', async () => {
    const { found, copy } = await broken('orchestrate.yml', 'bllvm-release.cjs handle-event --event-file', 'bllvm-release.cjs handle-evnt --event-file');
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', 'handle-evnt'),
        rule: 'known-invocations',
        message: `job "pin" runs CLI command "handle-evnt", which tools/ship/cli does not have (it has: ${[...facts.cliCommands].sort().join(', ')})`,
      },
    ]);
  });

  it('flags a CLI command chosen at run time', async () => {
    const { found } = await broken('orchestrate.yml', 'bllvm-release.cjs handle-event --event-file', 'bllvm-release.cjs "$COMMAND" --event-file');
    expect(found.map((f) => f.message)).toEqual(['job "pin": CLI command "$COMMAND" is computed at run time; write it out so it can be checked']);
  });
});

describe('swallowed-failure', () => {
  it('flags || true in a run script', async () => {
    const { found, copy } = await broken('orchestrate.yml', PIN_STEP, `${PIN_STEP} || true`);
    expect(found).toEqual([
      { file: 'orchestrate.yml', line: await copy.lineOf('orchestrate.yml', '|| true'), rule: 'swallowed-failure', message: 'job "pin" ignores a failure with "|| true"' },
    ]);
  });

  it('flags continue-on-error: true on a step and on a job', async () => {
    const { found, copy } = await broken('ci.yml', '      - run: npm test\n', '      - run: npm test\n        continue-on-error: true\n');
    await copy.edit('ci.yml', '    timeout-minutes: 60\n', '    timeout-minutes: 60\n    continue-on-error: ${{ matrix.node == \'24\' }}\n');
    const all = introduced(baseline, await copy.check(facts));
    expect(found.map((f) => f.message)).toEqual(['job "test" has continue-on-error: true; a failure must fail the job']);
    expect(all.map((f) => f.message).sort()).toEqual([
      'job "test" has continue-on-error: ${{ matrix.node == \'24\' }}; a failure must fail the job',
      'job "test" has continue-on-error: true; a failure must fail the job',
    ]);
  });
});

describe('piped-failure', () => {
  it('flags a pipe into tee when steps do not run under bash -o pipefail', async () => {
    const { found } = await broken('orchestrate.yml', 'defaults:\n  run:\n    shell: bash\n', '');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.rule === 'piped-failure' && /pipes a command without pipefail/.test(f.message))).toBe(true);
  });
});

describe('self-hosted-labels', () => {
  it('flags a self-hosted job without Linux and X64, case included', async () => {
    const { found, copy } = await broken('orchestrate.yml', 'runs-on: [self-hosted, Linux, X64, builds, docker, perf]', 'runs-on: [self-hosted, linux, builds, docker, perf]');
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', 'runs-on: [self-hosted, linux, builds, docker, perf]'),
        rule: 'self-hosted-labels',
        message: 'self-hosted job "release" does not name Linux, X64 (labels are case-sensitive: Linux)',
      },
    ]);
  });
});

describe('secrets-on-pull-request-target', () => {
  it('flags every job that reads secrets when pull_request_target triggers the workflow', async () => {
    const { found } = await broken('orchestrate.yml', 'on:\n  repository_dispatch:\n', 'on:\n  pull_request_target:\n  repository_dispatch:\n');
    expect(found.map((f) => f.message)).toEqual([
      'job "pin" uses secrets in a workflow run on pull_request_target',
      'job "release" uses secrets in a workflow run on pull_request_target',
    ]);
  });
});

describe('declared-inputs', () => {
  it('flags an input the workflow does not declare', async () => {
    const { found, copy } = await broken('notify-orchestrator.yml', 'COMPONENT: ${{ inputs.component }}', 'COMPONENT: ${{ inputs.componet }}');
    expect(found).toEqual([
      {
        file: 'notify-orchestrator.yml',
        line: await copy.lineOf('notify-orchestrator.yml', 'inputs.componet'),
        rule: 'declared-inputs',
        message: 'inputs.componet is not declared under on.workflow_call.inputs or on.workflow_dispatch.inputs',
      },
    ]);
  });

  it('reads if: conditions, which are expressions without ${{ }}', async () => {
    const { found } = await broken('nightly.yml', '    runs-on: [self-hosted', "    if: inputs.forced || github.event_name == 'schedule'\n    runs-on: [self-hosted");
    expect(found.map((f) => f.message)).toEqual(['inputs.forced is not declared under on.workflow_call.inputs or on.workflow_dispatch.inputs']);
  });
});

it('every rule has a test above', () => {
  const tested = ['reusable-workflow-in-step', 'expression-in-run', 'permissions', 'cron', 'known-invocations', 'swallowed-failure', 'piped-failure', 'self-hosted-labels', 'secrets-on-pull-request-target', 'declared-inputs'];
  expect(rules.map((r) => r.id).sort()).toEqual([...tested].sort());
});
