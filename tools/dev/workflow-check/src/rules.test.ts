import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkWorkflows, DEFAULT_WORKFLOW_DIR } from './check';
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

// The first run script of nightly.yml that writes the step summary (its pin job's).
const FENCE = "          fence='```'\n";
// The builds job's step of orchestrate.yml (and nightly.yml).
const BUILDS_STEP = 'node tools/ship/cli/bin/bllvm-release.cjs build --runner-class builds --targets build,test,verify,package | tee -a "$GITHUB_STEP_SUMMARY"';
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
        column: await copy.columnOf('nightly.yml', './.github/workflows/notify-orchestrator.yml'),
        rule: 'reusable-workflow-in-step',
        message: 'job "pin" calls the reusable workflow ./.github/workflows/notify-orchestrator.yml from a step; call it as a job: jobs.<id>.uses: ./.github/workflows/notify-orchestrator.yml',
        fix: 'move the step into a job of its own, "jobs: { <id>: { needs: pin, uses: ./.github/workflows/notify-orchestrator.yml } }", with its with: (and secrets:) under that job',
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
        column: await copy.columnOf('orchestrate.yml', '${{ github.event.client_payload.sha }}'),
        rule: 'expression-in-run',
        message: '${{ github.event.client_payload.sha }} is expanded into a run script of job "pin": it is a field of the dispatch payload, which someone outside can write; pass it through env: and read "$NAME" instead',
        fix: 'add "SHA: ${{ github.event.client_payload.sha }}" to the step\'s env: and write "$SHA" in its place, quoted',
      },
    ]);
  });

  it.each([
    ['github.event.client_payload.version', 'a field of the dispatch payload, which someone outside can write'],
    ['github.event.head_commit.message', 'a field of the event payload, which someone outside can write'],
    ['github.head_ref', 'a branch or tag name, which whoever pushes chooses, which someone outside can write'],
    ["format('{0}', github.ref)", 'a branch or tag name, which whoever pushes chooses, which someone outside can write'],
    ['steps.head.outputs.commit', "another step's output, whose origin is not visible here"],
    ['needs.pin.outputs.commit', "another job's output, whose origin is not visible here"],
    ['env.FORCE', 'an environment value, whose origin is not visible here'],
    ['secrets.ORCHESTRATOR_TOKEN', 'a secret, which lands in the script file and process listings'],
    ['github.token', 'the job token, which lands in the script file and process listings'],
  ])('flags ${{ %s }} and says who can steer it', async (expression, says) => {
    const { found } = await broken('nightly.yml', FENCE, `${FENCE}          echo "\${{ ${expression} }}"\n`);
    expect(found.filter((f) => f.rule === 'expression-in-run').map((f) => f.message)).toEqual([
      `\${{ ${expression} }} is expanded into a run script of job "pin": it is ${says}; pass it through env: and read "$NAME" instead`,
    ]);
  });

  it('flags a free-text input but not a typed one', async () => {
    const { found } = await broken(
      'orchestrate.yml',
      "          node tools/ship/cli/bin/bllvm-release.cjs prerelease",
      "          echo \"${{ inputs.force }} ${{ github.event.inputs.force }} ${{ inputs.sha }}\"\n          node tools/ship/cli/bin/bllvm-release.cjs prerelease",
    );
    expect(found.map((f) => f.message)).toEqual([
      '${{ inputs.sha }} is expanded into a run script of job "publish": it is a free-text input, which someone outside can write; pass it through env: and read "$NAME" instead',
    ]);
  });

  it('allows values nobody can steer: ids, numbers, shas, statuses, the repository, vars', async () => {
    const { found } = await broken(
      'nightly.yml',
      FENCE,
      FENCE + "          echo \"${{ github.repository }} ${{ github.event.pull_request.number }} ${{ github.event.pull_request.head.sha }} ${{ needs.x.result }} ${{ steps.y.outcome }} ${{ vars.REGION }} ${{ github.actor }} ${{ 'a literal, github.ref' }}\"\n",
    );
    expect(found.filter((f) => f.rule === 'expression-in-run')).toEqual([]);
  });

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
      "      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1\n        with:\n          script: |\n            core.info('${{ inputs.component }}')\n      - name: Send the dispatch\n",
    );
    expect(found.map((f) => f.message)).toEqual(['${{ inputs.component }} is expanded into a github-script script of job "notify": it is a free-text input, which someone outside can write; pass it through env: and read "$NAME" instead']);
  });
});

