import { parse } from 'smol-toml';
import { SEMVER_STRICT } from '@bllvm/manifest';

/** The version a new component's versions.toml entry gets, and why when it is not the crate's own. */
export interface CrateVersion {
  version: string;
  note?: string;
}

const DEFAULT_VERSION = '0.1.0';
const SEMVER = /^(\d+\.\d+\.\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * The crate's version as versions.toml writes one (strict X.Y.Z), from its Cargo.toml at the
 * pinned commit: `[package] version`, or the workspace's `[workspace.package] version` when the
 * package inherits it (`version.workspace = true`; `workspaceManifest` is the repository's root
 * Cargo.toml). A pre-release (`0.1.5-dev.3`, the develop channel) gives the release it leads to
 * (0.1.5). Without a usable version, 0.1.0 and a note saying why. Pure: the manifests are untrusted
 * text, read only as TOML.
 */
export function crateVersion(manifest: string, workspaceManifest?: string): CrateVersion {
  const pkg = table(table(read(manifest))?.package);
  let raw = pkg?.version;
  let from = 'package.version';
  if (table(raw)?.workspace === true) {
    raw = table(table(table(read(workspaceManifest ?? manifest))?.workspace)?.package)?.version;
    from = 'workspace.package.version';
  }
  if (raw === undefined) return { version: DEFAULT_VERSION, note: `its Cargo.toml gives no ${from}; versions.toml gets ${DEFAULT_VERSION}` };
  const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 60)) : `(a ${Array.isArray(raw) ? 'list' : typeof raw})`;
  const m = typeof raw === 'string' ? SEMVER.exec(raw) : null;
  if (!m || !SEMVER_STRICT.test(m[1]!)) return { version: DEFAULT_VERSION, note: `its ${from} ${shown} is not a version; versions.toml gets ${DEFAULT_VERSION}` };
  if (m[1] !== raw) return { version: m[1]!, note: `its ${from} ${shown} is a pre-release; versions.toml gets the release it leads to, ${m[1]}` };
  return { version: m[1]! };
}

function read(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function table(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
