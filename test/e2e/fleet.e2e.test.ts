import { describe, expect, it } from 'vitest';
import { type FleetReport, runFleet, runnerKindsFor } from '@bllvm/fleet';

// The fleet rehearsal (npm run fleet): .github/workflows/nightly.yml run job by job, each on a
// runner folder of its own (clone, HOME, work dir, Nx cache), sharing only the cache server
// (its own process on 127.0.0.1), with real cargo in the sandbox, podman and the local GitHub
// API. The builds runner is lost mid-run and replaced, as GitHub's "re-run failed jobs" would.
let report: FleetReport;
const lines: string[] = [];

describe('the nightly on a fleet of runners', () => {
  it('runs, loses and replaces a runner, publishes, and holds against every poisoning attempt', async () => {
    report = await runFleet({ loseBuildsRunnerAt: 3, log: (l) => lines.push(l) });
    console.log(lines.filter((l) => !/^\[[\w-]+\] {3}/.test(l)).join('\n'));
    const job = (id: string) => report.jobs.find((j) => j.job === id)!;

    // Every job ran on its own runner, of the kind its labels get it: the class jobs on their
    // class's, the jobs holding tokens (pin, publish) on release runners, which no class job asks for.
    const failed = report.jobs.filter((j) => j.tail).map((j) => `${j.job}:\n${j.tail}`).join('\n');
    expect(report.jobs.map((j) => [j.job, j.runnerClass, j.result]).sort(), failed).toEqual(
      [
        ['pin', 'release', 'success'],
        ['plan', 'builds', 'success'],
        ['builds', 'builds', 'success'],
        ['perf', 'perf', 'success'],
        ['docker', 'docker', 'success'],
        ['publish', 'release', 'success'],
      ].sort(),
    );
    for (const id of ['builds', 'perf', 'docker']) expect(runnerKindsFor(job(id).labels), id).not.toContain('release');
    expect(runnerKindsFor(job('publish').labels)).toEqual(['release']);
    expect(new Set(report.jobs.map((j) => j.runner)).size).toBe(report.jobs.length);
    expect(report.published).toBe(true);
    expect(report.tag).toMatch(/^nightly-\d{8}-[0-9a-f]{7}$/);
    // The pin job cut the develop set (tags pushed, set committed, nothing built); the builds job
    // packaged its release commits; the publish job uploaded every library's crate.
    expect(report.developCrates.map((c) => `${c.name} ${c.version} ${c.yanked}`).sort()).toEqual(
      ['bllvm-consensus', 'bllvm-node', 'bllvm-protocol'].map((n) => `${n} 0.1.1-dev.1 false`),
    );

    // The job holding the tokens built nothing; the class jobs did the building.
    expect([job('publish').cargo, job('publish').docker, job('publish').built]).toEqual([0, 0, []]);
    for (const id of ['pin', 'plan']) expect([job(id).cargo, job(id).docker], id).toEqual([0, 0]);
    expect(job('builds').cargo).toBeGreaterThan(0);
    expect(job('docker').docker).toBeGreaterThan(0);
    expect(job('perf').built).toEqual(['bllvm-consensus:verify']);
    // Each class job ran only its class's tasks (what it built is among them).
    for (const id of ['builds', 'perf', 'docker']) for (const t of job(id).built) expect(job(id).tasks, `${id} built ${t}`).toContain(t);

    // The lost runner's replacement rebuilt exactly what was not in the shared cache when it was lost.
    const lost = report.lostRunner!;
    expect(lost.unfinished.length).toBeGreaterThan(0);
    expect(lost.unfinished.length).toBeLessThan(job('builds').tasks.length);
    expect(lost.rebuilt).toEqual(lost.unfinished);

    // Poisoning: nothing planted was stored or served.
    expect(report.poisoning.map((a) => a.outcome)).toEqual([
      'write refused (403)',
      'write refused (401)',
      'write refused (401)',
      'never served (404)',
      'refused, entries are immutable (409)',
      "served main's build, not the planted file",
      'not served, quarantined (404)',
    ]);
    expect(report.poisoning.every((a) => a.held)).toBe(true);
  }, 1_200_000);
});