describe('permissions', () => {
  it('flags a workflow without workflow-level permissions', async () => {
    const { found } = await broken('ci.yml', 'permissions:\n  contents: read\n', '');
    expect(found).toEqual([
      {
        file: 'ci.yml',
        line: 1,
        column: 1,
        rule: 'permissions',
        message: 'no workflow-level permissions: grant what the jobs need (e.g. contents: read), or {} for nothing',
        fix: 'add at the top level "permissions: { contents: read }" (or "permissions: {}"), and grant a job more under its own permissions:',
      },
    ]);
  });

  it('flags write-all at workflow and job level', async () => {
    const { found, copy } = await broken('nightly.yml', 'permissions:\n  contents: read\n', 'permissions: write-all\n');
    await copy.edit('nightly.yml', /    permissions:\n\s+# The nightly is a GitHub release of this repository.\n\s+contents: write\n(?:\s+#.*\n|\s+[a-z-]+: write\n)*/, '    permissions: write-all\n');
    const all = introduced(baseline, await copy.check(facts));
    // (token-runner-apart also finds the plan job holding a writing token: its test is below.)
    const own = (fs: Finding[]) => fs.filter((f) => f.rule === 'permissions').map((f) => f.message);
    expect(own(found)).toEqual(['permissions: write-all grants every scope; list the scopes the jobs need']);
    expect(own(all)).toEqual([
      'permissions: write-all grants every scope; list the scopes the jobs need',
      'job "publish" has permissions: write-all; list the scopes it needs',
    ]);
  });
});

describe('cron', () => {
  it('flags an out-of-range minute, and so does GitHub\'s parser', async () => {
    const { found, copy } = await broken('nightly.yml', "cron: '0 2 * * *'", "cron: '61 2 * * *'");
    const line = await copy.lineOf('nightly.yml', "cron: '61 2 * * *'");
    const column = await copy.columnOf('nightly.yml', "'61 2 * * *'");
    expect(found).toEqual([
      {
        file: 'nightly.yml',
        line,
        column,
        rule: 'cron',
        message: 'cron "61 2 * * *" minute field "61": 61 is outside 0-59',
        fix: "write five fields GitHub accepts, e.g. cron: '0 2 * * *' (02:00 UTC every day): minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT",
      },
      { file: 'nightly.yml', line, column, rule: 'parser', message: "Invalid cron expression. Expected format: '* * * * *' (minute hour day month weekday)", fix: "write five fields GitHub accepts, e.g. cron: '0 2 * * *'" },
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
    const { found, copy } = await broken('orchestrate.yml', 'build --runner-class builds --targets build,test,verify,package', 'build --runner-class builds --targets buld,test,verify,package');
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', '--targets buld,test,verify'),
        column: await copy.columnOf('orchestrate.yml', 'tools/ship/cli/bin/bllvm-release.cjs build --runner-class builds --targets buld'),
        rule: 'known-invocations',
        message: 'job "builds" runs nx target "buld", which no project under apps/ declares',
        fix: 'run the target "build"',
      },
    ]);
  });

  it('flags a target no project declares in nx affected', async () => {
    const { found } = await broken('orchestrate.yml', BUILDS_STEP, `npx nx affected -t buld --base=last-release\n          ${BUILDS_STEP}`);
    expect(found.map((f) => f.message)).toEqual(['job "builds" runs nx target "buld", which no project under apps/ declares']);
  });

  it('checks nx run against the named project', async () => {
    const { found } = await broken(
      'orchestrate.yml',
      BUILDS_STEP,
      `npx nx run governance-app:compile\n          npx nx run bllvm:compile\n          npx nx run bllvm-wallet:build\n          ${BUILDS_STEP}`,
    );
    expect(found.map((f) => f.message)).toEqual([
      'job "builds" runs nx target bllvm:compile, which apps/bllvm/project.json does not declare',
      'job "builds" runs nx target bllvm-wallet:build, but there is no project "bllvm-wallet" under apps/',
    ]);
  });

  it('does not count a target that only nx.json targetDefaults configures', async () => {
    const fakeFacts: WorkspaceFacts = { ...facts, targets: new Map([['bllvm', new Set(['build'])]]) };
    copy = await WorkflowCopy.create();
    const found = (await checkWorkflows(copy.dir, { facts: fakeFacts })).filter((f) => f.rule === 'known-invocations');
    expect(found.map((f) => f.message)).toContain('job "builds" runs nx target "test", which no project under apps/ declares');
  });

  it('flags a CLI command the CLI does not have', async () => {
    const { found, copy } = await broken('orchestrate.yml', 'bllvm-release.cjs handle-event --event-file', 'bllvm-release.cjs handle-evnt --event-file');
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', 'handle-evnt'),
        column: await copy.columnOf('orchestrate.yml', 'tools/ship/cli/bin/bllvm-release.cjs handle-evnt'),
        rule: 'known-invocations',
        message: `job "pin" runs CLI command "handle-evnt", which tools/ship/cli does not have (it has: ${[...facts.cliCommands].sort().join(', ')})`,
        fix: 'run "handle-event"',
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
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', '|| true'),
        column: await copy.columnOf('orchestrate.yml', '|| true'),
        rule: 'swallowed-failure',
        message: 'job "pin" ignores a failure with "|| true"',
        fix: 'delete "|| true" so a failure of "node tools/ship/cli/bin/bllvm-release.cjs handle-event --..." fails the step; if one failure is expected (it already exists, nothing to commit), test for that case and exit 1 on any other',
      },
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
    const { found, copy } = await broken('orchestrate.yml', 'runs-on: [self-hosted, Linux, X64, builds, docker]', 'runs-on: [self-hosted, linux, builds, docker]');
    const line = await copy.lineOf('orchestrate.yml', 'runs-on: [self-hosted, linux, builds, docker]');
    const column = await copy.columnOf('orchestrate.yml', '[self-hosted, linux, builds, docker]');
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line,
        column,
        rule: 'runner-class-labels',
        message: 'job "docker" runs the docker tasks on [self-hosted, linux, builds, docker], but the docker class runs on [self-hosted, Linux, X64, builds, docker] (libs/manifest/src/runner-classes.ts)',
        fix: 'runs-on: [self-hosted, Linux, X64, builds, docker]',
      },
      {
        file: 'orchestrate.yml',
        line,
        column,
        rule: 'self-hosted-labels',
        message: 'self-hosted job "docker" does not name Linux, X64 (labels are case-sensitive: Linux)',
        fix: 'runs-on: [self-hosted, Linux, X64, builds, docker]',
      },
    ]);
  });
});

