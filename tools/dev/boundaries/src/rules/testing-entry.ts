import type { Finding, Rule } from '../rule';
import type { Workspace } from '../workspace';

/** The suffix of a project's test entry: `@bllvm/<name>/testing`, beside its public `@bllvm/<name>`. */
export const TESTING_ENTRY = '/testing';

export const testingEntryFromTestsOnly: Rule = {
  id: 'testing-entry-from-tests-only',
  why: "a project's testing entry holds what only its tests need (fixtures, fault hooks, internals laid open); what ships never depends on it",
  check({ imp, isTest }) {
    const m = /^(@bllvm\/[^/]+)\/testing$/.exec(imp.specifier);
    if (!m || isTest) return undefined;
    return `"${imp.specifier}" is test-only; only tests (*.test.ts, test/, testing.ts) may import it: use "${m[1]}" (its public entry), or move this code into a test`;
  },
};

/**
 * How the testing entries are declared (tsconfig.base.json paths): `@bllvm/<name>/testing` is the
 * project's own `testing.ts` (test code, as the layering counts it), and it is listed before
 * `@bllvm/<name>`, because vitest takes its aliases from these paths in order and the first whose
 * name is a prefix of the import wins: listed after, `@bllvm/<name>/testing` would resolve inside
 * `@bllvm/<name>`'s index file.
 */
export function testingAliasFindings(ws: Workspace): Finding[] {
  const findings: Finding[] = [];
  const names = [...ws.aliases.keys()];
  for (const [alias, path] of ws.aliases) {
    const m = /^(@bllvm\/[^/]+)\/testing$/.exec(alias);
    if (!m) continue;
    const entry = ws.aliases.get(m[1]!);
    const problem = (message: string) => findings.push({ rule: testingEntryFromTestsOnly.id, file: 'tsconfig.base.json', line: 1, message });
    if (entry === undefined) problem(`"${alias}" has no public entry "${m[1]}" beside it`);
    else if (path !== `${entry.slice(0, entry.lastIndexOf('/'))}/testing.ts`) problem(`"${alias}" must be ${m[1]}'s own testing.ts, beside its index, not ${path}`);
    if (entry !== undefined && names.indexOf(alias) > names.indexOf(m[1]!)) problem(`"${alias}" must be listed before "${m[1]}" in paths (vitest takes the first alias that is a prefix of the import)`);
  }
  return findings;
}
