// Events from other repositories' workflows and from people, read as untrusted JSON: each becomes
// one typed action (or an EventError) before anything reads a pin or runs git. What the action
// does to the pins is the orchestrator's (libs/orchestrator applyEvent).
export { type EventAction } from './event-action';
export { EventError } from './fields';
export { EVENT_NAMES, MAX_EVENT_BYTES, parseEvent } from './parse-event';
export { dispatchTypesHelp } from './dispatch';
export { CHAIN_TYPES, DISPATCH_TYPES } from './dispatch-types';
export type { Dispatched, EventType, PayloadShape } from './event-type';
