import type { Rule } from '../rule';
import { TESTING_ENTRY } from './testing-entry';

export const publicEntryOnly: Rule = {
  id: 'public-entry-only',
  why: "a project's index is its contract; a deep import pins another project's file layout",
  check({ ws, imp }) {
    const m = /^(@bllvm\/[^/]+)(\/.+)?$/.exec(imp.specifier);
    if (!m) return undefined;
    // Its test entry is an entry too (testing-entry-from-tests-only says who may use it).
    if (m[2] === TESTING_ENTRY && ws.aliases.has(imp.specifier)) return undefined;
    if (m[2]) return `"${imp.specifier}" reaches inside ${m[1]}; import "${m[1]}" (its public entry) instead`;
    if (!ws.aliases.has(m[1]!)) return `"${imp.specifier}" is not a project alias (tsconfig.base.json paths has: ${[...ws.aliases.keys()].sort().join(', ')})`;
    return undefined;
  },
};
