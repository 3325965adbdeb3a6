/**
 * A trial's outcome as a check run's output (and a workflow's job summary): a title with the
 * conclusion and counts, a summary (every task, the first error of each failed one, the API gate's
 * verdict beside the builds'), and a Mermaid picture of the affected graph.
 *
 * Everything in an outcome but the numbers comes from the pull request or from its build output,
 * so it is untrusted: text is escaped, error lines sit in code fences they cannot close, graph
 * labels are reduced to a safe alphabet. Every field stays within GitHub's 65535-character limit
 * (counted in UTF-16 units, never fewer than GitHub's count), whatever the outcome's size.
 */
import { escapeMarkdownText } from '@bllvm/release';
import type { TrialOutcome, TrialTask } from './trial-outcome';

/** GitHub's limit on a check run's output.summary and output.text. */
export const TRIAL_REPORT_MAX_CHARS = 65535;
/** Mermaid refuses a diagram above 50,000 characters or 500 edges (its defaults, which GitHub keeps). */
const MERMAID_MAX_CHARS = 45_000;
const MERMAID_MAX_EDGES = 500;
const MERMAID_MAX_NODES = 400;
const ERROR_MAX_CHARS = 1_000;
const API_ITEMS_SHOWN = 50;
/** Room kept for a section's "… and N more" line. */
const NOTE_ROOM = 200;

export interface TrialReport {
  title: string;
  summary: string;
  text: string;
}

/** Where the API gate and the downstream builds disagree; the builds are the ground truth. */
export type ApiDisagreement = 'breaking-but-downstream-passed' | 'compatible-but-downstream-failed';

const RESULT: Record<TrialTask['status'], string> = {
  built: '✅ built',
  'cache-hit': '✅ cached',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
};

export function renderTrialReport(outcome: TrialOutcome): TrialReport {
  return { title: renderTitle(outcome), summary: renderSummary(outcome), text: renderGraph(outcome) };
}

/** Null when the gate did not run, agrees with the builds, or there is no downstream to compare with. */
export function apiDisagreement(outcome: TrialOutcome): ApiDisagreement | null {
  if (!outcome.api) return null;
  const downstream = outcome.tasks.filter((t) => t.project !== outcome.component);
  if (downstream.length === 0) return null;
  const failed = downstream.some((t) => t.status === 'failed');
  const passed = downstream.every((t) => t.status === 'built' || t.status === 'cache-hit');
  if (outcome.api.classification === 'breaking' && passed) return 'breaking-but-downstream-passed';
  if (outcome.api.classification !== 'breaking' && failed) return 'compatible-but-downstream-failed';
  return null;
}

// ---- title ----

function counts(tasks: TrialTask[]): Record<TrialTask['status'], number> {
  const n = { built: 0, 'cache-hit': 0, failed: 0, skipped: 0 };
  for (const t of tasks) if (t.status in n) n[t.status]++;
  return n;
}

function renderTitle(outcome: TrialOutcome): string {
  const n = counts(outcome.tasks);
  const verdict = outcome.conclusion === 'success' ? 'success' : 'failure';
  const what = n.failed ? `${n.failed} of ${outcome.tasks.length} tasks failed` : `${outcome.tasks.length} tasks passed`;
  return `Trial of ${plain(outcome.component, 100)}: ${verdict}, ${what} (${n.built} built, ${n['cache-hit']} cached, ${n.skipped} skipped)`;
}