describe('secrets-on-pull-request-target', () => {
  it('flags every job that reads secrets when pull_request_target triggers the workflow', async () => {
    const { found } = await broken('orchestrate.yml', 'on:\n  repository_dispatch:\n', 'on:\n  pull_request_target:\n  repository_dispatch:\n');
    expect(found.filter((f) => f.rule === 'secrets-on-pull-request-target').map((f) => f.message)).toEqual([
      'job "pin" uses secrets in a workflow run on pull_request_target',
      'job "builds" uses secrets in a workflow run on pull_request_target',
      'job "perf" uses secrets in a workflow run on pull_request_target',
      'job "docker" uses secrets in a workflow run on pull_request_target',
      'job "publish" uses secrets in a workflow run on pull_request_target',
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
        column: await copy.columnOf('notify-orchestrator.yml', 'inputs.componet'),
        rule: 'declared-inputs',
        message: 'inputs.componet is not declared under on.workflow_call.inputs or on.workflow_dispatch.inputs',
        fix: 'read inputs.component, which is declared, or declare componet under on.workflow_call.inputs',
      },
    ]);
  });

  it('reads if: conditions, which are expressions without ${{ }}', async () => {
    const { found } = await broken('nightly.yml', '    runs-on: [self-hosted', "    if: inputs.forced || github.event_name == 'schedule'\n    runs-on: [self-hosted");
    expect(found.map((f) => f.message)).toEqual(['inputs.forced is not declared under on.workflow_call.inputs or on.workflow_dispatch.inputs']);
  });
});

describe('pinned-actions', () => {
  it('flags an action named by tag or branch, and a SHA without its version', async () => {
    const { found, copy } = await broken('ci.yml', '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n', '      - uses: actions/checkout@v4\n');
    expect(found).toEqual([
      {
        file: 'ci.yml',
        line: await copy.lineOf('ci.yml', 'uses: actions/checkout@v4'),
        column: await copy.columnOf('ci.yml', 'actions/checkout@v4'),
        rule: 'pinned-actions',
        message: 'job "test" uses actions/checkout@v4, which can move; pin it to a full commit SHA with the version in a comment (uses: actions/checkout@<40-hex> # v4)',
        fix: 'write "uses: actions/checkout@<sha> # v4", where <sha> is the commit `git ls-remote https://github.com/actions/checkout v4` names (the peeled ^{} line for a tag)',
      },
    ]);
    await copy.edit('ci.yml', 'actions/checkout@v4\n', 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n');
    expect(introduced(baseline, await copy.check(facts)).map((f) => f.message)).toEqual([
      'job "test" uses actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 without the version it is in a comment (# vX.Y.Z), so nobody can tell what it is or when to update it',
    ]);
  });

  it("flags a reusable workflow of another organisation by branch, not the stack's own", async () => {
    const { found } = await broken('ci.yml', 'jobs:\n', 'jobs:\n  theirs:\n    uses: someone/else/.github/workflows/x.yml@main\n  ours:\n    uses: BTCDecoded/bllvm/.github/workflows/notify-orchestrator.yml@main\n    with:\n      component: bllvm\n    secrets:\n      token: ${{ secrets.X }}\n');
    expect(found.filter((f) => f.rule === 'pinned-actions').map((f) => f.message)).toEqual([
      'job "theirs" uses someone/else/.github/workflows/x.yml@main, which can move; pin it to a full commit SHA with the version in a comment (uses: someone/else/.github/workflows/x.yml@<40-hex> # main)',
    ]);
  });
});

describe('self-hosted-on-pull-request', () => {
  it('flags a self-hosted job in a workflow pull requests trigger', async () => {
    const { found, copy } = await broken('ci.yml', '    runs-on: ubuntu-latest\n', '    runs-on: [self-hosted, Linux, X64, builds]\n');
    expect(found).toEqual([
      {
        file: 'ci.yml',
        line: await copy.lineOf('ci.yml', 'runs-on: [self-hosted'),
        column: await copy.columnOf('ci.yml', '[self-hosted'),
        rule: 'self-hosted-on-pull-request',
        message: 'job "test" runs on a self-hosted runner in a workflow triggered by pull_request; run it on a GitHub-hosted runner',
        fix: 'runs-on: ubuntu-latest for job "test", or drop pull_request from the triggers if it must run on self-hosted runners',
      },
    ]);
  });

  it('flags a runner group too, and leaves workflows no pull request triggers alone', async () => {
    const { found } = await broken('ci.yml', '    runs-on: ubuntu-latest\n', '    runs-on:\n      group: builders\n');
    // (token-runner-apart also names the group: its test is below.)
    expect(found.filter((f) => f.rule !== 'token-runner-apart').map((f) => f.rule)).toEqual(['self-hosted-on-pull-request']);
    expect(baseline.filter((f) => f.rule === 'self-hosted-on-pull-request')).toEqual([]);
  });
});

describe('needs-declared', () => {
  it('flags needs.X read by a job that does not list X in needs', async () => {
    const { found, copy } = await broken('orchestrate.yml', '    needs: pin\n', '    needs: []\n');
    expect(found.filter((f) => f.rule === 'needs-declared')).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', 'ref: ${{ needs.pin.outputs.commit }}'),
        column: await copy.columnOf('orchestrate.yml', 'needs.pin.outputs.commit'),
        rule: 'needs-declared',
        message: 'job "plan" reads needs.pin but does not list "pin" in needs:, so it reads an empty string',
        fix: 'list it: "needs: pin" in job "plan"',
      },
    ]);
  });

  it('reads bare if: conditions too', async () => {
    const { found } = await broken('orchestrate.yml', '    needs: pin\n', "    needs: pin\n    if: needs.other.result == 'success'\n");
    expect(found.filter((f) => f.rule === 'needs-declared').map((f) => f.message)).toEqual(['job "plan" reads needs.other but does not list "other" in needs:, so it reads an empty string']);
  });
});

