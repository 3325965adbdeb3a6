import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { rustSysroot } from '@bllvm/hermetic';
import { headCommit } from '@bllvm/orchestrator';
import { SHA256SUMS, requireTag } from '@bllvm/release';
import { type CommandContext, CommandError, UsageError } from '../command';
import { releaseRuns } from '../release/selection';
import { runTargets } from '../run-targets';
import { loadGraph } from '../workspace';
import { compareRelease } from './compare';
import { freshWorkspace } from './fresh-workspace';
import { rebuildRefusals } from './preconditions';
import { fetchPublished } from './published';
import { recordedLocks, useRecordedLocks } from './recorded-locks';
import { type RebuildReport, verdictLines } from './report';
import { type BuilderKey, signRebuilt } from './sign-rebuilt';

export interface RebuildOptions {
  tag: string;
  repository?: string;
  /** Where to rebuild; must not exist or be empty. Default: a new folder in the temp dir. */
  workDir?: string;
  /** The Nx configuration the release was made with (the release commands' -c). */
  configuration?: string;
  /** The work dir of an earlier rebuild of this tag: compare with what it staged, build nothing. */
  against?: string;
  /** Sign the rebuilt SHA256SUMS as this builder. */
  builderKey?: BuilderKey;
  json: boolean;
}

/**
 * Rebuild a published release from its recorded pins in a fresh workspace and work dir, and
 * compare what it stages with what was published. Exit 0 only when every counted asset is equal.
 */
