import { ManifestError, throwIfAny } from '@bllvm/manifest';
import type { PublishOutcome, TaskRecord } from './task-record';

/**
 * A task record comes back from disk after another process wrote it (an executor, possibly of an
 * older bundle, possibly killed or edited); a wrong field would otherwise surface far away (a
 * summary saying "published" from a string "false", a duration of NaN). So it is checked field by
 * field when read, as the records in dist/ are, and every problem names the file and the field.
 * Keys we do not read are ignored: they cannot mislead.
 */
export function parseTaskRecord(json: unknown, file: string): TaskRecord {
  const errors: ManifestError[] = [];
  const problem = (field: string, what: string): undefined => {
    errors.push(new ManifestError(file, what, { field }));
    return undefined;
  };
  const string = (v: unknown, field: string) => (typeof v === 'string' && v.length > 0 ? v : problem(field, typeof v === 'string' ? 'must not be empty' : `must be a string, found ${kindOf(v)}`));
  const boolean = (v: unknown, field: string) => (typeof v === 'boolean' ? v : problem(field, `must be true or false, found ${kindOf(v)}`));
  const millis = (v: unknown, field: string) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : problem(field, `${shown(v)} is not a number of milliseconds`));

  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problem('record', `must be an object, found ${kindOf(json)}`);
    throwIfAny(errors);
  }
  const o = json as Record<string, unknown>;
  const task = string(o.task, 'task');
  const success = boolean(o.success, 'success');
  const toolMs = millis(o.toolMs, 'toolMs');
  const message = o.message === undefined ? undefined : typeof o.message === 'string' ? o.message : problem('message', `must be a string, found ${kindOf(o.message)}`);
  const publish = o.publish === undefined ? undefined : publishOutcome(o.publish, problem, string, boolean);
  const startedAt = millis(o.startedAt, 'startedAt');
  const endedAt = millis(o.endedAt, 'endedAt');
  throwIfAny(errors);
  return {
    task: task!,
    success: success!,
    toolMs: toolMs!,
    ...(message !== undefined ? { message } : {}),
    ...(publish !== undefined ? { publish } : {}),
    startedAt: startedAt!,
    endedAt: endedAt!,
  };
}

const DEPLOY: readonly PublishOutcome['deploy'][] = ['sent', 'failed', 'none'];

function publishOutcome(
  value: unknown,
  problem: (field: string, what: string) => undefined,
  string: (v: unknown, field: string) => string | undefined,
  boolean: (v: unknown, field: string) => boolean | undefined,
): PublishOutcome | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return problem('publish', `must be an object, found ${kindOf(value)}`);
  const p = value as Record<string, unknown>;
  const tag = string(p.tag, 'publish.tag');
  const published = boolean(p.published, 'publish.published');
  const url = p.url === undefined ? undefined : string(p.url, 'publish.url');
  const deploy = DEPLOY.includes(p.deploy as PublishOutcome['deploy']) ? (p.deploy as PublishOutcome['deploy']) : problem('publish.deploy', `${shown(p.deploy)} is not one of ${DEPLOY.map((d) => `"${d}"`).join(', ')}`);
  if (tag === undefined || published === undefined || deploy === undefined || (p.url !== undefined && url === undefined)) return undefined;
  return { tag, published, ...(url !== undefined ? { url } : {}), deploy };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function shown(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 80)) : typeof v === 'number' ? String(v) : kindOf(v);
}
