import { describe, expect, it } from 'vitest';
import { apiDisagreement, renderTrialReport, TRIAL_REPORT_MAX_CHARS } from './trial-report';
import type { TrialOutcome, TrialTask } from './trial-outcome';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function outcome(tasks: TrialTask[], extra: Partial<TrialOutcome> = {}): TrialOutcome {
  return {
    component: 'bllvm-consensus',
    repository: 'BTCDecoded/bllvm-consensus',
    ref: 'pull/12/head',
    headSha: SHA,
    pullRequest: 12,
    conclusion: tasks.some((t) => t.status === 'failed') ? 'failure' : 'success',
    tasks,
    graph: {
      nodes: ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm-sdk'],
      edges: [
        ['bllvm-consensus', 'bllvm-protocol'],
        ['bllvm-protocol', 'bllvm-node'],
        ['bllvm-protocol', 'bllvm-sdk'],
      ],
    },
    wallMs: 83_000,
    ...extra,
  };
}

const passing: TrialTask[] = [
  { project: 'bllvm-consensus', target: 'build', status: 'built' },
  { project: 'bllvm-consensus', target: 'test', status: 'built' },
  { project: 'bllvm-protocol', target: 'build', status: 'cache-hit' },
  { project: 'bllvm-node', target: 'test', status: 'built' },
  { project: 'bllvm-sdk', target: 'test', status: 'built' },
];

const twoFailed: TrialTask[] = [
  { project: 'bllvm-consensus', target: 'build', status: 'built' },
  { project: 'bllvm-protocol', target: 'build', status: 'built' },
  { project: 'bllvm-node', target: 'build', status: 'failed', firstError: 'error[E0308]: mismatched types' },
  { project: 'bllvm-node', target: 'test', status: 'skipped' },
  { project: 'bllvm-sdk', target: 'build', status: 'failed', firstError: 'error[E0599]: no method named `verify` found for struct `Block`' },
];

/** A Markdown text's lines split by CommonMark's rule for backtick fences: outside, inside (fence lines in neither). */
function fences(markdown: string): { outside: string[]; inside: string[] } {
  const outside: string[] = [];
  const inside: string[] = [];
  let open: string | null = null;
  for (const line of markdown.split('\n')) {
    const fence = /^ {0,3}(`{3,})\s*([^`]*)$/.exec(line);
    if (open === null && fence) open = fence[1]!;
    else if (open !== null && fence && fence[1]!.length >= open.length && fence[2] === '') open = null;
    else (open === null ? outside : inside).push(line);
  }
  expect(open, 'a fence is left open').toBeNull();
  return { outside, inside };
}

const outsideFences = (markdown: string) => fences(markdown).outside;
const insideFences = (markdown: string) => fences(markdown).inside;

/** Table rows of a summary, split on unescaped pipes. */
function tableRows(summary: string): string[][] {
  return outsideFences(summary)
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Project'))
    .map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));
}