/** Plain text for the title, which GitHub shows as text: no controls, no invisible characters, bounded. */
function plain(raw: string, max: number): string {
  const text = String(raw).replace(INVISIBLE, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

// ---- summary ----

function renderSummary(outcome: TrialOutcome): string {
  const head = renderHead(outcome);
  const api = renderApi(outcome);
  const failed = outcome.tasks.filter((t) => t.status === 'failed');
  const rest = TRIAL_REPORT_MAX_CHARS - head.length - api.length - 2 * NOTE_ROOM;

  const tableFull = renderTable(outcome.tasks, Infinity);
  const errorsFull = renderErrors(failed, Infinity);
  let table = tableFull;
  let errors = errorsFull;
  if (tableFull.length + errorsFull.length > rest) {
    // The errors say why; the table says what. Neither may crowd the other out entirely.
    errors = renderErrors(failed, Math.min(errorsFull.length, Math.max(rest - tableFull.length, Math.floor(rest / 2))));
    table = renderTable(outcome.tasks, rest - errors.length);
  }
  return clamp([head, table, errors, api].filter(Boolean).join('\n\n') + '\n');
}

function renderHead(outcome: TrialOutcome): string {
  const n = counts(outcome.tasks);
  const sha = /^[0-9a-f]{40}$/i.test(outcome.headSha) ? `\`${outcome.headSha.slice(0, 12)}\`` : escapeMarkdownText(outcome.headSha, { maxLength: 64 });
  const pr = Number.isSafeInteger(outcome.pullRequest) && outcome.pullRequest! > 0 ? `, pull request #${outcome.pullRequest}` : '';
  const verdict = outcome.conclusion === 'success' ? '✅ success' : '❌ failure';
  return [
    `### Trial: ${verdict}`,
    '',
    `${escapeMarkdownText(outcome.component, { maxLength: 100 })} from ${escapeMarkdownText(outcome.repository, { maxLength: 140 })} ` +
      `at ${sha} (ref ${escapeMarkdownText(outcome.ref, { maxLength: 200 })}${pr}) in place of its pin; everything downstream at its pins. ` +
      `${n.failed} failed, ${n.built} built, ${n['cache-hit']} cached, ${n.skipped} skipped, in ${duration(outcome.wallMs)}.`,
  ].join('\n');
}

function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown time';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const cell = (text: string) => escapeMarkdownText(text, { maxLength: 100 }) || ' ';
const row = (t: TrialTask) => `| ${cell(t.project)} | ${cell(t.target)} | ${RESULT[t.status] ?? cell(String(t.status))} |`;

/**
 * Every task in Nx's order, or as many as `budget` allows: then failed tasks are kept first (they
 * are what a reader came for) and a last row says how many are left out.
 */
function renderTable(tasks: TrialTask[], budget: number): string {
  const header = '| Project | Target | Result |\n|---|---|---|';
  const rows = tasks.map(row);
  const full = [header, ...rows].join('\n');
  if (full.length <= budget) return full;
  const order = tasks.map((_, i) => i).sort((a, b) => Number(tasks[b]!.status === 'failed') - Number(tasks[a]!.status === 'failed') || a - b);
  const kept = new Set<number>();
  let used = header.length;
  for (const i of order) {
    if (used + rows[i]!.length + 1 > budget - NOTE_ROOM) break;
    kept.add(i);
    used += rows[i]!.length + 1;
  }
  const left = tasks.length - kept.size;
  const leftFailed = tasks.filter((t, i) => t.status === 'failed' && !kept.has(i)).length;
  const note = `| … and ${left} more task${left === 1 ? '' : 's'} (${leftFailed ? `${leftFailed} failed` : 'none failed'}) | | |`;
  return [header, ...rows.filter((_, i) => kept.has(i)), note].join('\n');
}

function renderErrors(failed: TrialTask[], budget: number): string {
  if (failed.length === 0) return '';
  const header = '#### First errors';
  const blocks = failed.map((t) => {
    const label = `**${escapeMarkdownText(t.project, { maxLength: 100 })}:${escapeMarkdownText(t.target, { maxLength: 100 })}**`;
    return t.firstError && t.firstError.trim() ? `${label}\n\n${fenced([t.firstError], ERROR_MAX_CHARS)}` : `${label}: no error line was captured; see the log.`;
  });
  const full = [header, ...blocks].join('\n\n');
  if (full.length <= budget) return full;
  const parts = [header];
  let used = header.length;
  for (const block of blocks) {
    if (used + block.length + 2 > budget - NOTE_ROOM) break;
    parts.push(block);
    used += block.length + 2;
  }
  const left = blocks.length - (parts.length - 1);
  if (left > 0) parts.push(`… and the first errors of ${left} more failed task${left === 1 ? '' : 's'}; see the log.`);
  return parts.join('\n\n');
}

function renderApi(outcome: TrialOutcome): string {
  if (!outcome.api) return '';
  const known = ['breaking', 'additive', 'none'].includes(outcome.api.classification);
  const classification = known ? outcome.api.classification : escapeMarkdownText(String(outcome.api.classification), { maxLength: 40 });
  const items = Array.isArray(outcome.api.items) ? outcome.api.items : [];
  const lines = [`#### API compatibility`, '', `The compatibility gate classifies the public API change of ${escapeMarkdownText(outcome.component, { maxLength: 100 })} as **${classification}**.`];
  if (items.length) {
    lines.push('', fenced(items.slice(0, API_ITEMS_SHOWN), 300));
    if (items.length > API_ITEMS_SHOWN) lines.push(`… and ${items.length - API_ITEMS_SHOWN} more.`);
  }
  const disagreement = apiDisagreement(outcome);
  if (disagreement === 'breaking-but-downstream-passed') {
    lines.push(
      '',
      '> ⚠️ **Disagreement:** the gate says breaking, but every downstream task passed at its pin. The change may break ' +
        'users outside this stack, or the gate over-reports; for this stack the builds are the ground truth.',
    );
  } else if (disagreement === 'compatible-but-downstream-failed') {
    lines.push(
      '',
      `> ⚠️ **Disagreement:** the gate says ${classification}, but a downstream task failed. The break may be one rustdoc ` +
        'does not show (behaviour, features, macros), or the failure has another cause; the builds are the ground truth.',
    );
  }
  return lines.join('\n');
}

// ---- fences ----

// C0/C1 controls and line/paragraph separators would end a line inside a fence.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// Bidi overrides and zero-width characters make text read differently than it is.
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Lines as a fenced code block, which GitHub renders literally (no HTML, links or mentions). The
 * fence is longer than any run of backticks inside, so no content can close it; invisible
 * characters are shown as escapes, controls as spaces, and each line is bounded.
 */
function fenced(lines: string[], maxChars: number): string {
  const body = lines.map((line) => {
    const visible = String(line)
      .replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
      .replace(CONTROL, ' ');
    const chars = Array.from(visible);
    return chars.length <= maxChars ? visible : `${chars.slice(0, maxChars - 1).join('')}…`;
  });
  const longest = Math.max(0, ...body.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${body.join('\n')}\n${fence}`;
}

/** Last guard: the sections are budgeted, so this never cuts a well-formed report. */
function clamp(text: string): string {
  if (text.length <= TRIAL_REPORT_MAX_CHARS) return text;
  const note = '\n\n… (cut at GitHub\u2019s limit)\n';
  return text.slice(0, TRIAL_REPORT_MAX_CHARS - note.length) + note;
}

// ---- graph ----

type NodeState = 'tried-failed' | 'tried' | 'failed' | 'skipped' | 'passed' | 'none';

function nodeStates(outcome: TrialOutcome): Map<string, NodeState> {
  const byProject = new Map<string, TrialTask[]>();
  for (const t of outcome.tasks) {
    const list = byProject.get(t.project);
    if (list) list.push(t);
    else byProject.set(t.project, [t]);
  }
  const states = new Map<string, NodeState>();
  const names = [...outcome.graph.nodes, ...outcome.graph.edges.flat()];
  for (const name of names) {
    if (states.has(name)) continue;
    const tasks = byProject.get(name) ?? [];
    const failed = tasks.some((t) => t.status === 'failed');
    if (name === outcome.component) states.set(name, failed ? 'tried-failed' : 'tried');
    else if (failed) states.set(name, 'failed');
    else if (tasks.length && tasks.every((t) => t.status === 'skipped')) states.set(name, 'skipped');
    else states.set(name, tasks.length ? 'passed' : 'none');
  }
  return states;
}

const PRIORITY: Record<NodeState, number> = { 'tried-failed': 0, tried: 0, failed: 1, skipped: 2, passed: 3, none: 4 };

/** A label Mermaid shows as text: anything outside a small safe alphabet becomes an entity code. */
function mermaidLabel(name: string): string {
  const chars = Array.from(String(name));
  const shown = chars.length <= 80 ? chars : [...chars.slice(0, 79), '…'];
  return shown.map((c) => (/^[A-Za-z0-9 ._-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
}

/**
 * The affected graph, upstream → downstream. Node ids are positional (`n0`, `n1`, …), never the
 * names, so a name cannot inject Mermaid syntax. A graph too big for Mermaid keeps the tried
 * component and the failures first and says what it left out.
 */
function renderGraph(outcome: TrialOutcome): string {
  const states = nodeStates(outcome);
  const names = [...states.keys()];
  const ranked = names.map((name, i) => ({ name, i })).sort((a, b) => PRIORITY[states.get(a.name)!] - PRIORITY[states.get(b.name)!] || a.i - b.i);

  const ids = new Map<string, string>();
  const nodeLines: string[] = [];
  let size = 0;
  for (const { name } of ranked) {
    if (ids.size >= MERMAID_MAX_NODES) break;
    const id = `n${ids.size}`;
    const state = states.get(name)!;
    const suffix = state === 'tried' || state === 'tried-failed' ? ' #40;this pull request#41;' : '';
    const line = `  ${id}["${mermaidLabel(name)}${suffix}"]${state === 'none' ? '' : `:::${CLASS[state]}`}`;
    if (size + line.length > MERMAID_MAX_CHARS / 2) break;
    ids.set(name, id);
    nodeLines.push(line);
    size += line.length + 1;
  }
  const seen = new Set<string>();
  const edgeLines: string[] = [];
  let edgesInGraph = 0;
  for (const [up, down] of outcome.graph.edges) {
    const key = `${up}\u0000${down}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edgesInGraph++;
    const from = ids.get(up);
    const to = ids.get(down);
    if (!from || !to || edgeLines.length >= MERMAID_MAX_EDGES) continue;
    const line = `  ${from} --> ${to}`;
    if (size + line.length > MERMAID_MAX_CHARS) continue;
    edgeLines.push(line);
    size += line.length + 1;
  }

  const diagram = [
    '```mermaid',
    'graph LR',
    ...nodeLines,
    ...edgeLines,
    '  classDef failed fill:#ffd7d5,stroke:#cf222e,color:#82071e',
    '  classDef skipped fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3',
    '  classDef passed fill:#dafbe1,stroke:#1a7f37,color:#044f1e',
    '  classDef tried fill:#ddf4ff,stroke:#0969da,color:#0a3069,stroke-width:4px',
    '  classDef triedFailed fill:#ffd7d5,stroke:#0969da,color:#82071e,stroke-width:4px',
    '```',
  ].join('\n');
  const legend = 'Blue border: the component built at the pull request\u2019s head. Red: failed. Green: passed. Grey: skipped.';
  const cut =
    ids.size < names.length || edgeLines.length < edgesInGraph
      ? `\n\nThe picture shows ${ids.size} of ${names.length} components (the tried one and failures first) and ${edgeLines.length} of ${edgesInGraph} edges: Mermaid cannot draw more.`
      : '';
  return clamp(`${diagram}\n\n${legend}${cut}\n`);
}

const CLASS: Record<Exclude<NodeState, 'none'>, string> = {
  'tried-failed': 'triedFailed',
  tried: 'tried',
  failed: 'failed',
  skipped: 'skipped',
  passed: 'passed',
};
