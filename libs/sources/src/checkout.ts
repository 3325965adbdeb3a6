import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Pin, repositoryName } from '@bllvm/manifest';
import { type SourcesConfig, paths, repositoryUrl } from './config';
import { SourcesError } from './errors';
import { git, gitReason } from './git';
import { withLock } from './lock';
import { checkoutCommit } from './checkout-commit';
import { assertContained } from './contained';
import { ensureMirror } from './mirror';

/** Marks a checkout as ours; we never touch a folder without it. */
const MARKER = 'bllvm-orchestrator-checkout';
/** The digest of the .git/config we made, beside it: a checkout whose git config changed is not used again. */
const CONFIG_DIGEST = 'bllvm-orchestrator-config.sha256';

async function gitConfigDigest(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(join(dir, '.git', 'config')).catch(() => Buffer.from('(missing)'))).digest('hex');
}

/**
 * Is the checkout's git config still the one we made? A filter, pager or ssh command in it would
 * run when our git next works there; no step may write a checkout's .git, so a change means
 * something got past that: the checkout is discarded and made again.
 */
async function configIntact(dir: string): Promise<boolean> {
  const recorded = await readFile(join(dir, '.git', CONFIG_DIGEST), 'utf8').catch(() => '');
  return recorded.trim() === (await gitConfigDigest(dir));
}

export interface ComponentSource {
  component: string;
  pin: Pin;
}

/**
 * Check out every component side by side under one folder at its pinned commit, each in a folder
 * named after its repository, so manifests' `../<repo>` paths resolve to the same set of commits.
 * Returns component → checkout path (the repository's root; the crate may sit in a subfolder).
 */
export async function prepareSources(cfg: SourcesConfig, sources: ComponentSource[], checkedOut: Readonly<Record<string, string>> = {}): Promise<Record<string, string>> {
  assertDistinctFolders(sources);
  // Side by side at once: each checkout has its own lock, and once warm each is a few git
  // processes, so every task would otherwise wait on them one repository after another. A
  // checkout the caller has just ensured at the same pin (`checkedOut`, by component) is not
  // checked a second time: nothing ran in it since, and each check is two git processes.
  const dirs = await settleAll(sources.map((s) => (checkedOut[s.component] !== undefined ? Promise.resolve(checkedOut[s.component]!) : ensureCheckout(cfg, s.component, s.pin))));
  const result = Object.fromEntries(sources.map((s, i) => [s.component, dirs[i]!]));
  // Whole stack known: nothing in it may reach outside it (every problem of every checkout at once).
  await assertCratesPresent(sources.map((s, i) => ({ ...s, dir: dirs[i]! })));
  await assertContained(cfg, sources.map((s, i) => ({ component: s.component, dir: dirs[i]!, crateDir: s.pin.crateDir ?? '.', commit: s.pin.commit })));
  return result;
}

/** Two components from repositories of one name would share a folder: say so instead of building one for the other. */
function assertDistinctFolders(sources: readonly ComponentSource[]): void {
  const byFolder = new Map<string, string[]>();
  for (const s of sources) {
    const folder = repositoryName(s.pin.repository);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), `${s.component} (${s.pin.repository})`]);
  }
  const clashes = [...byFolder].filter(([, users]) => users.length > 1);
  if (clashes.length)
    throw new SourcesError(
      clashes.map(([folder, users]) => `${users.join(' and ')} would share the checkout folder "${folder}"; checkouts are named after the repository, so each component needs a repository of its own name`).join('; '),
      {},
    );
}

/** The crate folder each pin names holds a Cargo.toml at that commit; otherwise name the pin to fix, for all at once. */
async function assertCratesPresent(sources: readonly (ComponentSource & { dir: string })[]): Promise<void> {
  const problems = sources
    .filter((s) => !existsSync(join(s.dir, s.pin.crateDir ?? '.', 'Cargo.toml')))
    .map((s) => `${s.component}@${s.pin.commit.slice(0, 7)}: no Cargo.toml in ${s.pin.crateDir ? `"${s.pin.crateDir}"` : 'the root'} of ${s.pin.repository}; set crate-dir in its pin.toml to the crate's folder at this commit`);
  if (problems.length) throw new SourcesError(problems.join('\n'), { component: sources.find((s) => problems[0]!.startsWith(`${s.component}@`))?.component });
}

