import type { Finding } from '../finding';

/** What SARIF needs to know of a rule: its id and what it protects against. */
export interface RuleDescription {
  id: string;
  why: string;
}

/** The part of SARIF 2.1.0 this writes (a log with one run of one tool). */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; rules: SarifRule[] } };
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: 'error' };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error';
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }[];
  properties: { fix: string };
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * A SARIF 2.1.0 log for GitHub code scanning: every rule in tool.driver.rules with its help, every
 * finding a result at its file, line and column. Code scanning needs a region on every result, so
 * a finding about a whole file points at its first line.
 */
export function formatSarif(findings: readonly Finding[], rules: readonly RuleDescription[]): string {
  const ids = [...rules.map((r) => r.id), ...findings.map((f) => f.rule).filter((id) => !rules.some((r) => r.id === id))];
  const describe = (id: string) => rules.find((r) => r.id === id)?.why ?? id;
  const log: SarifLog = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'workflow-check',
            rules: [...new Set(ids)].map((id) => ({
              id,
              name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: describe(id) },
              fullDescription: { text: describe(id) },
              help: {
                text: `${describe(id)}. Each result says what to change.`,
                markdown: `**${id}**: ${describe(id)}. Each result says what to change.`,
              },
              defaultConfiguration: { level: 'error' as const },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [],
      },
    ],
  };
  const run = log.runs[0]!;
  const index = new Map(run.tool.driver.rules.map((r, i) => [r.id, i]));
  for (const f of findings) {
    run.results.push({
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: 'error',
      message: { text: `${f.message}\nFix: ${f.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.file.split(/[\\/]/).map(encodeURIComponent).join('/') },
            region: { startLine: Math.max(1, f.line), ...(f.line > 0 && f.column > 0 ? { startColumn: f.column } : {}) },
          },
        },
      ],
      properties: { fix: f.fix },
    });
  }
  return `${JSON.stringify(log, null, 2)}\n`;
}
