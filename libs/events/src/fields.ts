import { type Component, NameError, OrchestratorError, isCommitSha, printable, refProblem, resolveComponent } from '@bllvm/manifest';

/** A rejected event: exit code 1, the message naming what in the payload is wrong. */
export class EventError extends OrchestratorError {
  override name = 'EventError';
}

export type Json = Record<string, unknown>;

export const MAX_STRING = 256;

/** Reading one payload's fields: every check throws an EventError that names the event and the key. */
export function onlyKeys(obj: Json, allowed: readonly string[], where: string, alternatively?: readonly string[]) {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length)
    throw new EventError(
      `${where}: unexpected key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${printable(k, 40)}"`).join(', ')} ` +
        `(allowed: ${allowed.join(', ')}${alternatively ? `; or: ${alternatively.join(', ')}` : ''})`,
    );
}

export function requiredString(obj: Json, key: string, where: string): string {
  const v = optionalString(obj, key, where);
  if (v === undefined || v === '') throw new EventError(`${where}: ${key} is missing`);
  return v;
}

export function optionalString(obj: Json, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new EventError(`${where}: ${key} must be a string`);
  if (v.length > MAX_STRING) throw new EventError(`${where}: ${key} is longer than ${MAX_STRING} characters`);
  return v;
}

export function optionalType(obj: Json, key: string, type: string, where: string) {
  if (obj[key] !== undefined && typeof obj[key] !== type) throw new EventError(`${where}: ${key} must be a ${type}`);
}

/** The component a payload names (any of its names, see names.ts), or an EventError naming the field. */
export function namedComponent(components: readonly Component[], name: string, where: string): { component: Component; warning?: string } {
  try {
    return resolveComponent(components, name);
  } catch (e) {
    if (e instanceof NameError) throw new EventError(`${where}: ${e.message}`);
    throw e;
  }
}

/** A field that names the component again (triggered_by, repo): it must name the same one. */
export function sameComponent(components: readonly Component[], expected: Component, name: string, key: string, where: string): string | undefined {
  let found;
  try {
    found = resolveComponent(components, name);
  } catch (e) {
    if (!(e instanceof NameError)) throw e;
  }
  if (found?.component.id !== expected.id)
    throw new EventError(`${where}: ${key} "${printable(name, 60)}" does not match the component ${expected.id} (${expected.repository})`);
  return found.warning;
}

/** A commit to pin: 40 lowercase hex. A ref, when given, is the branch it must be on (refs/heads/ stripped). */
export function commitAndBranch(sha: unknown, ref: unknown, where: string, shaKey = 'sha', refKey = 'ref'): { sha: string; ref?: string } {
  if (typeof sha !== 'string') throw new EventError(`${where}: ${shaKey} is missing or not a string`);
  if (!isCommitSha(sha)) throw new EventError(`${where}: ${shaKey} "${printable(sha, 60)}" is not a 40-character lowercase hex commit`);
  if (ref === undefined || ref === null) return { sha };
  if (typeof ref !== 'string') throw new EventError(`${where}: ${refKey} is not a string`);
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
  const problem = refProblem(branch);
  if (problem) throw new EventError(`${where}: ${refKey} ${problem}`);
  return { sha, ref: branch };
}

/**
 * A version a sender reports (develop-chain's `version`): a semantic version, optionally with
 * a leading v, a pre-release and build metadata, as crates.io versions and release tags are.
 */
const VERSION = /^v?(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(-[0-9A-Za-z.-]{1,40})?(\+[0-9A-Za-z.-]{1,40})?$/;

export function optionalVersion(obj: Json, key: string, where: string): string | undefined {
  const v = optionalString(obj, key, where);
  if (v === undefined) return undefined;
  if (!VERSION.test(v)) throw new EventError(`${where}: ${key} "${printable(v, 60)}" is not a version (X.Y.Z, optionally with v, -pre-release and +build)`);
  return v;
}

/** `{ warnings }` when there is any, nothing otherwise: most events name components by their ids. */
export function warnings(...list: (string | undefined)[]): { warnings?: string[] } {
  const found = [...new Set(list.filter((w): w is string => w !== undefined))];
  return found.length ? { warnings: found } : {};
}
