import type { Rule } from '../rule';

export const publicEntryOnly: Rule = {
  id: 'public-entry-only',
  why: "a project's index is its contract; a deep import pins another project's file layout",
  check({ ws, imp }) {
    const m = /^(@bllvm\/[^/]+)(\/.+)?$/.exec(imp.specifier);
    if (!m) return undefined;
    if (m[2]) return `"${imp.specifier}" reaches inside ${m[1]}; import "${m[1]}" (its public entry) instead`;
    if (!ws.aliases.has(m[1]!)) return `"${imp.specifier}" is not a project alias (tsconfig.base.json paths has: ${[...ws.aliases.keys()].sort().join(', ')})`;
    return undefined;
  },
};