describe('secret-beside-build', () => {
  const advice = 'build in a job without secrets and publish from another with `prerelease --publish-only`';
  const BUILD_STEP = 'node tools/ship/cli/bin/bllvm-release.cjs build --runner-class builds --targets build,test,verify,package';

  it('passes the real workflows: the jobs that build hold no secret, the jobs with secrets build nothing', () => {
    expect(baseline.filter((f) => f.rule === 'secret-beside-build')).toEqual([]);
  });

  it('flags a secret in the env of any step of a job that builds', async () => {
    const { found, copy } = await broken(
      'orchestrate.yml',
      '      - name: Run the builds tasks (the others they need come from the shared Nx cache)\n        env:\n',
      '      - name: Run the builds tasks (the others they need come from the shared Nx cache)\n        env:\n          GITHUB_TOKEN: ${{ github.token }}\n',
    );
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', 'GITHUB_TOKEN: ${{ github.token }}'),
        column: await copy.columnOf('orchestrate.yml', 'github.token }}'),
        rule: 'secret-beside-build',
        message: `job "builds" runs component code (CLI build, line ${await copy.lineOf('orchestrate.yml', BUILD_STEP)}) with github.token in the job; ${advice}`,
        fix: `move github.token out of job "builds" (or "${BUILD_STEP}", line ${await copy.lineOf('orchestrate.yml', BUILD_STEP)}, into a job without secrets); the job holding it runs \`prerelease --publish-only\`, which builds nothing`,
      },
    ]);
  });

  it('flags a release verb without --publish-only in the job that holds the tokens, once per secret', async () => {
    const { found, copy } = await broken('orchestrate.yml', 'bllvm-release.cjs prerelease --publish-only |', 'bllvm-release.cjs prerelease |');
    const line = await copy.lineOf('orchestrate.yml', 'bllvm-release.cjs prerelease |');
    expect(found.filter((f) => f.rule === 'secret-beside-build').map((f) => [f.line, f.message])).toEqual([
      [await copy.lineOf('orchestrate.yml', 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: ${{ secrets.NX_CACHE_READ_TOKEN }}'), `job "publish" runs component code (CLI prerelease without --publish-only, line ${line}) with secrets.NX_CACHE_READ_TOKEN in the job; ${advice}`],
      [await copy.lineOf('orchestrate.yml', 'GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}'), `job "publish" runs component code (CLI prerelease without --publish-only, line ${line}) with secrets.GITHUB_TOKEN in the job; ${advice}`],
      [await copy.lineOf('orchestrate.yml', 'BLLVM_DEPLOY_TOKEN: ${{ secrets.ORCHESTRATOR_TOKEN }}'), `job "publish" runs component code (CLI prerelease without --publish-only, line ${line}) with secrets.ORCHESTRATOR_TOKEN in the job; ${advice}`],
      [await copy.lineOf('orchestrate.yml', 'BLLVM_RELEASE_SIGNING_KEY: ${{'), `job "publish" runs component code (CLI prerelease without --publish-only, line ${line}) with secrets.BLLVM_RELEASE_SIGNING_KEY in the job; ${advice}`],
      [await copy.lineOf('orchestrate.yml', 'BLLVM_PROVENANCE_KEY: ${{'), `job "publish" runs component code (CLI prerelease without --publish-only, line ${line}) with secrets.BLLVM_PROVENANCE_KEY in the job; ${advice}`],
      [await copy.lineOf('orchestrate.yml', 'BLLVM_CARGO_REGISTRY_TOKEN: ${{'), `job "publish" runs component code (CLI prerelease without --publish-only, line ${line}) with secrets.BLLVM_CARGO_REGISTRY_TOKEN in the job; ${advice}`],
    ]);
  });

  it('flags a workflow-level secret for the jobs that build, not for the others', async () => {
    const { found } = await broken('nightly.yml', "  NX_TUI: 'false'\n", "  NX_TUI: 'false'\n  CARGO_REGISTRY_TOKEN: ${{ secrets.CRATES_TOKEN }}\n");
    expect(found.filter((f) => f.rule === 'secret-beside-build').map((f) => f.message)).toEqual(
      ['builds', 'docker', 'perf'].map((job) => expect.stringMatching(new RegExp(`^job "${job}" runs component code \\(CLI build, line \\d+\\) with secrets\\.CRATES_TOKEN in the workflow-level env; `))),
    );
  });

  it('flags cargo, docker build and nx build targets run where a secret is', async () => {
    const { found, copy } = await broken('nightly.yml', '        run: node tools/ship/cli/bin/bllvm-release.cjs restore\n', '        run: |\n          node tools/ship/cli/bin/bllvm-release.cjs restore\n          cargo build --release\n');
    // A job that runs cargo on the release runners also puts the pin job beside component code (token-runner-apart, tested below).
    expect(found.filter((f) => f.rule === 'secret-beside-build').map((f) => f.message)).toEqual([
      `job "publish" runs component code (cargo, line ${await copy.lineOf('nightly.yml', 'cargo build --release')}) with secrets.NX_CACHE_READ_TOKEN in the job; ${advice}`,
      `job "publish" runs component code (cargo, line ${await copy.lineOf('nightly.yml', 'cargo build --release')}) with secrets.ORCHESTRATOR_TOKEN in the job; ${advice}`,
      `job "publish" runs component code (cargo, line ${await copy.lineOf('nightly.yml', 'cargo build --release')}) with secrets.GITHUB_TOKEN in the job; ${advice}`,
      `job "publish" runs component code (cargo, line ${await copy.lineOf('nightly.yml', 'cargo build --release')}) with secrets.ORCHESTRATOR_TOKEN in the job; ${advice}`,
      `job "publish" runs component code (cargo, line ${await copy.lineOf('nightly.yml', 'cargo build --release')}) with secrets.BLLVM_RELEASE_SIGNING_KEY in the job; ${advice}`,
      `job "publish" runs component code (cargo, line ${await copy.lineOf('nightly.yml', 'cargo build --release')}) with secrets.BLLVM_PROVENANCE_KEY in the job; ${advice}`,
      `job "publish" runs component code (cargo, line ${await copy.lineOf('nightly.yml', 'cargo build --release')}) with secrets.BLLVM_CARGO_REGISTRY_TOKEN in the job; ${advice}`,
    ]);
    await copy.edit('nightly.yml', '          cargo build --release\n', '          docker  build -t x .\n');
    const dockerLine = await copy.lineOf('nightly.yml', 'docker  build -t x .');
    const secrets = ['NX_CACHE_READ_TOKEN', 'ORCHESTRATOR_TOKEN', 'GITHUB_TOKEN', 'ORCHESTRATOR_TOKEN', 'BLLVM_RELEASE_SIGNING_KEY', 'BLLVM_PROVENANCE_KEY', 'BLLVM_CARGO_REGISTRY_TOKEN'];
    expect(introduced(baseline, await copy.check(facts)).filter((f) => f.rule === 'secret-beside-build').map((f) => f.message.split(';')[0])).toEqual(
      secrets.map((name) => `job "publish" runs component code (docker build, line ${dockerLine}) with secrets.${name} in the job`),
    );
    await copy.edit('nightly.yml', '          docker  build -t x .\n', '          npx nx affected -t test --base=last-release\n');
    expect(introduced(baseline, await copy.check(facts)).map((f) => f.message)).toContain(
      `job "publish" runs component code (nx target test, line ${await copy.lineOf('nightly.yml', 'npx nx affected -t test')}) with secrets.GITHUB_TOKEN in the job; ${advice}`,
    );
  });

  it('flags secrets: inherit on a job that builds, and leaves a build without secrets alone', async () => {
    const { found } = await broken('orchestrate.yml', '    timeout-minutes: 600\n', '    timeout-minutes: 600\n    secrets: inherit\n');
    // GitHub's parser also rejects secrets: on a job that is not a reusable-workflow call.
    expect(found.filter((f) => f.rule === 'secret-beside-build').map((f) => f.message)).toEqual([expect.stringMatching(/^job "perf" runs component code \(CLI build, line \d+\) with secrets: inherit in the job; /)]);
    const clean = await broken('ci.yml', '      - run: npm test\n', '      - run: npm test\n      - run: cargo test\n');
    expect(clean.found.filter((f) => f.rule === 'secret-beside-build')).toEqual([]);
  });
});

