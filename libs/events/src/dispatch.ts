import { type Component, printable } from '@bllvm/manifest';
import { DISPATCH_TYPES } from './dispatch-types';
import type { EventAction } from './event-action';
import { EventError, type Json, onlyKeys } from './fields';

const MAX_PAYLOAD_BYTES = 4 * 1024;

export function dispatchTypesHelp(): string {
  return DISPATCH_TYPES.map((t) => t.name).join(', ');
}

/**
 * A repository_dispatch event (the event file GitHub writes carries event_type as `action`): its type
 * is looked up in DISPATCH_TYPES, its payload bounded and held to the type's keys, then handled.
 */
export function parseDispatch(event: Json, components: readonly Component[]): EventAction {
  const type = event.action;
  if (typeof type !== 'string') throw new EventError('repository_dispatch: "action" (the event_type) is missing or not a string');
  const payload = event.client_payload ?? {};
  const { entry, match } = typeOf(type, components);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new EventError('repository_dispatch: client_payload is not an object');
  if (JSON.stringify(payload).length > MAX_PAYLOAD_BYTES) throw new EventError(`repository_dispatch: client_payload is larger than ${MAX_PAYLOAD_BYTES} bytes`);
  const p = payload as Json;
  const shape = entry.shape(p);
  onlyKeys(p, shape.keys, type, shape.alternatively);
  return entry.handle(p, { type, source: `repository_dispatch ${type}`, match, ...(shape.name ? { shape: shape.name } : {}), components });
}

function typeOf(type: string, components: readonly Component[]) {
  for (const entry of DISPATCH_TYPES) {
    const match = entry.match(type, components);
    if (match !== undefined) return { entry, match };
  }
  throw new EventError(`repository_dispatch: unknown event type "${printable(type, 60)}" (expected one of ${dispatchTypesHelp()})`);
}
