import { ManifestError } from '@bllvm/manifest';
import { type CrateManifest, readCrateManifest, tableHeader } from './cargo-manifest';
import { type StringEdit, editStrings } from './edit-toml';
import { requirementAction } from './requirement-action';
import { parseVersion } from './semver';

export interface ManifestUpdate {
  /** The crate's new [package] version. */
  version?: string;
  /** crate name → its new version: every requirement on it that no longer admits that version is rewritten. */
  dependencies?: Readonly<Record<string, string>>;
}

export interface UpdatedManifest {
  text: string;
  /** One line per value changed: `[package] version: "0.1.0" → "0.1.1"`. */
  changed: string[];
  /** What the update concerns but leaves alone, and why (an inherited version or requirement). */
  leftAlone: string[];
}

/**
 * A Cargo.toml with its [package] version and its requirements on `dependencies` brought to their
 * new versions, changing only those values: every comment, space, quote and line ending stays (see
 * editStrings, which re-parses the result to prove it). Requirements that still admit the new
 * version are kept; `version.workspace = true` and `dep.workspace = true` are left alone and
 * reported: the workspace root's manifest holds them. Throws a ManifestError naming `file`. Pure.
 */
export function updateCrateManifest(text: string, file: string, update: ManifestUpdate): UpdatedManifest {
  const manifest: CrateManifest = readCrateManifest(text, file);
  const edits: StringEdit[] = [];
  const changed: string[] = [];
  const leftAlone: string[] = [];
  if (update.version !== undefined) {
    if (!parseVersion(update.version)) throw new ManifestError(file, `"${update.version}" is not a version`);
    if (manifest.versionFromWorkspace) leftAlone.push('[package] version.workspace = true: the version is the workspace\'s [workspace.package] version; left alone');
    else if (manifest.version === undefined) throw new ManifestError(file, '[package] has no version to change');
    else if (manifest.version !== update.version) {
      edits.push({ path: ['package', 'version'], from: manifest.version, to: update.version });
      changed.push(`[package] version: "${manifest.version}" → "${update.version}"`);
    }
  }
  for (const site of manifest.requirements) {
    const to = update.dependencies && Object.hasOwn(update.dependencies, site.crate) ? update.dependencies[site.crate]! : undefined;
    if (to === undefined) continue;
    const v = parseVersion(to);
    if (!v) throw new ManifestError(file, `"${to}" (for ${site.crate}) is not a version`);
    const where = `${tableHeader(site.table)} ${site.key}`;
    const decided = requirementAction(site, v);
    if (decided.action === 'invalid') throw new ManifestError(file, `${where}: ${decided.why}`);
    if (decided.action === 'inherited') leftAlone.push(`${where}: ${decided.why}`);
    if (decided.action !== 'rewrite') continue;
    edits.push({ path: site.path, from: decided.from, to: decided.to });
    changed.push(`${where}: "${decided.from}" → "${decided.to}" (${decided.why})`);
  }
  return { text: edits.length ? editStrings(text, file, edits) : text, changed, leftAlone };
}
