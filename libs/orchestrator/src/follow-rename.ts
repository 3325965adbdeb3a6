/**
 * What a pin move does about a repository that was renamed (GitHub redirects the old name, so the
 * pin's remote still answers, with the renamed history) or a crate that moved or was renamed at
 * the new commit. Pure: the facts (the name the remote answered to, the packages at the commit)
 * are read before (renames.ts); the pin import's rule writes comes after (the AdoptPin the caller gives).
 */
import { type Pin, repositoryName } from '@bllvm/manifest';
import type { PackageAt } from '@bllvm/sources';
import { RepoError } from './errors';
import type { PinMove } from './plan-moves';

export interface RenameFacts {
  component: string;
  /** The pin as it is, before the move. */
  pin: Pick<Pin, 'repository' | 'crate' | 'crateDir'>;
  /** The crate's name at the pinned commit, read from the repository where the pin does not name it. */
  pinnedCrate?: string;
  /** The commit the pin moves to. */
  to: string;
  /** The owner/name the pin's repository answers to now: the redirect's target, else the pin's own. */
  repository: string;
  /** Every package manifest at `to`. */
  packages: readonly PackageAt[];
}

/** Where a crate continues, as the followed pin records it. */
export interface FollowedCrate {
  repository: string;
  crate: string;
  /** '.' for the root. */
  crateDir: string;
}

export type RenameDecision =
  /** Same repository, the crate where the pin says and named as it says: an ordinary move. */
  | { kind: 'same' }
  /** Exactly one package continues the pinned crate: the pin follows it (repository, crate, folder). */
  | ({ kind: 'follow'; component: string } & FollowedCrate)
  /** No package, or more than one, continues it: a person must say which (import). */
  | { kind: 'refuse'; component: string; repository: string; reason: string };

const where = (dir: string) => (dir === '.' ? 'the root' : `${dir}/`);

/**
 * Which package at the new commit continues the pinned crate: one named as it was, or, when it was
 * named after its repository, named after the repository's new name; or one in the folder it was
 * in, or, when that folder was named after the repository, in the folder of the new name. Exactly
 * one such package is followed; none (the crate is gone) or several (which one is a guess) is
 * refused, so a pin never moves to a crate nobody chose.
 */
export function decideRename(f: RenameFacts): RenameDecision {
  const oldRepo = repositoryName(f.pin.repository);
  const newRepo = repositoryName(f.repository);
  const renamed = f.repository !== f.pin.repository;
  const dir = f.pin.crateDir ?? '.';
  const name = f.pin.crate ?? f.pinnedCrate;
  const names = new Set<string>();
  if (name !== undefined) names.add(name);
  if (name === oldRepo) names.add(newRepo);
  const dirs = new Set([dir]);
  const parts = dir.split('/');
  if (renamed && parts.at(-1) === oldRepo) dirs.add([...parts.slice(0, -1), newRepo].join('/'));
  const candidates = f.packages.filter((p) => names.has(p.name) || dirs.has(p.dir));
  const at = f.to.slice(0, 7);
  const crate = name === undefined ? `the crate in ${where(dir)}` : `${name} (in ${where(dir)})`;
  if (candidates.length === 1) {
    const c = candidates[0]!;
    if (!renamed && c.dir === dir && (f.pin.crate === undefined || c.name === f.pin.crate)) return { kind: 'same' };
    return { kind: 'follow', component: f.component, repository: f.repository, crate: c.name, crateDir: c.dir };
  }
  const reason =
    candidates.length === 0
      ? `at ${at} no package continues ${crate}: none is named ${[...names].join(' or ') || 'as it was'}, and ${[...dirs].map(where).join(' and ')} hold${dirs.size === 1 ? 's' : ''} none`
      : `at ${at} ${candidates.length} packages could continue ${crate}: ${candidates.map((c) => `${c.name} in ${where(c.dir)}`).join(', ')}`;
  return { kind: 'refuse', component: f.component, repository: f.repository, reason };
}