describe('secret-beside-build and the Nx cache token', () => {
  const advice = 'build in a job without secrets and publish from another with `prerelease --publish-only`';
  const WRITE = 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: ${{ secrets.NX_CACHE_WRITE_TOKEN }}';

  it('allows the cache write token beside a build, as the variable Nx reads, and nothing else', () => {
    expect(baseline.filter((f) => f.rule === 'secret-beside-build')).toEqual([]);
  });

  it('flags the write token under any other name, the read token and any other secret beside a build', async () => {
    const { found, copy } = await broken('orchestrate.yml', `          ${WRITE}\n`, `          ${WRITE}\n          CARGO_REGISTRIES_X_TOKEN: \${{ secrets.NX_CACHE_WRITE_TOKEN }}\n`);
    const step = await copy.lineOf('orchestrate.yml', 'build --runner-class builds');
    expect(found).toEqual([
      {
        file: 'orchestrate.yml',
        line: await copy.lineOf('orchestrate.yml', 'CARGO_REGISTRIES_X_TOKEN'),
        column: await copy.columnOf('orchestrate.yml', 'secrets.NX_CACHE_WRITE_TOKEN', 'CARGO_REGISTRIES_X_TOKEN'),
        rule: 'secret-beside-build',
        message: `job "builds" runs component code (CLI build, line ${step}) with secrets.NX_CACHE_WRITE_TOKEN in the job; ${advice}`,
        fix: `move secrets.NX_CACHE_WRITE_TOKEN out of job "builds" (or "node tools/ship/cli/bin/bllvm-release.cjs build --runner-class builds --targets build,test,verify,package", line ${step}, into a job without secrets); the job holding it runs \`prerelease --publish-only\`, which builds nothing`,
      },
    ]);
    await copy.edit('orchestrate.yml', /CARGO_REGISTRIES_X_TOKEN: .*\n/, 'NX_EXTRA: ${{ secrets.ORCHESTRATOR_TOKEN }}\n');
    expect(introduced(baseline, await copy.check(facts)).map((f) => f.message)).toEqual([`job "builds" runs component code (CLI build, line ${step}) with secrets.ORCHESTRATOR_TOKEN in the job; ${advice}`]);
  });

  it('flags the write token in the workflow-level env, where every job gets it', async () => {
    const { found } = await broken('nightly.yml', "  NX_TUI: 'false'\n", `  NX_TUI: 'false'\n  ${WRITE}\n`);
    expect(found.filter((f) => f.rule === 'secret-beside-build').map((f) => f.message.split(';')[0])).toEqual(
      ['builds', 'docker', 'perf'].map((job) => expect.stringMatching(new RegExp(`^job "${job}" runs component code \\(CLI build, line \\d+\\) with secrets\\.NX_CACHE_WRITE_TOKEN in the workflow-level env$`))),
    );
  });
});

