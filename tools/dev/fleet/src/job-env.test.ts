import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './expressions';
import { jobEnv, jobOutputs, stepEnv } from './job-env';
import { parseOutputs } from './runner';
import { readWorkflow } from './workflow-jobs';

// A job that checks something and says whether it is a fork's, and a job that gets a secret only when it is not.
const WORKFLOW = `
name: t
env:
  NX_DAEMON: 'false'
  BASE: base
jobs:
  check:
    runs-on: ubuntu-latest
    outputs:
      fork: \${{ steps.check.outputs.fork }}
      number: \${{ steps.check.outputs.pull-request }}
    steps:
      - id: check
        env:
          GITHUB_TOKEN: \${{ secrets.APP_TOKEN }}
        run: echo
  build:
    needs: check
    runs-on: ubuntu-latest
    env:
      JOB: job-\${{ github.event_name }}
    steps:
      - id: build
        env:
          NUMBER: \${{ needs.check.outputs.number }}
          FROM_JOB: \${{ env.JOB }}/step
          CACHE_TOKEN: \${{ needs.check.outputs.fork == 'false' && secrets.CACHE_READ || '' }}
        run: echo
`;

const wf = readWorkflow(WORKFLOW);
const job = (id: string) => wf.jobs.find((j) => j.id === id)!;
const base = (over: Partial<Omit<ExpressionContext, 'env'>> = {}): Omit<ExpressionContext, 'env'> => ({
  secrets: { APP_TOKEN: 'app-secret', CACHE_READ: 'read-secret' },
  vars: {},
  inputs: {},
  github: { event_name: 'repository_dispatch' },
  runner: { temp: '/tmp/r' },
  needs: {},
  steps: {},
  status: 'success',
  ...over,
});

/** The build step's env when the check step printed `printed` to $GITHUB_OUTPUT. */
function buildEnv(printed: string): Record<string, string> {
  const outputs = parseOutputs(printed);
  const check = jobOutputs(wf.env, job('check'), base({ steps: { check: { outcome: 'success', conclusion: 'success', outputs } } }));
  const build = job('build');
  return stepEnv(wf.env, build, build.steps[0]!, base({ needs: { check: { result: 'success', outputs: check } } }));
}

describe('what a workflow gives a job', () => {
  it('a step gets the workflow env, the job env and its own (which may read env), each evaluated; hyphenated output names are names', () => {
    expect(buildEnv('fork=false\npull-request=12\n')).toEqual({ NX_DAEMON: 'false', BASE: 'base', JOB: 'job-repository_dispatch', NUMBER: '12', FROM_JOB: 'job-repository_dispatch/step', CACHE_TOKEN: 'read-secret' });
    expect(jobEnv(wf.env, job('build'), base())).toEqual({ NX_DAEMON: 'false', BASE: 'base', JOB: 'job-repository_dispatch' });
  });

  it('a secret reaches only the steps whose env maps it, and a conditional one only when the condition holds', () => {
    const check = job('check');
    expect(stepEnv(wf.env, check, check.steps[0]!, base()).GITHUB_TOKEN).toBe('app-secret');
    const fork = buildEnv('fork=true\npull-request=12\n');
    expect(fork.CACHE_TOKEN).toBe('');
    expect(Object.values(fork)).not.toContain('app-secret');
    expect(Object.values(fork)).not.toContain('read-secret');
    // No output at all (the check step printed nothing) is not "false": no secret either.
    expect(buildEnv('').CACHE_TOKEN).toBe('');
  });
});
