import { OrchestratorError, isCommitSha, printable, refProblem } from '@bllvm/manifest';

/**
 * Events arrive from other repositories' workflows (repository_dispatch) or people
 * (workflow_dispatch). Everything in them is untrusted: they are parsed once into an action,
 * against a whitelist of types and keys, before anything reads a pin or runs git.
 */
export type EventAction =
  | { kind: 'move-pin'; component: string; sha: string; ref?: string; force: boolean; source: string }
  | { kind: 'refresh-all'; source: string }
  | { kind: 'none'; source: string; reason: string };

/** A rejected event: exit code 1, the message naming what in the payload is wrong. */
export class EventError extends OrchestratorError {
  override name = 'EventError';
}

export const MAX_EVENT_BYTES = 256 * 1024;
const MAX_PAYLOAD_BYTES = 4 * 1024;
const MAX_STRING = 256;

/** The component repos already send these (REFERENCE §4); kept so nothing has to change on their side. */
export const LEGACY_TYPES: Record<string, string> = {
  build_consensus: 'bllvm-consensus',
  build_protocol: 'bllvm-protocol',
  build_node: 'bllvm-node',
  build_sdk: 'bllvm-sdk',
  build_governance: 'governance-app',
};
export const DISPATCH_TYPES = ['component-updated', ...Object.keys(LEGACY_TYPES), 'build_all'] as const;
export const EVENT_NAMES = ['repository_dispatch', 'workflow_dispatch', 'schedule'] as const;

type Json = Record<string, unknown>;

export function parseEvent(eventName: string | undefined, raw: unknown, components: readonly string[]): EventAction {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EventError('event payload is not a JSON object');
  const event = raw as Json;
  const name = eventName ?? inferName(event);
  switch (name) {
    case 'repository_dispatch':
      return parseDispatch(event, components);
    case 'workflow_dispatch':
      return parseWorkflowDispatch(event, components);
    case 'schedule':
      return { kind: 'refresh-all', source: `schedule ${typeof event.schedule === 'string' ? printable(event.schedule, 40) : ''}`.trim() };
    default:
      throw new EventError(`unsupported event "${printable(String(name), 60)}" (expected ${EVENT_NAMES.join(', ')})`);
  }
}

function inferName(event: Json): string {
  if ('client_payload' in event || ('action' in event && !('inputs' in event))) return 'repository_dispatch';
  if ('inputs' in event) return 'workflow_dispatch';
  if ('schedule' in event) return 'schedule';
  throw new EventError('cannot tell the event type: pass --event-name or set GITHUB_EVENT_NAME');
}

function parseDispatch(event: Json, components: readonly string[]): EventAction {
  const type = event.action;
  if (typeof type !== 'string') throw new EventError('repository_dispatch: "action" (the event_type) is missing or not a string');
  if (!(DISPATCH_TYPES as readonly string[]).includes(type))
    throw new EventError(`repository_dispatch: unknown event type "${printable(type, 60)}" (expected one of ${DISPATCH_TYPES.join(', ')})`);
  const payload = event.client_payload ?? {};
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new EventError('repository_dispatch: client_payload is not an object');
  if (JSON.stringify(payload).length > MAX_PAYLOAD_BYTES) throw new EventError(`repository_dispatch: client_payload is larger than ${MAX_PAYLOAD_BYTES} bytes`);
  const p = payload as Json;

  if (type === 'build_all') {
    onlyKeys(p, ['nightly', 'version'], type);
    optionalType(p, 'nightly', 'boolean', type);
    optionalString(p, 'version', type);
    return { kind: 'refresh-all', source: `repository_dispatch ${type}` };
  }
  if (type === 'component-updated') {
    onlyKeys(p, ['component', 'sha', 'ref', 'force'], type);
    const component = knownComponent(requiredString(p, 'component', type), components, type);
    optionalType(p, 'force', 'boolean', type);
    return moveTo(component, p.sha, p.ref, p.force === true, `repository_dispatch ${type}`);
  }
  // Legacy build_<x>: the type names the component; triggered_by must agree with it if present.
  onlyKeys(p, ['triggered_by', 'source_ref', 'source_sha', 'version'], type);
  const component = LEGACY_TYPES[type]!;
  const by = optionalString(p, 'triggered_by', type);
  if (by !== undefined && by !== component && by !== `BTCDecoded/${component}`)
    throw new EventError(`${type}: triggered_by "${printable(by, 60)}" does not match the component ${component}`);
  optionalString(p, 'version', type);
  return moveTo(component, p.source_sha, p.source_ref, false, `repository_dispatch ${type}`, 'source_sha', 'source_ref');
}

function parseWorkflowDispatch(event: Json, components: readonly string[]): EventAction {
  const inputs = event.inputs ?? {};
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) throw new EventError('workflow_dispatch: inputs is not an object');
  const i = inputs as Json;
  onlyKeys(i, ['component', 'sha', 'ref', 'force'], 'workflow_dispatch');
  // Inputs arrive as strings (booleans as "true"/"false" from the UI).
  const force = i.force === true || i.force === 'true';
  if (i.force !== undefined && typeof i.force !== 'boolean' && i.force !== 'true' && i.force !== 'false')
    throw new EventError('workflow_dispatch: force must be true or false');
  const component = optionalString(i, 'component', 'workflow_dispatch');
  if (!component) {
    if (i.sha) throw new EventError('workflow_dispatch: sha given without component');
    return { kind: 'refresh-all', source: 'workflow_dispatch' };
  }
  knownComponent(component, components, 'workflow_dispatch');
  return moveTo(component, i.sha, i.ref || undefined, force, 'workflow_dispatch');
}

function moveTo(component: string, sha: unknown, ref: unknown, force: boolean, source: string, shaKey = 'sha', refKey = 'ref'): EventAction {
  if (typeof sha !== 'string') throw new EventError(`${source}: ${shaKey} is missing or not a string`);
  if (!isCommitSha(sha)) throw new EventError(`${source}: ${shaKey} "${printable(sha, 60)}" is not a 40-character lowercase hex commit`);
  let branch: string | undefined;
  if (ref !== undefined && ref !== null) {
    if (typeof ref !== 'string') throw new EventError(`${source}: ${refKey} is not a string`);
    branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
    const problem = refProblem(branch);
    if (problem) throw new EventError(`${source}: ${refKey} ${problem}`);
  }
  return { kind: 'move-pin', component, sha, ref: branch, force, source };
}

function onlyKeys(obj: Json, allowed: string[], where: string) {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length) throw new EventError(`${where}: unexpected key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${printable(k, 40)}"`).join(', ')} (allowed: ${allowed.join(', ')})`);
}

function requiredString(obj: Json, key: string, where: string): string {
  const v = optionalString(obj, key, where);
  if (v === undefined || v === '') throw new EventError(`${where}: ${key} is missing`);
  return v;
}

function optionalString(obj: Json, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new EventError(`${where}: ${key} must be a string`);
  if (v.length > MAX_STRING) throw new EventError(`${where}: ${key} is longer than ${MAX_STRING} characters`);
  return v;
}

function optionalType(obj: Json, key: string, type: string, where: string) {
  if (obj[key] !== undefined && typeof obj[key] !== type) throw new EventError(`${where}: ${key} must be a ${type}`);
}

function knownComponent(name: string, components: readonly string[], where: string): string {
  if (!components.includes(name)) throw new EventError(`${where}: unknown component "${printable(name, 60)}" (known: ${components.join(', ')})`);
  return name;
}
