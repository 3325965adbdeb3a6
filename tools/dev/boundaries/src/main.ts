/**
 * `npm run check:boundaries [-- --root DIR]`: the module-boundary check over a workspace (this one
 * by default; also run by `npm test`). Exit 0 when every import respects the layering, 1 with one
 * line per violation otherwise, 2 on a usage error.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkBoundaries, formatFinding } from './check';
import { readWorkspace } from './workspace';

let root: string;
try {
  const { values } = parseArgs({ options: { root: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log('usage: npm run check:boundaries [-- --root DIR]\n\nChecks every import of libs/, tools/ and test/ against the layering by project tag (tools/dev/boundaries/src/layers.ts).');
    process.exit(0);
  }
  root = resolve(values.root ?? resolve(import.meta.dirname, '../../../..'));
} catch (e) {
  console.error(`check:boundaries: ${(e as Error).message}`);
  process.exit(2);
}
const findings = checkBoundaries(readWorkspace(root));
for (const f of findings) console.error(formatFinding(f));
console.log(findings.length ? `${findings.length} boundary violation(s)` : 'module boundaries hold');
process.exitCode = findings.length ? 1 : 0;
