import { describe, expect, it } from 'vitest';
import { trustOfExpression } from './trust';

const ctx = { typedInputs: new Set(['force']), literalMatrix: new Set(['node']) };
const kind = (body: string) => trustOfExpression(body, ctx).kind;

describe('trustOfExpression', () => {
  it('treats a dispatch payload field as attacker-written, whatever it is called', () => {
    expect(kind('github.event.client_payload.sha')).toBe('attacker');
    expect(kind("github.event['client_payload']['sha']")).toBe('attacker');
    expect(kind('github.event.pull_request.head.sha')).toBe('harmless');
  });

  it('takes the least trusted reference of a whole expression, and ignores string literals', () => {
    expect(kind("format('{0}-{1}', github.run_id, github.head_ref)")).toBe('attacker');
    expect(kind("format('{0}', github.run_id)")).toBe('harmless');
    expect(kind("'github.head_ref is only text here'")).toBe('harmless');
    expect(kind("steps.x.outputs.y || secrets.TOKEN")).toBe('secret');
  });

  it('tells typed inputs and literal matrix values from free text', () => {
    expect(kind('inputs.force')).toBe('harmless');
    expect(kind('github.event.inputs.force')).toBe('harmless');
    expect(kind('inputs.sha')).toBe('attacker');
    expect(kind('matrix.node')).toBe('harmless');
    expect(kind('matrix.target')).toBe('unknown');
  });
});
