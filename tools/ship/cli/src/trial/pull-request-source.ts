/** The pull request's facts from GitHub's API (libs/github getPullRequest), with the run's token if it has one. */
import type { OrchestratorConfig } from '@bllvm/contract';
import { GitHubApiError, createGitHubClient, getPullRequest } from '@bllvm/github';
import { CommandError } from '../command';
import type { PullRequestSource } from './pull-request';

export function githubPullRequests(config: OrchestratorConfig, log: (line: string) => void): PullRequestSource {
  const client = createGitHubClient({ baseUrl: config.github.apiUrl, token: config.github.token, log });
  return async (repository, number) => {
    const [owner, repo] = repository.split('/') as [string, string];
    try {
      return await getPullRequest(client, { owner, repo, number });
    } catch (e) {
      if (e instanceof GitHubApiError) throw new CommandError(`event rejected: cannot read pull request ${repository}#${number}: ${e.message}`);
      throw e;
    }
  };
}