/** A component whose pin must cross a rename, and the repository it is to be adopted from. */
export interface Crossing {
  component: string;
  /** The pin's repository before the move. */
  from: string;
  /** The repository it answers to now. */
  repository: string;
}

/** The one command that adopts every crossing at once (`import` moves each to its branch head and derives the graph). */
export function adoptCommand(crossings: readonly Pick<Crossing, 'component' | 'repository'>[]): string {
  return `npm run cli -- import ${crossings.map((c) => `${c.repository}=${c.component}`).join(' ')}`;
}

/**
 * The one-line refusal: why each refused component cannot be followed, that nothing moved, and
 * the command that adopts all of `crossings` (every pin that crosses the rename, followable or
 * not: they move together or their manifests name sibling folders that are not there). Pure.
 */
export function renameRefusal(refused: readonly Extract<RenameDecision, { kind: 'refuse' }>[], crossings: readonly Crossing[]): string {
  const why = refused.map((r) => {
    const c = crossings.find((x) => x.component === r.component);
    const renamed = c && c.from !== r.repository ? `${c.from} is now ${r.repository} (the old name redirects), and ` : '';
    return `${r.component}: ${renamed}${r.reason}`;
  });
  return `${why.join('; ')}; no pin was moved. Adopt ${crossings.length === 1 ? 'it' : 'them together'} with: ${adoptCommand(crossings)}`;
}

/**
 * The pin a component gets when it follows its crate to a renamed repository or another folder:
 * import's rule (repository, crate and folder from where the crate is now, the names left behind
 * kept as former names). The CLI passes the one `import` uses, so there is one rule.
 */
export type AdoptPin = (component: string, from: Pin, to: FollowedCrate & { branch: string; commit: string }) => Pin;

/** A planned move with what the rename check found: the pin it moves, and the name its remote answered to. */
export interface CheckedMove {
  move: PinMove;
  pin: Pin;
  repository: string;
  decision: RenameDecision;
}

/**
 * The moves as they are committed: a followed crate's move carries the pin `adopt` gives it. When
 * any cannot be followed nothing moves: one refusal names each and the command that adopts every
 * pin crossing a rename (`also`: crossings found beside these moves). Pure but for `adopt`.
 */
export function followOrRefuse(checked: readonly CheckedMove[], adopt: AdoptPin, also: readonly Crossing[] = []): PinMove[] {
  const crossings: Crossing[] = [
    ...checked.filter((c) => c.decision.kind !== 'same').map((c) => ({ component: c.move.component, from: c.pin.repository, repository: c.repository })),
    ...also,
  ];
  const refused = checked.map((c) => c.decision).filter((d): d is Extract<RenameDecision, { kind: 'refuse' }> => d.kind === 'refuse');
  if (refused.length) throw new RepoError(renameRefusal(refused, crossings));
  return checked.map(({ move, pin, decision: d }) => {
    if (d.kind !== 'follow') return move;
    const adopted = adopt(move.component, pin, { repository: d.repository, crate: d.crate, crateDir: d.crateDir, branch: move.branch ?? pin.branch, commit: move.to });
    if (adopted.commit !== move.to) throw new Error(`adopting ${move.component}: the pin names ${adopted.commit}, the move ${move.to}`);
    return { ...move, adopted };
  });
}

/**
 * One component's move (an event's) across a rename, when `others` crossed it too: refused, naming
 * them. Pins that cross a rename move together: each side's manifests name the other side's
 * folders by the names of its side, so one alone cannot be built with the rest. Pure.
 */
export function aloneAcross(checked: CheckedMove, others: readonly Crossing[]): CheckedMove {
  if (!others.length || checked.decision.kind !== 'follow') return checked;
  const names = others.map((o) => `${o.component} (${o.from} is now ${o.repository})`).join(', ');
  const reason = `${names} ${others.length === 1 ? 'was' : 'were'} renamed too, and pins that cross a rename move together: each side's manifests name the other side's folders`;
  return { ...checked, decision: { kind: 'refuse', component: checked.move.component, repository: checked.repository, reason } };
}
