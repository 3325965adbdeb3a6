import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ManifestError } from '@bllvm/manifest';
import { parseTaskRecord } from './parse-task-record';

/**
 * What an executor that really ran leaves of its task, beyond what Nx's task results say
 * (status, exit code, start and end): the one-line outcome the summary shows, and the time spent
 * in cargo/docker children (the bench's measure of orchestration overhead).
 *
 * Its place follows from the task alone, so the CLI's task runner finds it without handing the
 * executor anything; a record older than the task's start is from an earlier run and is ignored.
 */
export interface TaskRecord {
  /** `project:target` or `project:target:configuration`, as Nx names the task. */
  task: string;
  success: boolean;
  /** Wall time spent in cargo/docker children. */
  toolMs: number;
  message?: string;
  /** The publish task only: what became of the release, also when the task failed part-way. */
  publish?: PublishOutcome;
  /** When the executor started and finished (ms since the epoch): its own time, without Nx's process start-up. */
  startedAt: number;
  endedAt: number;
}

/**
 * What a publish did to its release, recorded whether it succeeded or not, so the summary says
 * what is true: a release can be public while a later step (the deploy signal) failed.
 */
export interface PublishOutcome {
  tag: string;
  /** The release is public: made so by this run, or found so. False in a dry run or before that step. */
  published: boolean;
  /** The public release's page, when published. */
  url?: string;
  /** The deploy signal: sent, failed (after publishing), or none (not configured, no image, not reached, a dry run). */
  deploy: 'sent' | 'failed' | 'none';
}

export interface TaskId {
  project: string;
  target: string;
  configuration?: string;
}

export function taskName(t: TaskId): string {
  return [t.project, t.target, ...(t.configuration ? [t.configuration] : [])].join(':');
}

/** Where every task's record lies: `<project>/<target>[.<configuration>].json` under it. */
export function taskRecordsDir(workspaceRoot: string): string {
  return join(workspaceRoot, '.nx', 'task-records');
}

export function taskRecordPath(workspaceRoot: string, t: TaskId): string {
  return join(taskRecordsDir(workspaceRoot), t.project, `${t.target}${t.configuration ? `.${t.configuration}` : ''}.json`);
}

export async function writeTaskRecord(workspaceRoot: string, t: TaskId, r: Omit<TaskRecord, 'task' | 'endedAt'>): Promise<void> {
  const file = taskRecordPath(workspaceRoot, t);
  const record: TaskRecord = { task: taskName(t), ...r, endedAt: Date.now() };
  await mkdir(dirname(file), { recursive: true });
  // Written whole and renamed, so a reader never sees half a record.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(record) + '\n');
  await rename(tmp, file);
}

/**
 * The task's record if it was written at or after `since` (the task's start), else undefined.
 * A record that is there but malformed throws (naming the file and each wrong field): an executor
 * wrote it wrongly, and a summary built on it would say something untrue.
 */
export async function readTaskRecord(workspaceRoot: string, t: TaskId, since: number): Promise<TaskRecord | undefined> {
  const file = taskRecordPath(workspaceRoot, t);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(file, `is not JSON (${(e as Error).message})`);
  }
  const record = parseTaskRecord(json, file);
  if (record.task !== taskName(t) || record.endedAt < since) return undefined;
  return record;
}
