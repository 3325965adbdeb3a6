/**
 * Yank a stack release: its crates from the registry, dependents first; its GitHub releases marked
 * superseded; versions.toml committed back to the last good set. Each step is recorded in a
 * journal under the work dir as soon as it is done, so `--resume` continues where a run stopped
 * and a version the registry already lists as yanked counts as done.
 */
import { join } from 'node:path';
import {
  CRATES_IO_SPARSE_INDEX, DEVELOP_SET_FILE, type RegistryClient, type YankEntry, type YankJournal, openRegistry, readYankJournal, runDecision, writeYankJournal, yankDecision, yankOrder, yankProgress,
} from '@bllvm/crates';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type GitHubClient, createGitHubClient } from '@bllvm/github';
import { VERSIONS_FILE, readStack, redactCredentials } from '@bllvm/manifest';
import { requireTag } from '@bllvm/release';
import { CommandError, UsageError } from '../command';
import { type ReleasedCrate, releasePoints, releasedCrates } from './release-set';
import { restoreVersions, versionsAt } from './restore-versions';
import { supersededRelease } from './superseded';

export interface YankOptions {
  root: string;
  tag: string;
  dryRun: boolean;
  resume: boolean;
  /** owner/name of the releases' repository (this orchestrator's). */
  repository?: string;
  config: OrchestratorConfig;
  /** BLLVM_CARGO_REGISTRY_TOKEN (config.cargoRegistryToken): the registry token. Never printed. */
  registryToken?: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;

export function yankJournalFile(workDir: string, tag: string): string {
  return join(workDir, 'yank', `${tag}.json`);
}

export async function runYank(o: YankOptions): Promise<number> {
  try {
    requireTag(o.tag);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!o.repository || !REPOSITORY.test(o.repository)) throw new UsageError('name the releases\' repository: --repository <owner/name> (or GITHUB_REPOSITORY)');
  const file = yankJournalFile(o.config.workDir, o.tag);
  const decision = runDecision(await readYankJournal(file), { tag: o.tag, resume: o.resume, file });
  if (decision.run === 'refuse') throw new CommandError(decision.why);
  if (decision.run === 'finished') {
    o.out(`${o.tag} is already yanked (${yankProgress(decision.journal)}); nothing to do`);
    return 0;
  }

  const stack = await readStack(o.root);
  const points = await releasePoints(o.root, o.tag);
  const nightly = requireTag(o.tag).kind === 'nightly';
  const released = await releasedCrates(o.root, o.config, stack, { tag: o.tag, commit: points.commit });
  if (nightly && !released.length) throw new CommandError(`${o.tag} uploaded no crates: its commit ${points.commit.slice(0, 7)} has no tagged develop set (${DEVELOP_SET_FILE}); nothing to yank`);
  const previous = points.previous ? await releasedCrates(o.root, o.config, stack, points.previous) : [];
  const instead = points.previous?.tag;
  const registry = await openRegistry({ indexUrl: o.config.cargoRegistry ?? CRATES_IO_SPARSE_INDEX, token: o.registryToken });

  let journal: YankJournal;
  if (decision.run === 'continue') {
    journal = decision.journal;
    if (journal.registry !== registry.name) throw new CommandError(`${file} records a yank on ${journal.registry}, not ${registry.name}; set BLLVM_CARGO_REGISTRY to that registry`);
    o.err(`yank: continuing ${o.tag} (${yankProgress(journal)})`);
  } else {
    const { yank, kept } = yankOrder(released, previous);
    for (const c of kept) o.err(`yank: ${c.crate} ${c.version} is also in ${instead ?? 'the previous release'}: kept`);
    journal = { schema: 1, tag: o.tag, registry: registry.name, crates: yank.map((c) => ({ component: c.component, crate: c.crate, version: c.version, state: 'pending' })), releases: 'pending', versions: 'pending' };
    if (!o.dryRun) await writeYankJournal(file, journal);
  }
  o.err(`yank: ${o.tag} (orchestrator commit ${points.commit.slice(0, 7)}); crates from ${nightly ? `its develop set (${DEVELOP_SET_FILE})` : VERSIONS_FILE} at that commit; last good set: ${instead ?? 'none recorded'}`);
  const save = async () => {
    if (!o.dryRun) await writeYankJournal(file, journal);
  };

  await yankCrates(o, registry, journal, save);
  await markReleases(o, journal, released, instead, save);
  // A develop set never was versions.toml's: there is nothing to put back.
  if (nightly && journal.versions === 'pending') {
    o.out(`${VERSIONS_FILE}: left as it is (${o.tag} published a develop set, not versions.toml's)`);
    if (!o.dryRun) journal.versions = 'skipped';
    await save();
  }
  await putBackVersions(o, journal, points, save);
  o.out(o.dryRun ? `dry run: nothing changed (${yankProgress(journal)})` : `${o.tag} yanked (${yankProgress(journal)}); journal ${file}`);
  return 0;
}

/** Dependents first; the first failure stops the run, so no upstream is yanked under a live dependent. */
async function yankCrates(o: YankOptions, registry: RegistryClient, journal: YankJournal, save: () => Promise<void>): Promise<void> {
  for (const entry of journal.crates) {
    if (entry.state === 'yanked' || entry.state === 'absent') {
      o.out(`${entry.crate} ${entry.version}: ${entry.state} (recorded)`);
      continue;
    }
    const decided = yankDecision(await registry.versionEntry(entry.crate, entry.version));
    if (decided.action === 'done') {
      settle(entry, decided.state);
      o.out(`${entry.crate} ${entry.version}: ${decided.why}`);
      await save();
      continue;
    }
    if (o.dryRun) {
      o.out(`${entry.crate} ${entry.version}: would yank`);
      continue;
    }
    try {
      await registry.yank(entry.crate, entry.version);
    } catch (e) {
      const reason = redactCredentials((e as Error).message, [o.registryToken]);
      settle(entry, 'failed', reason);
      await save();
      throw new CommandError(`${reason}\n${yankProgress(journal)}; nothing upstream of ${entry.crate} was yanked; rerun with --resume to continue`);
    }
    settle(entry, 'yanked');
    await save();
    o.out(`${entry.crate} ${entry.version}: yanked`);
  }
}

function settle(entry: YankEntry, state: YankEntry['state'], reason?: string): void {
  entry.state = state;
  if (reason === undefined) delete entry.reason;
  else entry.reason = reason;
}

/** The stack release, and each yanked crate's release in its own repository where there is one. */
async function markReleases(o: YankOptions, journal: YankJournal, released: readonly ReleasedCrate[], instead: string | undefined, save: () => Promise<void>): Promise<void> {
  if (journal.releases !== 'pending') return;
  const github: GitHubClient = createGitHubClient({ baseUrl: o.config.github.apiUrl, token: o.config.github.token, dryRun: o.dryRun, log: o.err });
  const yanked = new Set(journal.crates.filter((c) => c.state !== 'absent').map((c) => `${c.crate}@${c.version}`));
  const targets = [
    { repository: o.repository!, tag: o.tag, instead },
    ...released.filter((c) => yanked.has(`${c.crate}@${c.version}`)).map((c) => ({ repository: c.repository, tag: c.gitTag, instead: undefined })),
  ];
  for (const t of targets) {
    const [owner, repo] = t.repository.split('/') as [string, string];
    const release = await github.getRelease(owner, repo, t.tag);
    if (!release) {
      o.out(`${t.repository} ${t.tag}: no GitHub release to mark`);
      continue;
    }
    const wanted = supersededRelease(release, t.instead);
    if (wanted.name === release.name && wanted.body === release.body && release.prerelease) {
      o.out(`${t.repository} ${t.tag}: already marked superseded`);
      continue;
    }
    await github.ensureRelease({ owner, repo, tag: t.tag, ...wanted });
    o.out(`${t.repository} ${t.tag}: ${o.dryRun ? 'would be ' : ''}marked superseded (pre-release)`);
  }
  if (!o.dryRun) journal.releases = 'done';
  await save();
}

async function putBackVersions(o: YankOptions, journal: YankJournal, points: Awaited<ReturnType<typeof releasePoints>>, save: () => Promise<void>): Promise<void> {
  if (journal.versions !== 'pending') return;
  const good = points.previous;
  if (!points.isLast || !good) {
    o.out(`${VERSIONS_FILE}: left as it is (${!points.isLast ? `${o.tag} is not the release last-release names` : 'last-release records no release before it'})`);
    if (!o.dryRun) journal.versions = 'skipped';
    return save();
  }
  const name = good.tag ?? good.commit.slice(0, 7);
  if (o.dryRun) {
    const { differs } = await versionsAt(o.root, good.commit);
    o.out(`${VERSIONS_FILE}: ${differs ? `would be committed back to ${name}'s` : `already ${name}'s`}`);
    return;
  }
  const outcome = await restoreVersions(o.root, good.commit, `${VERSIONS_FILE}: back to ${name} after yanking ${o.tag}`);
  o.out(`${VERSIONS_FILE}: ${outcome.done === 'committed' ? `committed back to ${name}'s (${outcome.commit.slice(0, 7)}); push it when reviewed` : `already ${name}'s`}`);
  journal.versions = 'done';
  await save();
}
