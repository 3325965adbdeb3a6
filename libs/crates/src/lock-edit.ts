import { ManifestError } from '@bllvm/manifest';
import { TomlError, parse } from 'smol-toml';
import { type StringEdit, editStrings } from './edit-toml';
import { admits, parseRequirement, parseVersion } from './semver';

export interface LockUpdate {
  /** The crate the lock's repository releases: the lock must hold it as one of its own packages. */
  own: string;
  /** crate name → its new version, for every crate of the release set. */
  versions: Readonly<Record<string, string>>;
  /** crate name → the requirement the released manifest has on it (after its edit), for crates of the set. */
  requirements?: Readonly<Record<string, string>>;
}

export interface UpdatedLock {
  text: string;
  /** One line per value changed: `[[package]] bllvm-consensus: "0.1.0" → "0.1.1"`. */
  changed: string[];
}

interface LockPackage {
  name?: unknown;
  version?: unknown;
  source?: unknown;
  dependencies?: unknown;
}

/**
 * A committed Cargo.lock with the versions of the release set's own packages (those without a
 * `source`: the workspace's members and its path dependencies) brought to their new versions, and
 * each `dependencies` item naming such a package with its old version ("name 0.1.0") following it.
 * Nothing else changes (editStrings proves it). A lock this cannot bring in line without resolving
 * is refused with a ManifestError naming `file`: one that does not hold `own`, two packages of one
 * name to choose between, or a registry package whose locked version the released manifest's
 * requirement no longer admits (only cargo can pick its replacement, checksum and all). Pure.
 */
export function updateCargoLock(text: string, file: string, update: LockUpdate): UpdatedLock {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) throw new ManifestError(file, `invalid TOML: ${e.message.split('\n')[0]}`, { line: e.line, column: e.column });
    throw e;
  }
  const packages = doc.package;
  if (!Array.isArray(packages)) throw new ManifestError(file, 'has no [[package]] entries: not a Cargo.lock this can edit');
  const list = packages as LockPackage[];
  const local = (p: LockPackage) => p.source === undefined;
  const at = (name: string) => list.map((p, i) => [p, i] as const).filter(([p]) => p.name === name && local(p));
  if (at(update.own).length === 0) throw new ManifestError(file, `has no package ${update.own} of its own: it is not the lock of ${update.own}'s workspace`);

  const edits: StringEdit[] = [];
  const changed: string[] = [];
  const renamed = new Map<string, string>();
  for (const [name, to] of Object.entries(update.versions)) {
    const found = at(name);
    if (found.length === 0) continue;
    if (found.length > 1) throw new ManifestError(file, `holds ${found.length} packages named ${name} without a source; cannot tell which to change`);
    const [pkg, i] = found[0]!;
    if (typeof pkg.version !== 'string' || !parseVersion(pkg.version)) throw new ManifestError(file, `package ${name} has no version this can read`);
    if (pkg.version === to) continue;
    edits.push({ path: ['package', i, 'version'], from: pkg.version, to });
    changed.push(`[[package]] ${name}: "${pkg.version}" → "${to}"`);
    renamed.set(`${name} ${pkg.version}`, `${name} ${to}`);
  }
  for (const [name, requirement] of Object.entries(update.requirements ?? {})) {
    const req = parseRequirement(requirement);
    for (const p of list) {
      if (p.name !== name || local(p) || typeof p.version !== 'string') continue;
      const v = parseVersion(p.version);
      if (req && v && !admits(req, v))
        throw new ManifestError(file, `locks ${name} ${p.version} from ${String(p.source).slice(0, 80)}, which the new requirement "${requirement}" does not admit; only cargo can re-resolve it: update the lock in the repository`);
    }
  }
  list.forEach((p, i) => {
    if (!Array.isArray(p.dependencies)) return;
    p.dependencies.forEach((item: unknown, k) => {
      const to = typeof item === 'string' ? renamed.get(item) : undefined;
      if (to === undefined) return;
      edits.push({ path: ['package', i, 'dependencies', k], from: item as string, to });
      changed.push(`[[package]] ${String(p.name)} dependencies: "${item as string}" → "${to}"`);
    });
  });
  return { text: edits.length ? editStrings(text, file, edits) : text, changed };
}