describe('runner-class-labels', () => {
  it('passes the real workflows: each class job runs on its class\'s labels', () => {
    expect(baseline.filter((f) => f.rule === 'runner-class-labels')).toEqual([]);
  });

  it('flags a class job on labels other than the table\'s, missing or extra', async () => {
    const { found, copy } = await broken('nightly.yml', 'runs-on: [self-hosted, Linux, X64, builds, perf]', 'runs-on: [self-hosted, X64, Linux, builds]');
    expect(found).toEqual([
      {
        file: 'nightly.yml',
        line: await copy.lineOf('nightly.yml', 'runs-on: [self-hosted, X64, Linux, builds]'),
        column: await copy.columnOf('nightly.yml', '[self-hosted, X64, Linux, builds]'),
        rule: 'runner-class-labels',
        message: 'job "perf" runs the perf tasks on [self-hosted, X64, Linux, builds], but the perf class runs on [self-hosted, Linux, X64, builds, perf] (libs/manifest/src/runner-classes.ts)',
        fix: 'runs-on: [self-hosted, Linux, X64, builds, perf]',
      },
    ]);
    await copy.edit('nightly.yml', 'runs-on: [self-hosted, Linux, X64, builds, docker]', 'runs-on: [self-hosted, Linux, X64, builds, docker, perf]');
    expect(introduced(baseline, await copy.check(facts)).map((f) => f.message)).toContain(
      'job "docker" runs the docker tasks on [self-hosted, Linux, X64, builds, docker, perf], but the docker class runs on [self-hosted, Linux, X64, builds, docker] (libs/manifest/src/runner-classes.ts)',
    );
  });

  it('flags a class the table does not have', async () => {
    const { found } = await broken('orchestrate.yml', 'build --runner-class perf ', 'build --runner-class gpu ');
    expect(found.map((f) => f.message)).toEqual(['job "perf" runs the runner class "gpu", which is not one of builds, perf, docker']);
  });
});