export async function ensureCheckout(cfg: SourcesConfig, component: string, pin: Pin): Promise<string> {
  const folder = repositoryName(pin.repository);
  const dir = paths.checkout(cfg, folder);
  const remote = repositoryUrl(cfg, pin.repository);
  const details = { component, commit: pin.commit, remote };
  return withLock(paths.lock(cfg, `checkout-${folder}`), async () => {
    const marker = join(dir, '.git', MARKER);
    if (existsSync(dir) && !existsSync(marker))
      throw new SourcesError(`${dir} exists but was not created by the orchestrator; refusing to modify it (move it away)`, details);
    // A folder of this name from another owner's repository (a fork, a transfer), or one whose git
    // config is no longer the one we wrote: ours, so start afresh.
    if (existsSync(marker) && ((await readFile(marker, 'utf8')).trim() !== pin.repository || !(await configIntact(dir)))) await rm(dir, { recursive: true, force: true });
    if (existsSync(dir) && (await headOf(dir)) === pin.commit) {
      await assertClean(dir, details);
      return dir;
    }
    const mirror = await ensureMirror(cfg, pin.repository, { commit: pin.commit, component });
    if (!existsSync(dir)) {
      await mkdir(paths.sourcesDir(cfg), { recursive: true });
      const r = await git(['clone', '--quiet', '--shared', '--no-checkout', '--end-of-options', mirror, dir]);
      if (!r.ok) {
        await rm(dir, { recursive: true, force: true });
        throw new SourcesError(`cannot create checkout of ${component}: ${gitReason(r)}`, details);
      }
      await writeFile(marker, `${pin.repository}\n`);
      await writeFile(join(dir, '.git', CONFIG_DIGEST), `${await gitConfigDigest(dir)}\n`);
    } else {
      // The checkout borrows the mirror's objects (--shared), so the commit is already readable here.
      await assertClean(dir, details);
      // Untracked build by-products (Cargo.lock) would block checking out a commit that tracks them.
      await git(['clean', '-ffdxq'], { cwd: dir });
    }
    const c = await git(['checkout', '--quiet', '--detach', pin.commit], { cwd: dir });
    if (!c.ok) throw new SourcesError(`cannot check out ${component} at ${pin.commit}: ${gitReason(c)}`, details);
    return dir;
  });
}

async function headOf(dir: string): Promise<string | undefined> {
  // Read without starting git where HEAD is the plain commit (the status check that follows asks
  // git anyway); anything else is asked of git.
  const head = await checkoutCommit(dir);
  if (head) return head;
  const r = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: dir });
  return r.ok ? r.stdout : undefined;
}

/** Tracked files changed by hand would silently change what we build: refuse. Untracked build by-products are fine. */
async function assertClean(dir: string, details: { component: string; commit: string; remote: string }) {
  const r = await git(['status', '--porcelain', '--untracked-files=no'], { cwd: dir });
  if (!r.ok) throw new SourcesError(`cannot inspect checkout ${dir}: ${gitReason(r)}`, details);
  if (r.stdout)
    throw new SourcesError(
      `checkout of ${details.component} at ${dir} has local changes (${r.stdout.split('\n').length} file(s), e.g. ${r.stdout.split('\n')[0]!.slice(3)}); ` +
        `refusing to build a commit that is not ${details.commit}. Remove the folder to start afresh.`,
      details,
    );
}

/** Is a file tracked in the checkout (e.g. Cargo.lock, to decide on --locked)? */
export async function isTracked(dir: string, file: string): Promise<boolean> {
  return (await git(['ls-files', '--error-unmatch', '--', file], { cwd: dir })).ok;
}

/** Like Promise.all, but returns (or throws the first error in order) only once every step has ended, so nothing runs on after a failure is reported. */
async function settleAll<T>(steps: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(steps);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