describe('renderTrialReport', () => {
  it('reports a passing trial: title, every task, no errors, the graph with the tried component', () => {
    const report = renderTrialReport(outcome(passing));
    expect(report.title).toBe('Trial of bllvm-consensus: success, 5 tasks passed (4 built, 1 cached, 0 skipped)');
    expect(report.summary).toContain('### Trial: ✅ success');
    expect(report.summary).toContain('at `0123456789ab`');
    expect(report.summary).toContain('pull request #12');
    expect(report.summary).toContain('in 1 min 23 s');
    expect(tableRows(report.summary)).toEqual([
      ['bllvm-consensus', 'build', '✅ built'],
      ['bllvm-consensus', 'test', '✅ built'],
      ['bllvm-protocol', 'build', '✅ cached'],
      ['bllvm-node', 'test', '✅ built'],
      ['bllvm-sdk', 'test', '✅ built'],
    ]);
    expect(report.summary).not.toContain('First errors');
    expect(report.summary).not.toContain('API compatibility');
    expect(report.text).toMatch(/^```mermaid\ngraph LR\n/);
    expect(report.text).toContain('  n0["bllvm-consensus #40;this pull request#41;"]:::tried');
    expect(report.text).toContain('  n1["bllvm-protocol"]:::passed');
    expect(report.text).toContain('  n0 --> n1');
    expect(report.text).not.toContain(':::failed');
    expect(report.text).not.toContain('The picture shows');
  });

  it('reports two failed downstreams: counts, results, each first error in a fence, failed nodes styled', () => {
    const report = renderTrialReport(outcome(twoFailed));
    expect(report.title).toBe('Trial of bllvm-consensus: failure, 2 of 5 tasks failed (2 built, 0 cached, 1 skipped)');
    expect(report.summary).toContain('### Trial: ❌ failure');
    expect(tableRows(report.summary).map((r) => r[2])).toEqual(['✅ built', '✅ built', '❌ failed', '⏭️ skipped', '❌ failed']);
    const errors = report.summary.slice(report.summary.indexOf('#### First errors'));
    expect(errors).toContain('**bllvm-node:build**\n\n```\nerror[E0308]: mismatched types\n```');
    // A backtick inside the error makes the fence longer than any run in it.
    expect(errors).toContain('**bllvm-sdk:build**\n\n```\nerror[E0599]: no method named `verify` found for struct `Block`\n```');
    expect(report.text).toContain('["bllvm-node"]:::failed');
    expect(report.text).toContain('["bllvm-sdk"]:::failed');
    expect(report.text).toContain('["bllvm-consensus #40;this pull request#41;"]:::tried');
    // The node whose only task was skipped is not failed.
    expect(report.text).toContain('  classDef failed ');
  });

  it('marks the tried component failed when it fails itself, and says when no error line was captured', () => {
    const report = renderTrialReport(outcome([{ project: 'bllvm-consensus', target: 'build', status: 'failed' }]));
    expect(report.text).toContain(':::triedFailed');
    expect(report.summary).toContain('**bllvm-consensus:build**: no error line was captured; see the log.');
  });

  it('keeps hostile error lines inside their fence: backticks, </details>, mentions, HTML, bidi and newlines', () => {
    const hostile = '```\n</details><script>alert(1)</script> @everyone @BTCDecoded/maintainers ```` \u202eexe.txt\r\n# heading [x](javascript:1)';
    const report = renderTrialReport(
      outcome([
        { project: 'bllvm-node', target: 'build', status: 'failed', firstError: hostile },
        { project: 'bllvm-sdk', target: 'build', status: 'failed', firstError: '`'.repeat(40) },
      ]),
    );
    const outside = outsideFences(report.summary).join('\n');
    for (const bad of ['</details>', '<script', '@everyone', '@BTCDecoded', 'javascript', '\u202e', '# heading']) expect(outside).not.toContain(bad);
    const inside = insideFences(report.summary);
    // The error stays one readable line, its invisible override shown rather than obeyed.
    expect(inside).toContainEqual(expect.stringContaining('</details><script>alert(1)</script> @everyone'));
    expect(inside.join('\n')).toContain('\\u{202e}exe.txt');
    expect(inside.join('\n')).not.toMatch(/[\r\u202e]/);
    expect(report.summary).toContain(`${'`'.repeat(41)}\n${'`'.repeat(40)}\n${'`'.repeat(41)}`);
  });

  it('escapes hostile names and refs everywhere they appear', () => {
    const evil = 'x|y`z</details>@alice<img src=x onerror=1>';
    const report = renderTrialReport(
      outcome([{ project: evil, target: 'te|st', status: 'failed', firstError: 'e' }], {
        component: `${evil}\n"];click n0 href "javascript:alert(1)"`,
        ref: 'feature/`oops`</details>@bob',
        headSha: 'not-a-sha <b>',
        graph: { nodes: [evil], edges: [[evil, 'down"stream;end']] },
      }),
    );
    const outside = outsideFences(report.summary);
    for (const line of outside) {
      expect(line).not.toMatch(/<(?!!--)/);
      // A mention survives only as a code span, which GitHub never links.
      for (const m of line.matchAll(/@[A-Za-z0-9]/g)) expect(line[m.index - 1]).toBe('`');
    }
    expect(tableRows(report.summary)).toHaveLength(1);
    expect(tableRows(report.summary)[0]).toHaveLength(3);
    expect(report.title).not.toMatch(/[\n\r]/);

    const diagram = report.text.slice(0, report.text.indexOf('\n```\n')).split('\n');
    expect(diagram.slice(0, 2)).toEqual(['```mermaid', 'graph LR']);
    for (const line of diagram.slice(2)) {
      expect(line).toMatch(/^  (n\d+\["[A-Za-z0-9 ._#;-]*"\](:::[A-Za-z]+)?|n\d+ --> n\d+|classDef [a-zA-Z]+ [a-z0-9#:,.\- ]+)$/);
    }
    expect(report.text).not.toMatch(/click|javascript:/);
  });

  it('bounds very long error lines', () => {
    const report = renderTrialReport(outcome([{ project: 'bllvm-node', target: 'build', status: 'failed', firstError: `error: ${'a'.repeat(200_000)}` }]));
    const line = insideFences(report.summary).find((l) => l.startsWith('error: '))!;
    expect(Array.from(line)).toHaveLength(1000);
    expect(line.endsWith('…')).toBe(true);
  });

  it('stays within GitHub limits with 5000 tasks, keeping failures and saying how many rows it left out', () => {
    const tasks: TrialTask[] = Array.from({ length: 5000 }, (_, i) => ({
      project: `bllvm-component-with-a-long-name-${i}`,
      target: i % 2 ? 'test' : 'build',
      status: i % 1000 === 999 ? 'failed' : i % 7 === 0 ? 'cache-hit' : 'built',
      ...(i % 1000 === 999 ? { firstError: `error[E0432]: unresolved import \`crate::m${i}\` ${'x'.repeat(5000)}` } : {}),
    }));
    const nodes = [...new Set(tasks.map((t) => t.project))];
    const edges = nodes.slice(1).map((n, i): [string, string] => [nodes[Math.floor(i / 2)]!, n]);
    const report = renderTrialReport(outcome(tasks, { component: nodes[0]!, graph: { nodes, edges } }));

    expect(report.summary.length).toBeLessThanOrEqual(TRIAL_REPORT_MAX_CHARS);
    expect(report.text.length).toBeLessThanOrEqual(TRIAL_REPORT_MAX_CHARS);
    const cached = tasks.filter((t) => t.status === 'cache-hit').length;
    expect(report.title).toBe(`Trial of ${nodes[0]}: failure, 5 of 5000 tasks failed (${4995 - cached} built, ${cached} cached, 0 skipped)`);
    const rows = tableRows(report.summary);
    const shown = rows.slice(0, -1);
    expect(shown.length).toBeGreaterThan(100);
    expect(shown.filter((r) => r[2] === '❌ failed')).toHaveLength(5);
    expect(rows.at(-1)![0]).toBe(`… and ${5000 - shown.length} more tasks (none failed)`);
    expect(insideFences(report.summary).filter((l) => l.startsWith('error[E0432]'))).toHaveLength(5);
    outsideFences(report.summary); // no fence left open

    const edgeLines = report.text.split('\n').filter((l) => l.includes(' --> '));
    expect(edgeLines.length).toBeLessThanOrEqual(500);
    expect(report.text).toMatch(/The picture shows \d+ of 5000 components/);
    expect(report.text).toContain(':::tried');
    expect(report.text.match(/:::failed/g)).toHaveLength(5);
  });

  it('keeps some table even when the errors alone would fill the summary', () => {
    const tasks: TrialTask[] = Array.from({ length: 300 }, (_, i) => ({ project: `p${i}`, target: 'build', status: 'failed', firstError: `error: ${'y'.repeat(990)}` }));
    const report = renderTrialReport(outcome(tasks));
    expect(report.summary.length).toBeLessThanOrEqual(TRIAL_REPORT_MAX_CHARS);
    expect(tableRows(report.summary).length).toBe(300);
    expect(report.summary).toMatch(/… and the first errors of \d+ more failed tasks; see the log\./);
  });
});

describe('API verdict', () => {
  it('shows the verdict and its items in a fence, without a flag when the builds agree', () => {
    const report = renderTrialReport(outcome(twoFailed, { api: { classification: 'breaking', items: ['removed: fn bllvm_consensus::verify', 'changed: `Block::new`'] } }));
    expect(report.summary).toContain('The compatibility gate classifies the public API change of bllvm-consensus as **breaking**.');
    expect(insideFences(report.summary)).toEqual(expect.arrayContaining(['removed: fn bllvm_consensus::verify', 'changed: `Block::new`']));
    expect(report.summary).not.toContain('Disagreement');
    expect(apiDisagreement(outcome(twoFailed, { api: { classification: 'breaking', items: [] } }))).toBeNull();
    expect(apiDisagreement(outcome(passing, { api: { classification: 'additive', items: [] } }))).toBeNull();
    expect(apiDisagreement(outcome(passing))).toBeNull();
  });

  it('flags breaking when every downstream passed', () => {
    const o = outcome(passing, { api: { classification: 'breaking', items: ['removed: fn x'] } });
    expect(apiDisagreement(o)).toBe('breaking-but-downstream-passed');
    expect(renderTrialReport(o).summary).toContain('> ⚠️ **Disagreement:** the gate says breaking, but every downstream task passed at its pin.');
  });

  it('flags additive or none when a downstream failed', () => {
    for (const classification of ['additive', 'none'] as const) {
      const o = outcome(twoFailed, { api: { classification, items: [] } });
      expect(apiDisagreement(o)).toBe('compatible-but-downstream-failed');
      expect(renderTrialReport(o).summary).toContain(`> ⚠️ **Disagreement:** the gate says ${classification}, but a downstream task failed.`);
    }
  });

  it("does not flag when only the tried component failed, or when there is no downstream to judge by", () => {
    const selfFailed = outcome(
      [
        { project: 'bllvm-consensus', target: 'test', status: 'failed', firstError: 'x' },
        { project: 'bllvm-node', target: 'test', status: 'skipped' },
      ],
      { api: { classification: 'none', items: [] } },
    );
    expect(apiDisagreement(selfFailed)).toBeNull();
    expect(apiDisagreement(outcome([{ project: 'bllvm-consensus', target: 'build', status: 'built' }], { api: { classification: 'breaking', items: [] } }))).toBeNull();
    // A skipped downstream did not pass: breaking is not contradicted.
    expect(apiDisagreement(outcome([{ project: 'bllvm-node', target: 'test', status: 'skipped' }], { api: { classification: 'breaking', items: [] } }))).toBeNull();
  });

  it('bounds the listed items and escapes hostile ones', () => {
    const items = Array.from({ length: 80 }, (_, i) => `removed: fn f${i} \`\`\`\n@carol </details>`);
    const report = renderTrialReport(outcome(passing, { api: { classification: 'breaking', items } }));
    expect(report.summary).toContain('… and 30 more.');
    const outside = outsideFences(report.summary).join('\n');
    expect(outside).not.toContain('@carol');
    expect(outside).not.toContain('</details>');
  });
});