describe('token-runner-apart', () => {
  const RELEASE = 'runs-on: [self-hosted, Linux, X64, release]';
  const hint = 'give the token jobs a label no component-code job has (e.g. release)';
  const only = (found: Finding[]) => found.filter((f) => f.rule === 'token-runner-apart').map((f) => f.message);
  /** A workflow of its own beside the real ones (runners are shared by every workflow of the repository). */
  const extra = (jobs: string) =>
    `name: Extra\non: workflow_dispatch\npermissions:\n  contents: read\ndefaults:\n  run:\n    shell: bash\njobs:\n${jobs}`;
  async function withExtra(jobs: string): Promise<string[]> {
    copy = await WorkflowCopy.create();
    await copy.write('extra.yml', extra(jobs));
    return only(introduced(baseline, await copy.check(facts)));
  }

  it('passes the real workflows: pin and publish hold the tokens on release runners, which no build, proof or image job asks for', async () => {
    expect(baseline.filter((f) => f.rule === 'token-runner-apart')).toEqual([]);
    const nightly = await readFile(join(DEFAULT_WORKFLOW_DIR, 'nightly.yml'), 'utf8');
    expect(nightly.match(/runs-on: \[self-hosted, Linux, X64, release\]/g)).toHaveLength(2);
  });

  it('flags a token job on the builds labels: a runner of each class job has every label it asks for', async () => {
    const { found, copy } = await broken('nightly.yml', /(  publish:\n(?:.*\n)*?    )runs-on: \[self-hosted, Linux, X64, release\]/, '$1runs-on: [self-hosted, Linux, X64, builds]');
    const at = (text: string) => copy.lineOf('nightly.yml', text);
    const runsOn = (await readFile(join(copy.dir, 'nightly.yml'), 'utf8')).split('\n').findIndex((l, i, all) => l.includes('runs-on: [self-hosted, Linux, X64, builds]') && all.slice(0, i).some((x) => x.startsWith('  publish:'))) + 1;
    // The publish job's first secret but the cache's: the second ORCHESTRATOR_TOKEN line (the pin job has the first).
    const text = (await readFile(join(copy.dir, 'nightly.yml'), 'utf8')).split('\n');
    const tokenLine = text.findLastIndex((l) => l.includes('ORCHESTRATOR_TOKEN: ${{ secrets.ORCHESTRATOR_TOKEN }}')) + 1;
    expect(tokenLine).toBeGreaterThan(await at('  publish:'));
    const holds = `job "publish" holds secrets.ORCHESTRATOR_TOKEN (line ${tokenLine})`;
    expect(found).toEqual(
      [
        ['"builds", "builds" (orchestrate.yml)', '[self-hosted, Linux, X64, builds]'],
        ['"docker", "docker" (orchestrate.yml)', '[self-hosted, Linux, X64, builds, docker]'],
        ['"perf", "perf" (orchestrate.yml)', '[self-hosted, Linux, X64, builds, perf]'],
      ].map(([jobs, labels]) => ({
        file: 'nightly.yml',
        line: runsOn,
        column: text[runsOn - 1]!.indexOf('[self-hosted') + 1,
        rule: 'token-runner-apart',
        message: `${holds} on [self-hosted, Linux, X64, builds], and a runner of component-code jobs ${jobs} ${labels} has all of those labels, so it can be given this job; ${hint}`,
        fix: 'runs-on: [self-hosted, Linux, X64, release] for job "publish" (a label no component-code job asks for, and none of theirs), and register the runners that take it with exactly those labels',
      })),
    );
  });

  it('flags the pin job too: its push token is a token, though it runs git and no component code', async () => {
    const { found } = await broken('orchestrate.yml', `    ${RELEASE}\n    timeout-minutes: 30\n`, '    runs-on: [self-hosted, Linux, X64, builds, perf]\n    timeout-minutes: 30\n');
    expect(found.map((f) => f.message)).toEqual([
      expect.stringMatching(/^job "pin" holds secrets\.ORCHESTRATOR_TOKEN \(line \d+\) on \[self-hosted, Linux, X64, builds, perf\], and a runner of component-code jobs "perf" \(nightly\.yml\), "perf" \[self-hosted, Linux, X64, builds, perf\] has all of those labels/),
      expect.stringMatching(/^job "pin" holds .* on \[self-hosted, Linux, X64, builds, perf\], which has every label component-code jobs "builds" \(nightly\.yml\), "builds" ask for \[self-hosted, Linux, X64, builds\], so a runner registered for this job can be given those jobs; make every component-code job ask for a label of its class$/),
    ]);
  });

  it('flags a component-code job, in any workflow, whose labels a release runner has', async () => {
    const found = await withExtra('  lint:\n    runs-on: [self-hosted, Linux, X64]\n    steps:\n      - run: cargo clippy\n');
    expect(found).toEqual(
      ['nightly.yml pin', 'nightly.yml publish', 'orchestrate.yml pin', 'orchestrate.yml publish', 'trial.yml accept', 'trial.yml report'].map((where) =>
        expect.stringMatching(
          new RegExp(`^job "${where.split(' ')[1]}" holds secrets\\.\\w+ \\(line \\d+\\) on \\[self-hosted, Linux, X64, release\\], which has every label component-code job "lint" \\(extra\\.yml\\) asks for \\[self-hosted, Linux, X64\\], so a runner registered for this job can be given that job`),
        ),
      ),
    );
  });

  it('flags a token job with no label of its own, even where no single class job covers it', async () => {
    const found = await withExtra(`  sign:\n    runs-on: [self-hosted, Linux, X64, perf, docker]\n    steps:\n      - env:\n          KEY: \${{ secrets.SIGNING_KEY }}\n        run: echo signing\n`);
    expect(found).toEqual([
      expect.stringMatching(/^job "sign" holds secrets\.SIGNING_KEY \(line 13\) on \[self-hosted, Linux, X64, perf, docker\], each of which a component-code job also asks for, so a runner registered for those jobs can be given this one; give the token jobs/),
    ]);
  });

  it('counts the job token when the job may write with it, and not the cache tokens or a read-only job token', async () => {
    const found = await withExtra(
      [
        '  release-notes:\n    runs-on: [self-hosted, Linux, X64, builds]\n    permissions:\n      contents: write\n    steps:\n      - run: echo notes\n',
        '  reader:\n    runs-on: [self-hosted, Linux, X64, builds]\n    steps:\n      - env:\n          T: ${{ github.token }}\n          NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: ${{ secrets.NX_CACHE_READ_TOKEN }}\n        run: echo read\n',
      ].join(''),
    );
    expect(found).toEqual([
      expect.stringMatching(/^job "release-notes" holds the job token with contents: write \(line 12\) on \[self-hosted, Linux, X64, builds\], and a runner of component-code jobs "builds" \(nightly\.yml\), "builds" \(orchestrate\.yml\)/),
      expect.stringMatching(/^job "release-notes" holds .* component-code jobs "docker" /),
      expect.stringMatching(/^job "release-notes" holds .* component-code jobs "perf" /),
    ]);
  });

  it('refuses a runner an expression chooses, on either side, and a component-code job asking only for a runner group', async () => {
    const found = await withExtra(
      [
        '  deploy:\n    runs-on: ${{ vars.DEPLOY_RUNNER }}\n    steps:\n      - env:\n          T: ${{ secrets.DEPLOY_TOKEN }}\n        run: echo deploy\n',
        '  fuzz:\n    runs-on:\n      group: fuzzers\n    steps:\n      - run: cargo fuzz run x\n',
      ].join(''),
    );
    expect(found).toContain('job "deploy" holds secrets.DEPLOY_TOKEN (line 13) and an expression chooses its runner, so whether a component-code job can be given the same runner cannot be checked; name its labels');
    expect(found.filter((m) => m.includes('"fuzz" (extra.yml) asks only for the runner group "fuzzers"')).map((m) => m.split(' ')[1])).toEqual(['"pin"', '"publish"', '"pin"', '"publish"', '"accept"', '"report"']);
  });

  it('leaves GitHub-hosted token jobs alone: each gets a fresh machine', async () => {
    const found = await withExtra('  notes:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n      - env:\n          T: ${{ secrets.ORCHESTRATOR_TOKEN }}\n        run: echo notes\n');
    expect(found).toEqual([]);
  });
});

