/**
 * The bisect benchmark: a sandbox org with a generated history of pin moves over several
 * components, a test regression planted at one component's commit, and `bllvm-release bisect`
 * run over it. Records whether it found the planted commit, the builds it used against the bound
 * (⌈log₂ steps⌉ + ⌈log₂ commits in the culprit's range⌉ + 2), the tasks the cache answered, and
 * the wall time.
 */
import { type SandboxWorkspace, createSandboxWorkspace } from '@bllvm/demo';
import { addCommit, setFault } from '@bllvm/sandbox';
import { probesBound } from '@bllvm/orchestrator';
import type { BisectReport } from '@bllvm/cli';

export interface BisectBenchResults {
  measuredAt: string;
  steps: number;
  /** The culprit's component, the step that moved its pin over it, and its place in that range. */
  planted: { component: string; step: number; commit: string; index: number; rangeLength: number };
  culpritFound: boolean;
  buildsUsed: number;
  bound: number;
  cacheHits: number;
  wallMs: number;
  /** The whole report, for the record. */
  report: BisectReport;
}

const COMPONENTS = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm-sdk'] as const;

export interface BisectBenchOptions {
  steps?: number;
  /** The step (1-based) whose pin move carries the regression, and how many commits that move spans. */
  culpritStep?: number;
  rangeLength?: number;
  /** The regression's place in that range (1-based). */
  culpritIndex?: number;
  log?: (line: string) => void;
  keep?: boolean;
}

export async function runBisectBench(o: BisectBenchOptions = {}): Promise<BisectBenchResults> {
  const steps = o.steps ?? 32;
  const culpritStep = o.culpritStep ?? 21;
  const rangeLength = o.rangeLength ?? 8;
  const culpritIndex = o.culpritIndex ?? 5;
  const log = o.log ?? (() => undefined);
  const sw: SandboxWorkspace = await createSandboxWorkspace();
  try {
    const good = await sw.ws.git('rev-parse', 'HEAD');
    const component = 'bllvm-node';
    let culprit = '';
    log(`bisect bench: ${steps} pin moves over ${COMPONENTS.join(', ')}; a test regression in ${component} at commit ${culpritIndex} of ${rangeLength}, moved in step ${culpritStep}`);
    for (let step = 1; step <= steps; step++) {
      const c = step === culpritStep ? component : COMPONENTS[(step - 1) % COMPONENTS.length]!;
      const n = step === culpritStep ? rangeLength : 1 + (step % 3);
      let head = '';
      for (let i = 1; i <= n; i++) {
        if (step === culpritStep && i === culpritIndex) head = culprit = await setFault(sw.org, c, 'test');
        else head = await addCommit(sw.org, c);
      }
      await sw.pin(c, head);
      await sw.ws.git('commit', '-qam', `move ${c} to ${head.slice(0, 7)}`);
    }
    const started = Date.now();
    const r = await sw.ws.cli('bisect', '--good', good.trim(), '--bad', 'HEAD', '--target', 'test', '--json');
    const wallMs = Date.now() - started;
    if (r.exitCode !== 0 && !r.stdout.trim().startsWith('{')) throw new Error(`bisect failed (exit ${r.exitCode}):\n${r.stderr.slice(-3000)}`);
    const report = JSON.parse(r.stdout) as BisectReport;
    return {
      measuredAt: new Date().toISOString(),
      steps,
      planted: { component, step: culpritStep, commit: culprit, index: culpritIndex, rangeLength },
      culpritFound: report.culprit?.commit.sha === culprit,
      buildsUsed: report.builds,
      bound: 2 + probesBound(steps) + probesBound(rangeLength),
      cacheHits: report.cacheHits,
      wallMs,
      report,
    };
  } finally {
    if (o.keep) log(`bisect bench: kept ${sw.ws.dir}`);
    else await sw.remove();
  }
}
