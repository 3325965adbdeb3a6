import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWorkflows, DEFAULT_WORKFLOW_DIR } from './check';
import type { Finding } from './finding';
import type { WorkspaceFacts } from './workspace-facts';

/** A throwaway copy of the real workflow folder that a test may break. */
export class WorkflowCopy {
  private constructor(readonly dir: string) {}

  static async create(): Promise<WorkflowCopy> {
    const dir = await mkdtemp(join(tmpdir(), 'workflow-check-'));
    await cp(DEFAULT_WORKFLOW_DIR, dir, { recursive: true });
    return new WorkflowCopy(dir);
  }

  /** Replace text in one workflow; throws if `from` is not there, so a test cannot break nothing. */
  async edit(file: string, from: string | RegExp, to: string): Promise<void> {
    const path = join(this.dir, file);
    const before = await readFile(path, 'utf8');
    const after = before.replace(from, to);
    if (after === before) throw new Error(`${file} does not contain ${String(from)}`);
    await writeFile(path, after);
  }

  async write(file: string, text: string): Promise<void> {
    await writeFile(join(this.dir, file), text);
  }

  /** 1-based line of the first line containing `text`. */
  async lineOf(file: string, text: string): Promise<number> {
    const lines = (await readFile(join(this.dir, file), 'utf8')).split('\n');
    const index = lines.findIndex((l) => l.includes(text));
    if (index < 0) throw new Error(`${file} has no line containing ${text}`);
    return index + 1;
  }

  /** 1-based column where `text` starts, on the first line containing it (and `onLineWith`, if given). */
  async columnOf(file: string, text: string, onLineWith = text): Promise<number> {
    const lines = (await readFile(join(this.dir, file), 'utf8')).split('\n');
    const line = lines.find((l) => l.includes(text) && l.includes(onLineWith));
    if (line === undefined) throw new Error(`${file} has no line containing ${text}`);
    return line.indexOf(text) + 1;
  }

  check(facts: WorkspaceFacts): Promise<Finding[]> {
    return checkWorkflows(this.dir, { facts });
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** Findings in `after` that `before` did not have (line numbers may move, so they are not compared). */
export function introduced(before: Finding[], after: Finding[]): Finding[] {
  const key = (f: Finding) => `${f.file}\0${f.rule}\0${f.message}`;
  const seen = new Map<string, number>();
  for (const f of before) seen.set(key(f), (seen.get(key(f)) ?? 0) + 1);
  return after.filter((f) => {
    const n = seen.get(key(f)) ?? 0;
    if (n > 0) seen.set(key(f), n - 1);
    return n === 0;
  });
}