describe('publish-allow-dirty', () => {
  it('flags cargo publish or package from a dirty tree, at the flag', async () => {
    const { found, copy } = await broken('ci.yml', '      - run: npm test\n', '      - run: npm test\n      - run: cargo package --no-verify && cargo publish --allow-dirty --no-verify\n');
    expect(found).toEqual([
      {
        file: 'ci.yml',
        line: await copy.lineOf('ci.yml', '--allow-dirty'),
        column: await copy.columnOf('ci.yml', '--allow-dirty'),
        rule: 'publish-allow-dirty',
        message: 'job "test" runs "cargo publish --allow-dirty": what it uploads is the working tree, which no commit holds',
        fix: 'commit the version bump first (and push it with the tag), then publish without --allow-dirty from that commit',
      },
    ]);
  });
});

it('every rule has a test above', () => {
  const tested = ['publish-allow-dirty', 'pinned-actions', 'self-hosted-on-pull-request', 'needs-declared', 'reusable-workflow-in-step', 'expression-in-run', 'permissions', 'cron', 'known-invocations', 'swallowed-failure', 'piped-failure', 'self-hosted-labels', 'secrets-on-pull-request-target', 'declared-inputs', 'secret-beside-build', 'runner-class-labels', 'token-runner-apart'];
  expect(rules.map((r) => r.id).sort()).toEqual([...tested].sort());
});
