import type { Component } from '@bllvm/manifest';
import type { EventAction } from './event-action';
import type { Json } from './fields';

/** The keys a payload may hold; `alternatively`, a type's other shape, only named in the refusal. */
export interface PayloadShape {
  /** Which shape the payload is in, for a type that has more than one (passed on to `handle`). */
  name?: string;
  keys: readonly string[];
  alternatively?: readonly string[];
}

/** One repository_dispatch event_type as it arrived, once its type is known. */
export interface Dispatched<M> {
  /** The event_type, as the sender spelled it (it prefixes every refusal). */
  type: string;
  /** `repository_dispatch <type>`: where the action says it came from. */
  source: string;
  /** What the type itself names (a component, for build_<x>), as `match` found it. */
  match: M;
  /** The payload shape `keys` chose. */
  shape?: string;
  components: readonly Component[];
}

/**
 * One repository_dispatch event_type: how it is recognised, the payload it accepts and the action it
 * asks for. The dispatcher checks the payload is an object within its size bound and holds only the
 * shape's keys; `handle` then reads each field through the bounded readers of fields.ts.
 */
export interface EventType<M = unknown> {
  /** The type as --help and the unknown-type refusal list it. */
  name: string;
  /** Whether an event_type is this type, and what the type names; undefined when it is not. */
  match: (type: string, components: readonly Component[]) => M | undefined;
  /** The keys allowed in this payload. */
  shape: (payload: Json) => PayloadShape;
  /** The typed action: pure, and the only place this type's fields are read. */
  handle: (payload: Json, event: Dispatched<M>) => EventAction;
}

/** Types the table of one entry per type, whatever each entry's match carries. */
export function eventType<M>(t: EventType<M>): EventType<unknown> {
  return t as unknown as EventType<unknown>;
}

/** A type with one payload shape. */
export function only(keys: readonly string[]): () => PayloadShape {
  return () => ({ keys });
}
