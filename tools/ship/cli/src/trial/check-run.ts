/**
 * The trial's check run on the pull request's head commit, in the component's repository: opened
 * (in progress) once the head is checked, completed with the rendered outcome by the job that
 * holds the token, which never runs the trial's code.
 */
import type { OrchestratorConfig } from '@bllvm/contract';
import { type CheckRunRef, createCheckRun, createGitHubClient, updateCheckRun } from '@bllvm/github';
import { type TrialOutcome, renderTrialReport } from '@bllvm/orchestrator';

export const CHECK_RUN_NAME = 'bllvm trial';

const client = (config: OrchestratorConfig, log: (line: string) => void) => createGitHubClient({ baseUrl: config.github.apiUrl, token: config.github.token, log });
const split = (repository: string) => repository.split('/') as [string, string];

export async function openTrialCheckRun(config: OrchestratorConfig, log: (line: string) => void, t: { repository: string; sha: string; component: string; pullRequest: number }): Promise<CheckRunRef> {
  const [owner, repo] = split(t.repository);
  return createCheckRun(client(config, log), {
    owner, repo, headSha: t.sha, name: CHECK_RUN_NAME, status: 'in_progress',
    output: { title: `Trial of ${t.component} at ${t.sha.slice(0, 12)}`, summary: `Building ${t.component} at the head of #${t.pullRequest} in place of its pin, and everything downstream at its pins.` },
  });
}

/** The outcome, or (no outcome: the trial was cancelled or crashed) why there is none. */
export async function completeTrialCheckRun(
  config: OrchestratorConfig, log: (line: string) => void, repository: string, id: number, result: { outcome: TrialOutcome } | { missing: 'cancelled' | 'failure'; why: string },
): Promise<void> {
  const [owner, repo] = split(repository);
  if ('outcome' in result) {
    const report = renderTrialReport(result.outcome);
    await updateCheckRun(client(config, log), { owner, repo, id, status: 'completed', conclusion: result.outcome.conclusion, output: report });
    return;
  }
  await updateCheckRun(client(config, log), { owner, repo, id, status: 'completed', conclusion: result.missing, output: { title: `Trial ${result.missing === 'cancelled' ? 'cancelled' : 'did not finish'}`, summary: result.why } });
}
