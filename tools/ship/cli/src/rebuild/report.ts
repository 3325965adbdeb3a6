import type { RebuildSignature } from './sign-rebuilt';
import type { AssetComparison, RebuildComparison } from './compare';

/** rebuild-report.json. */
export interface RebuildReport {
  schema: 1;
  tag: string;
  repository: string;
  orchestratorCommit: string;
  verdict: 'all-equal' | 'differs';
  /** The fresh folder the rebuild ran in (kept for inspection). */
  workDir: string;
  timings: { downloadMs: number; buildMs: number; compareMs: number; totalMs: number };
  /** The Nx tasks of the rebuild by how they ended: a fresh workspace has no cache, so none is 'cached'. */
  tasks: Record<string, string[]>;
  assets: AssetComparison[];
  /** With --builder and --builder-key: the builder's signature of the rebuilt SHA256SUMS. */
  signature?: RebuildSignature;
}

/** The few lines `rebuild` ends with. Pure. */
export function verdictLines(tag: string, comparison: RebuildComparison): string[] {
  const counted = comparison.assets.filter((a) => a.counted);
  const aside = comparison.assets.filter((a) => !a.counted);
  const asideText = aside.length ? `; not counted: ${aside.map((a) => `${a.name} (${a.status})`).join(', ')}` : '';
  if (comparison.allEqual) return [`rebuild of ${tag}: all equal (${counted.length} assets byte-identical${asideText})`];
  const bad = counted.filter((a) => a.status !== 'equal');
  return [
    `rebuild of ${tag}: ${bad.length} of ${counted.length} assets differ${asideText}`,
    ...bad.map((a) => `  ${a.status.padEnd(7)} ${a.name}${a.firstDifference ? `: ${a.firstDifference}` : ''}`),
  ];
}