export async function runRebuild(o: RebuildOptions, ctx: CommandContext): Promise<number> {
  const started = Date.now();
  try {
    requireTag(o.tag);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const repository = o.repository ?? ctx.config.github.repository;
  if (!repository) throw new CommandError('no repository to read the release from: pass --repository <owner/name> or set GITHUB_REPOSITORY');
  const work = await freshDir(o.workDir);
  const progress = (l: string) => ctx.err(`rebuild: ${l}`);
  progress(`working in ${work}`);

  const published = await fetchPublished(ctx.config, repository, o.tag, join(work, 'published'), progress);
  const downloadMs = Date.now() - started;
  const { manifest } = published;
  const refusals = rebuildRefusals(manifest, await rebuilderState(ctx.workspaceRoot));
  if (refusals.length) {
    if (!o.workDir) await rm(work, { recursive: true, force: true });
    throw new CommandError(`cannot rebuild ${o.tag} here:\n  ${refusals.join('\n  ')}`);
  }

  const buildStarted = Date.now();
  const tasks: Record<string, string[]> = {};
  const staged = o.against ? await earlierRebuild(o.against, o.tag, manifest.orchestratorCommit) : await build();
  const buildMs = Date.now() - buildStarted;

  const compareStarted = Date.now();
  const rebuilt = new Map<string, Buffer>();
  for (const name of (await readdir(staged)).sort()) rebuilt.set(name, await readFile(join(staged, name)));
  const comparison = compareRelease({ published: published.assets, rebuilt });
  const compareMs = Date.now() - compareStarted;
  const signature = o.builderKey
    ? await signRebuilt({ key: o.builderKey, staged, workDir: work, tag: o.tag, createdAt: manifest.createdAt, published: published.assets.get(SHA256SUMS) })
    : undefined;

  const report: RebuildReport = {
    schema: 1,
    tag: o.tag,
    repository,
    orchestratorCommit: manifest.orchestratorCommit,
    verdict: comparison.allEqual ? 'all-equal' : 'differs',
    workDir: work,
    timings: { downloadMs, buildMs, compareMs, totalMs: Date.now() - started },
    tasks,
    assets: comparison.assets,
    ...(signature ? { signature } : {}),
  };
  const reportFile = join(work, 'rebuild-report.json');
  await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  if (o.json) ctx.out(JSON.stringify(report, null, 2));
  else {
    for (const line of verdictLines(o.tag, comparison)) ctx.out(line);
    if (signature)
      ctx.out(
        signature.matchesPublished
          ? `signed as ${signature.builder}: ${signature.file}; to attest the release, add it as ${signature.attestation} (a pull request)`
          : `signed as ${signature.builder}: ${signature.file}; your SHA256SUMS is not the published one, so this signature does not count for ${o.tag}`,
      );
    ctx.out(`report: ${reportFile}`);
  }
  return comparison.allEqual ? 0 : 1;

  /** Every component from the recorded pins, in a fresh workspace and work dir; the staged release folder. */
  async function build(): Promise<string> {
    const ws = await freshWorkspace(ctx.workspaceRoot, manifest.orchestratorCommit, join(work, 'workspace'));
    const graph = await loadGraph(ws);
    const recorded = recordedLocks(manifest, published.assets);
    if (recorded.problems.length) throw new CommandError(`the release's archives do not hold the locks their builds record, so the same registry versions cannot be built:\n  ${recorded.problems.join('\n  ')}`);
    await useRecordedLocks(ws, graph, recorded.locks);
    if (recorded.locks.size) progress(`building ${[...recorded.locks.keys()].join(', ')} with the Cargo.lock the release recorded (their repositories commit none)`);
    progress(`building ${graph.components.length} components at orchestrator commit ${manifest.orchestratorCommit.slice(0, 7)} in a fresh workspace and work dir`);
    const env = { ...ctx.env, BLLVM_WORK_DIR: join(work, 'work') };
    for (const run of releaseRuns(graph.components, false)) {
      const r = await runTargets({
        workspaceRoot: ws,
        targets: run.targets,
        projects: run.projects,
        excludeTaskDependencies: run.excludeTaskDependencies,
        configuration: o.configuration,
        overrides: run.releaseOptions ? { tag: o.tag, stageOnly: true } : {},
        env,
        onOutput: o.json ? undefined : (s) => process.stderr.write(s),
      });
      for (const t of r.tasks) (tasks[t.status] ??= []).push(t.task);
      if (r.exitCode !== 0) {
        const failed = r.tasks.filter((t) => t.status === 'failed').map((t) => `${t.task}${t.message ? ` (${t.message.split('\n')[0]})` : ''}`);
        throw new CommandError(`the rebuild failed before anything could be compared: ${failed.join('; ') || `nx exit ${r.exitCode}`}; the workspace is ${ws}`);
      }
    }
    return join(ws, 'dist', 'release', o.tag);
  }
}

/** The release folder an earlier rebuild of `tag` staged, checked to be one, of the same orchestrator commit. */
async function earlierRebuild(dir: string, tag: string, commit: string): Promise<string> {
  const report = JSON.parse(await readFile(join(resolve(dir), 'rebuild-report.json'), 'utf8').catch(() => 'null')) as RebuildReport | null;
  if (!report || report.tag !== tag) throw new CommandError(`--against ${dir}: not the work dir of a rebuild of ${tag} (no rebuild-report.json for it)`);
  if (report.orchestratorCommit !== commit) throw new CommandError(`--against ${dir}: that rebuild was of orchestrator commit ${report.orchestratorCommit.slice(0, 7)}, the release now records ${commit.slice(0, 7)}`);
  const staged = join(resolve(dir), 'workspace', 'dist', 'release', tag);
  if (!existsSync(staged)) throw new CommandError(`--against ${dir}: ${staged} is gone`);
  return staged;
}

async function freshDir(given: string | undefined): Promise<string> {
  if (!given) return mkdtemp(join(tmpdir(), 'bllvm-rebuild-'));
  const dir = resolve(given);
  if (existsSync(dir) && (await readdir(dir)).length > 0) throw new CommandError(`--work-dir ${dir} is not empty: a rebuild starts from nothing; name a new folder`);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function rebuilderState(root: string) {
  const sysroot = await rustSysroot().catch((e: { stderr?: string; message: string }) => {
    const why = String(e.stderr || e.message).trim().split('\n')[0];
    throw new CommandError(`cannot ask rustc for its sysroot (${why}): install the toolchain the release records and put it on PATH (with rustup, RUSTUP_HOME must point at it)`);
  });
  const version = async (tool: string, flag: string) => String((await execa(join(sysroot, 'bin', tool), [flag], { reject: false })).stdout).trim();
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root });
  return {
    head: await headCommit(root),
    dirty: String(status.stdout).split('\n').filter(Boolean).map((l) => l.slice(3)),
    rustc: await version('rustc', '-Vv'),
    cargo: await version('cargo', '-V'),
    zlib: process.versions.zlib ?? 'unknown',
  };
}
