/**
 * A pull request's head, checked, pure: the payload that asked for a trial is untrusted, so the
 * commit it names must be the head GitHub reports for that pull request, in that repository,
 * before anything is built. A fork's pull request is told apart so no secret reaches its trial.
 */

/** What GitHub says of the pull request (libs/github getPullRequest). */
export interface PullRequestFacts {
  number: number;
  headSha: string;
  /** owner/name; null when a fork's repository has since been deleted (a fork's, then). */
  headRepository: string | null;
  baseRepository: string;
  state: string;
}

/** What the payload claims. */
export interface ClaimedHead {
  repository: string;
  number: number;
  sha: string;
}

export type HeadCheck = { ok: true; fork: boolean } | { ok: false; reason: string };

export function checkPullRequestHead(claimed: ClaimedHead, pr: PullRequestFacts): HeadCheck {
  const where = `${claimed.repository}#${claimed.number}`;
  if (pr.number !== claimed.number) return { ok: false, reason: `GitHub answered for pull request #${pr.number}, not ${where}` };
  if (pr.baseRepository.toLowerCase() !== claimed.repository.toLowerCase())
    return { ok: false, reason: `pull request ${where} belongs to ${pr.baseRepository}, not ${claimed.repository}` };
  if (pr.state !== 'open') return { ok: false, reason: `pull request ${where} is ${pr.state}: only an open pull request is tried` };
  if (pr.headSha !== claimed.sha)
    return { ok: false, reason: `the event's head ${claimed.sha.slice(0, 12)} is not the head of pull request ${where} (${pr.headSha.slice(0, 12)}): refused, nothing built` };
  return { ok: true, fork: pr.headRepository === null || pr.headRepository.toLowerCase() !== pr.baseRepository.toLowerCase() };
}

/** Where the pull request's facts come from: GitHub's API in production (pull-request-source.ts). */
export type PullRequestSource = (repository: string, number: number) => Promise<PullRequestFacts>;
