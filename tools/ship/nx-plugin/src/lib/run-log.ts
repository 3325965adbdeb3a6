import { appendFile } from 'node:fs/promises';

/**
 * When the orchestrator runs Nx it sets BLLVM_RUN_LOG; every executor that really runs appends
 * one line. A task with no line was a cache hit or was skipped — that is how summaries tell
 * "built" from "cached" without parsing Nx's output formats.
 */
export interface RunLogEntry {
  project: string;
  target: string;
  success: boolean;
  durationMs: number;
  /** Wall time spent in cargo/docker children, to measure orchestration overhead. */
  toolMs: number;
  message?: string;
}

export async function appendRunLog(entry: RunLogEntry, env = process.env): Promise<void> {
  const file = env.BLLVM_RUN_LOG;
  if (!file) return;
  // One short line per append: O_APPEND writes below PIPE_BUF do not interleave across processes.
  await appendFile(file, JSON.stringify(entry) + '\n');
}
