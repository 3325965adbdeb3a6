import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrchestratorConfig } from '@bllvm/contract';
import type { ComponentGraph } from '@bllvm/manifest';
import {
  type PinSet, type PinnedRevision, type Verdict, buildsBound, isolateMoves, movedComponents, nextProbe, pinHistory, pinMovingSteps, resolveRevision,
} from '@bllvm/orchestrator';
import { type CommitInfo, commitInfo, commitRange, ensureMirror } from '@bllvm/sources';
import { CommandError } from '../command';
import { readPinAt } from './pin-at';
import { type Judgement, judgeProbe } from './judge';
import { beforeCommand, commandVerdict } from './run-verdict';
import type { BisectReport, Probe } from './report';
import { BisectStack, type ProbeRun } from './scratch-stack';

export interface BisectRequest {
  workspaceRoot: string;
  graph: ComponentGraph;
  good: string;
  bad: string;
  target: string;
  /** The component whose target is bisected; default: the first (in graph order) whose target fails at the bad end. */
  component?: string;
  config: OrchestratorConfig;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Keep the scratch workspace (its path is logged). */
  keep?: boolean;
  /**
   * The operator's command (--run): where the target passes, it runs in the task's build sandbox
   * and its exit judges the state. Needs `component`.
   */
  command?: string;
}

