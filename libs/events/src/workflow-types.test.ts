import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readStack } from '@bllvm/manifest';
import { parseEvent } from './parse-event';

const WORKSPACE = resolve(import.meta.dirname, '../../..');

describe('the repository_dispatch types orchestrate.yml listens for', () => {
  it('are each a type handle-event knows, against this workspace\'s own pins', async () => {
    const workflow = parse(await readFile(join(WORKSPACE, '.github/workflows/orchestrate.yml'), 'utf8')) as { on: { repository_dispatch: { types: string[] } } };
    const types = workflow.on.repository_dispatch.types;
    expect(types).toEqual(expect.arrayContaining(['component-updated', 'develop-chain', 'build-chain', 'upstream-changed', 'build_governance', 'build_all']));
    const { components } = await readStack(WORKSPACE);
    for (const type of types) {
      // An empty payload is refused for what it lacks, never for its type.
      let message = '';
      try {
        parseEvent('repository_dispatch', { action: type, client_payload: {} }, components);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, type).not.toMatch(/unknown event type/);
    }
    let unknown = '';
    try {
      parseEvent('repository_dispatch', { action: 'build_everything', client_payload: {} }, components);
    } catch (e) {
      unknown = (e as Error).message;
    }
    expect(unknown).toMatch(/unknown event type "build_everything"/);
  });
});
