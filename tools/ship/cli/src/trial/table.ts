/** The trial's report as the terminal shows it, pure: a header, one row per task, each failure's first error. */
import type { TrialOutcome } from '@bllvm/orchestrator';

export function renderTrialTable(o: TrialOutcome): string[] {
  const head = ['component', 'target', 'result', 'first error'];
  const rows = o.tasks.map((t) => [t.project, t.target, t.status, t.firstError ?? '']);
  const widths = head.slice(0, 3).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd();
  const count = (s: string) => o.tasks.filter((t) => t.status === s).length;
  return [
    `trial of ${o.component} (${o.repository}) at ${o.headSha.slice(0, 12)} (${o.ref}${o.pullRequest !== undefined ? `, pull request #${o.pullRequest}` : ''}): ${o.conclusion}`,
    `builds ${o.graph.nodes.join(', ')}${o.graph.nodes.length > 1 ? ` (${o.component} at the head, the rest at their pins)` : ''}`,
    fmt(head),
    ...rows.map(fmt),
    `${count('built')} built, ${count('cache-hit')} cache-hit, ${count('failed')} failed, ${count('skipped')} skipped in ${(o.wallMs / 1000).toFixed(1)}s`,
    ...apiLines(o),
  ];
}

/** The compatibility gate's verdict, when it ran: the classification, then up to ten of the changes. */
function apiLines(o: TrialOutcome): string[] {
  if (!o.api) return [];
  const shown = o.api.items.slice(0, 10).map((i) => `  ${i}`);
  const more = o.api.items.length > shown.length ? [`  … and ${o.api.items.length - shown.length} more`] : [];
  return [`public API of ${o.component}: ${o.api.classification}${o.api.items.length ? ` (${o.api.items.length} change${o.api.items.length === 1 ? '' : 's'})` : ''}`, ...shown, ...more];
}