/** A failure of the request itself (the ends are not what they were said to be): exit 2. */
export class BisectEndsError extends CommandError {
  override name = 'BisectEndsError';
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/**
 * Bisects a failure across repositories: first over this repository's commits that moved pins,
 * then inside the repository whose pin the first bad step moved. Never moves the real pins, never
 * publishes: every state is built in a scratch clone, through the sandboxed targets, with the cache.
 */
export async function runBisect(req: BisectRequest): Promise<BisectReport> {
  const started = Date.now();
  const root = req.workspaceRoot;
  const good = await resolveRevision(root, req.good);
  const bad = await resolveRevision(root, req.bad);
  const { good: goodPins, revisions } = await pinHistory(root, req.graph, good, bad);
  const steps = pinMovingSteps(goodPins, revisions, req.graph.components);
  if (!steps.length) throw new BisectEndsError(`no commit between ${req.good} and ${req.bad} moved a pin: the stack they build is the same`);
  if (req.component !== undefined && !req.graph.components.includes(req.component)) throw new BisectEndsError(`unknown component "${req.component.slice(0, 80)}"`);
  if (req.command !== undefined && req.component === undefined) throw new BisectEndsError('a bisection judged by a command needs the component whose sandbox it runs in');

  const scratch = await mkdtemp(join(tmpdir(), 'bllvm-bisect-'));
  const probes: Probe[] = [];
  try {
    const stack = await BisectStack.open({ root, dir: scratch, commit: bad, graph: req.graph, config: req.config, env: req.env, log: req.log });
    let lastRun: ProbeRun | undefined;
    let failureOutput = '';
    const probe = async (phase: Probe['phase'], label: string, commit: string, pins: PinSet, project: string): Promise<Judgement> => {
      req.log(`bisect: building ${label} (${project}:${req.target})`);
      await stack.moveTo(commit, pins);
      lastRun = await stack.run(project, req.target);
      let j = judgeProbe(lastRun.tasks, project, req.target);
      let output = lastRun.output;
      let wallMs = lastRun.wallMs;
      let commandExit: number | undefined;
      if (req.command !== undefined) {
        const pre = beforeCommand(j, `${project}:${req.target}`);
        if ('skip' in pre) j = pre.skip;
        else {
          const c = await stack.runCommand(project, req.target, req.command);
          wallMs += c.ms;
          const v = commandVerdict(c, c.limits);
          if ('stop' in v) throw new CommandError(`bisect stopped at ${label}: ${v.stop}${c.output.trim() ? `; its output ends:\n${tail(c.output)}` : ''}`);
          j = { verdict: v.verdict, reason: v.reason };
          commandExit = v.exit;
          output = c.output;
        }
      }
      probes.push({ phase, state: label, verdict: j.verdict, reason: j.reason, built: count(lastRun, 'built'), cached: count(lastRun, 'cached'), wallMs, ...(commandExit === undefined ? {} : { commandExit }) });
      req.log(`bisect: ${label}: ${j.verdict} (${j.reason})`);
      if (j.verdict === 'bad') failureOutput = output;
      return j;
    };

    // The ends. The bad end names the task when none was given: the first failing one in graph order.
    let component = req.component;
    if (component === undefined) {
      req.log(`bisect: building the bad end ${short(bad)} to find the failing ${req.target} task`);
      await stack.moveTo(bad);
      // Only the target, on every component: finding the failing task needs no image or extra build.
      lastRun = await stack.run(req.graph.components[0]!, req.target, [...req.graph.components], [req.target]);
      const failing = req.graph.components.find((c) => judgeProbe(lastRun!.tasks, c, req.target).verdict === 'bad');
      probes.push({ phase: 'ends', state: `bad end ${short(bad)}`, verdict: failing ? 'bad' : 'good', reason: failing ? `${failing}:${req.target} failed` : `every ${req.target} passed`, built: count(lastRun, 'built'), cached: count(lastRun, 'cached'), wallMs: lastRun.wallMs });
      if (!failing) throw new BisectEndsError(`the bad end ${req.bad} (${short(bad)}) is not bad: no component's ${req.target} fails there`);
      component = failing;
      failureOutput = lastRun.output;
    } else {
      const j = await probe('ends', `bad end ${short(bad)}`, bad, {}, component);
      if (j.verdict !== 'bad') throw new BisectEndsError(`the bad end ${req.bad} (${short(bad)}) is not bad: ${j.reason}`);
    }
    const task = `${component}:${req.target}`;
    const g = await probe('ends', `good end ${short(good)}`, good, {}, component);
    if (g.verdict === 'bad') throw new BisectEndsError(`the good end ${req.good} (${short(good)}) is not good: ${g.reason}`);
    if (g.verdict === 'skip') throw new BisectEndsError(`the good end ${req.good} (${short(good)}) cannot be judged: ${g.reason}`);

    const report = (extra: Partial<BisectReport>): BisectReport => ({
      task, ...(req.command === undefined ? {} : { command: req.command }), good, bad, steps: steps.length, skipped: probes.filter((p) => p.verdict === 'skip'), failure: tail(failureOutput),
      probes, builds: probes.length, cacheHits: probes.reduce((n, p) => n + p.cached, 0), wallMs: Date.now() - started,
      bound: buildsBound(steps.length, 0), ...extra,
    });

    // Phase 1: this repository's pin-moving commits; the last is the bad end (commits after it move no pin).
    const stepVerdicts = new Map<number, Verdict>([[steps.length - 1, 'bad']]);
    let firstBad: number;
    let lastGood: number;
    for (;;) {
      const next = nextProbe(steps.length, stepVerdicts);
      if (next.kind === 'try') {
        const s = steps[next.index]!;
        stepVerdicts.set(next.index, (await probe('pins', `step ${next.index + 1}/${steps.length} ${short(s.commit)} "${s.subject}"`, s.commit, {}, component)).verdict);
        continue;
      }
      if (next.kind === 'found') ({ firstBad, lastGood } = next);
      else if (next.kind === 'ambiguous')
        return report({ unresolved: `only skipped steps separate good from bad: the first bad step is one of ${next.candidates.map((i) => short(steps[i]!.commit)).join(', ')}` });
      else return report({ unresolved: `the failure comes and goes: step ${short(steps[next.bad]!.commit)} is bad but the later ${short(steps[next.good]!.commit)} is good` });
      break;
    }
    const bStep = steps[firstBad]!;
    const gPins = lastGood < 0 ? goodPins : steps[lastGood]!.pins;
    const stepFacts = { firstBadStep: pick(bStep), lastGoodStep: lastGood < 0 ? { commit: good, subject: '(the good end)' } : pick(steps[lastGood]!) };

    // Which of the step's moves: the last good pins with one of them moved, upstream first.
    const moved = movedComponents(gPins, bStep.pins, req.graph.components);
    const revertOthers = (keep: string): PinSet => Object.fromEntries(moved.filter((c) => c !== keep).map((c) => [c, gPins[c]]));
    let culprit: string | undefined = moved.length === 1 ? moved[0] : undefined;
    if (culprit === undefined) {
      for (const { component: c } of isolateMoves(gPins, bStep.pins, req.graph.components)) {
        if ((await probe('split', `${short(bStep.commit)} with only ${c} moved`, bStep.commit, revertOthers(c), component)).verdict === 'bad') {
          culprit = c;
          break;
        }
      }
    }
    const bound = buildsBound(steps.length, 0, moved.length);
    if (culprit === undefined || gPins[culprit] === undefined || bStep.pins[culprit] === undefined)
      return report({ ...stepFacts, bound, unresolved: `step ${short(bStep.commit)} moved ${moved.join(', ')}; no one of these moves fails alone` });

    // Phase 2: the culprit repository's commits between its two pins.
    const from = gPins[culprit]!;
    const to = bStep.pins[culprit]!;
    const before = await readPinAt(root, req.graph, steps[lastGood]?.commit ?? good, culprit);
    const after = await readPinAt(root, req.graph, bStep.commit, culprit);
    if (before.repository !== after.repository)
      return report({ ...stepFacts, bound, unresolved: `${culprit}'s pin moved from ${before.repository} to ${after.repository}; the commits are not one history to walk` });
    const mirror = await ensureMirror(req.config, after.repository, { commit: to, component: culprit });
    const commits = await commitRange(mirror, from, to);
    if (!commits.length) return report({ ...stepFacts, bound, unresolved: `${short(to)} of ${after.repository} does not descend from ${short(from)}` });
    const full = buildsBound(steps.length, commits.length, moved.length);
    const others = revertOthers(culprit);
    const verdicts = new Map<number, Verdict>([[commits.length - 1, 'bad']]);
    for (;;) {
      const next = nextProbe(commits.length, verdicts);
      if (next.kind === 'try') {
        const c = commits[next.index]!;
        verdicts.set(next.index, (await probe('commits', `${after.repository} ${next.index + 1}/${commits.length} ${short(c.sha)} "${c.subject}"`, bStep.commit, { ...others, [culprit]: c.sha }, component)).verdict);
        continue;
      }
      const lastGoodCommit: CommitInfo = next.kind === 'found' && next.lastGood >= 0 ? commits[next.lastGood]! : next.kind === 'ambiguous' && next.lastGood >= 0 ? commits[next.lastGood]! : await commitInfo(mirror, from);
      if (next.kind === 'found')
        return report({
          ...stepFacts, bound: full,
          culprit: { component: culprit, repository: after.repository, commit: commits[next.firstBad]!, link: commitLink(req.config, after.repository, commits[next.firstBad]!.sha), lastGood: lastGoodCommit },
        });
      if (next.kind === 'ambiguous')
        return report({ ...stepFacts, bound: full, culpritComponent: culprit, unresolved: `only skipped commits separate good from bad in ${after.repository}: the first bad commit is one of ${next.candidates.map((i) => short(commits[i]!.sha)).join(', ')}` });
      return report({ ...stepFacts, bound: full, culpritComponent: culprit, unresolved: `the failure comes and goes in ${after.repository}: ${short(commits[next.bad]!.sha)} is bad but the later ${short(commits[next.good]!.sha)} is good` });
    }
  } finally {
    if (req.keep) req.log(`bisect: the scratch workspace is kept at ${scratch}`);
    else await rm(scratch, { recursive: true, force: true });
  }
}

const short = (sha: string) => sha.slice(0, 12);
const count = (r: ProbeRun, status: 'built' | 'cached') => r.tasks.filter((t) => t.status === status).length;
const pick = (r: PinnedRevision) => ({ commit: r.commit, subject: r.subject });
const tail = (output: string) => output.split('\n').slice(-60).join('\n').trim();

/** Where a reader opens the commit: GitHub's page in production, the repository and sha otherwise. */
function commitLink(config: OrchestratorConfig, repository: string, sha: string): string {
  return config.gitBaseUrl.startsWith('https://') ? `${config.gitBaseUrl}${repository}/commit/${sha}` : `${repository}@${sha}`;
}
