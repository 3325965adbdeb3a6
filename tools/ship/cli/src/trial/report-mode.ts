import { readFile } from 'node:fs/promises';
import type { OrchestratorConfig } from '@bllvm/contract';
import type { TrialOutcome } from '@bllvm/orchestrator';
import { CommandError } from '../command';
import { completeTrialCheckRun } from './check-run';
import { OutcomeRecordError, readTrialOutcome } from './outcome-record';

export interface ReportRequest {
  file: string;
  repository: string;
  sha: string;
  checkRun: number;
  /** How the trial job ended (needs.<job>.result): what to say when it left no outcome. */
  jobResult: string;
  config: OrchestratorConfig;
  log: (line: string) => void;
}

/**
 * Completes the check run from the outcome the trial job left. The file is untrusted (its job ran
 * the pull request's code): it is checked field by field, and must be the trial of the head the
 * check run is on; a missing one says how the trial job ended.
 */
export async function reportTrial(req: ReportRequest): Promise<TrialOutcome | undefined> {
  const text = await readFile(req.file, 'utf8').catch(() => '');
  if (!text.trim()) {
    const missing = req.jobResult === 'cancelled' ? 'cancelled' : 'failure';
    await completeTrialCheckRun(req.config, req.log, req.repository, req.checkRun, { missing, why: `The trial job ended (${req.jobResult.slice(0, 40)}) without an outcome${missing === 'cancelled' ? ': a newer push to the pull request replaced it, or it was cancelled' : ''}.` });
    return undefined;
  }
  let outcome: TrialOutcome;
  try {
    outcome = readTrialOutcome(JSON.parse(text), req.file);
  } catch (e) {
    if (e instanceof OutcomeRecordError || e instanceof SyntaxError) throw new CommandError(`the trial outcome is not usable: ${e.message.slice(0, 300)}`);
    throw e;
  }
  if (outcome.headSha !== req.sha || outcome.repository.toLowerCase() !== req.repository.toLowerCase())
    throw new CommandError(`the trial outcome is of ${outcome.repository}@${outcome.headSha.slice(0, 12)}, not of the checked head ${req.repository}@${req.sha.slice(0, 12)}`);
  await completeTrialCheckRun(req.config, req.log, req.repository, req.checkRun, { outcome });
  return outcome;
}
