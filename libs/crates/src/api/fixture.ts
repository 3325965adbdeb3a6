import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The rustdoc JSON fixtures (fixtures/regenerate.sh made them with the real toolchain), parsed. */
export type FixtureName =
  | 'base' | 'unchanged' | 'removed-fn' | 'renamed-fn' | 'changed-signature' | 'added' | 'removed-variant' | 'new-variant' | 'removed-field' | 'new-required-trait-item';

export const fixturePath = (name: FixtureName): string => join(import.meta.dirname, 'fixtures', `${name}.json`);

export function fixture(name: FixtureName): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Record<string, unknown>;
}
