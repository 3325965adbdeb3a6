import { EventError, parseEvent } from '@bllvm/events';
import type { Component } from '@bllvm/manifest';
import { CommandError } from '../command';
import { readEventFile } from '../event-file';
import { type PullRequestSource, checkPullRequestHead } from './pull-request';

export interface AcceptedTrial {
  component: string;
  repository: string;
  pullRequest: number;
  sha: string;
  /** The head is in another repository than the base: its trial gets no secret at all. */
  fork: boolean;
}

/**
 * A pull-request event, read as untrusted JSON (libs/events), and its head checked against the
 * pull request through the API: a payload whose sha is not the head is refused, nothing built.
 */
export async function acceptTrialEvent(file: string, eventName: string | undefined, components: readonly Component[], pulls: PullRequestSource): Promise<AcceptedTrial> {
  const raw = await readEventFile(file);
  let action;
  try {
    action = parseEvent(eventName, raw, components);
  } catch (e) {
    if (e instanceof EventError) throw new CommandError(`event rejected: ${e.message}`);
    throw e;
  }
  if (action.kind !== 'trial') throw new CommandError(`event rejected: ${action.source} is not a pull-request event; a trial starts from one`);
  const facts = await pulls(action.repository, action.pullRequest);
  const check = checkPullRequestHead({ repository: action.repository, number: action.pullRequest, sha: action.sha }, facts);
  if (!check.ok) throw new CommandError(`event rejected: ${check.reason}`);
  return { component: action.component, repository: action.repository, pullRequest: action.pullRequest, sha: action.sha, fork: check.fork };
}
