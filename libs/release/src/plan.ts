import { requireTag } from './tags';

export interface PlanComponent {
  component: string;
  commit: string;
  version?: string;
  /** Where the commit came from, e.g. "changed since v0.1.0" or "cached"; free text, control characters replaced. */
  note?: string;
}

export interface PlanInput {
  tag: string;
  components: readonly PlanComponent[];
  files: readonly string[];
  previousTag?: string;
}

/** What a release would do, as plain text for --dry-run. Pure, so a dry run and a real run agree on it. */
export function planRelease(input: PlanInput): string {
  const parsed = requireTag(input.tag);
  const kind = parsed.kind === 'nightly' ? 'nightly prerelease' : 'release';
  const width = Math.max(0, ...input.components.map((c) => c.component.length));
  const lines = [
    `Would publish ${input.tag} (${kind})${input.previousTag ? `, changes since ${terminalSafe(input.previousTag)}` : ''}`,
    `Components (${input.components.length}):`,
    ...input.components.map((c) =>
      [`  ${c.component.padEnd(width)}`, c.commit.slice(0, 7), c.version ?? '', c.note ? `(${c.note})` : '']
        .map(terminalSafe)
        .filter((part) => part !== '')
        .join('  '),
    ),
    `Assets (${input.files.length}):`,
    ...input.files.map((f) => `  ${terminalSafe(f)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Versions and notes come from other repositories; a control character must not reach a terminal. */
function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
