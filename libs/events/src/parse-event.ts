import { type Component, printable } from '@bllvm/manifest';
import { parseDispatch } from './dispatch';
import type { EventAction } from './event-action';
import { EventError, type Json, commitAndBranch, namedComponent, onlyKeys, optionalString, warnings } from './fields';

export const MAX_EVENT_BYTES = 256 * 1024;

/** Each GitHub event handle-event accepts, and how its JSON becomes an action (repository_dispatch: dispatch-types.ts). */
const EVENTS = {
  repository_dispatch: parseDispatch,
  workflow_dispatch: parseWorkflowDispatch,
  schedule: (event: Json): EventAction => ({ kind: 'refresh-all', source: `schedule ${typeof event.schedule === 'string' ? printable(event.schedule, 40) : ''}`.trim() }),
} as const satisfies Record<string, (event: Json, components: readonly Component[]) => EventAction>;

export const EVENT_NAMES = Object.keys(EVENTS) as (keyof typeof EVENTS)[];

/** `components`: the stack, in graph order (readStack), whose names the event may use. */
export function parseEvent(eventName: string | undefined, raw: unknown, components: readonly Component[]): EventAction {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EventError('event payload is not a JSON object');
  const event = raw as Json;
  const name = eventName ?? inferName(event);
  if (!Object.hasOwn(EVENTS, name)) throw new EventError(`unsupported event "${printable(String(name), 60)}" (expected ${EVENT_NAMES.join(', ')})`);
  return EVENTS[name as keyof typeof EVENTS](event, components);
}

function inferName(event: Json): string {
  if ('client_payload' in event || ('action' in event && !('inputs' in event))) return 'repository_dispatch';
  if ('inputs' in event) return 'workflow_dispatch';
  if ('schedule' in event) return 'schedule';
  throw new EventError('cannot tell the event type: pass --event-name or set GITHUB_EVENT_NAME');
}

function parseWorkflowDispatch(event: Json, components: readonly Component[]): EventAction {
  const inputs = event.inputs ?? {};
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) throw new EventError('workflow_dispatch: inputs is not an object');
  const i = inputs as Json;
  onlyKeys(i, ['component', 'sha', 'ref', 'force'], 'workflow_dispatch');
  // Inputs arrive as strings (booleans as "true"/"false" from the UI).
  const force = i.force === true || i.force === 'true';
  if (i.force !== undefined && typeof i.force !== 'boolean' && i.force !== 'true' && i.force !== 'false')
    throw new EventError('workflow_dispatch: force must be true or false');
  const name = optionalString(i, 'component', 'workflow_dispatch');
  if (!name) {
    if (i.sha) throw new EventError('workflow_dispatch: sha given without component');
    return { kind: 'refresh-all', source: 'workflow_dispatch' };
  }
  const { component, warning } = namedComponent(components, name, 'workflow_dispatch');
  const source = 'workflow_dispatch';
  return { kind: 'move-pin', component: component.id, ...commitAndBranch(i.sha, i.ref || undefined, source), force, source, ...warnings(warning) };
}
