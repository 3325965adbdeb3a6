/**
 * A packaged `.crate` as the uploader needs it: which package and version it holds and the
 * normalized Cargo.toml cargo wrote into it, from which the publish metadata is built. Pure over
 * the bytes. Unpacking is bounded, so a hostile or corrupt file cannot exhaust memory.
 */
import { gunzipSync } from 'node:zlib';
import { ManifestError } from '@bllvm/manifest';
import { readTar } from '@bllvm/release';
import { parse, TomlError } from 'smol-toml';

/** Largest unpacked size read (crates.io refuses crates that unpack past 512 MiB; ours are far smaller). */
export const MAX_UNPACKED_CRATE_BYTES = 64 * 1024 * 1024;

export interface CrateArchive {
  /** `package.name` of the normalized Cargo.toml. */
  name: string;
  /** `package.version` of the normalized Cargo.toml. */
  version: string;
  /** The normalized Cargo.toml, parsed. */
  manifest: Record<string, unknown>;
  /** A member's bytes by its path relative to the package root (`README.md`), or undefined. */
  file(path: string): Buffer | undefined;
}

/**
 * Reads a `.crate`: a gzip'd tar whose members all lie under `name-version/`, with that package's
 * Cargo.toml. `where` names the file in errors.
 */
export function readCrateArchive(bytes: Buffer, where: string, maxUnpacked = MAX_UNPACKED_CRATE_BYTES): CrateArchive {
  const bad = (problem: string) => new ManifestError(where, problem);
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: maxUnpacked });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw bad(`unpacks to more than ${maxUnpacked} bytes`);
    throw bad(`is not a gzip'd .crate (${(error as Error).message})`);
  }
  let members: ReturnType<typeof readTar>;
  try {
    members = readTar(tar);
  } catch (error) {
    throw bad(`is not a tar archive (${(error as Error).message})`);
  }
  const files = members.filter((m) => m.type === '0' || m.type === '\0');
  const roots = new Set(members.map((m) => m.path.split('/')[0]!));
  if (roots.size !== 1) throw bad(`must hold one folder \`name-version/\`, but holds ${roots.size === 0 ? 'nothing' : [...roots].slice(0, 3).map((r) => `\`${r}\``).join(', ')}`);
  const root = [...roots][0]!;
  const unsafe = members.find((m) => m.path.split('/').some((p) => p === '..'));
  if (unsafe) throw bad(`member \`${unsafe.path}\` leaves the package folder`);
  const byPath = new Map(files.map((m) => [m.path.slice(root.length + 1), m.data]));
  const manifestBytes = byPath.get('Cargo.toml');
  if (!manifestBytes) throw bad(`has no ${root}/Cargo.toml`);
  const manifestWhere = `${where}!${root}/Cargo.toml`;
  let manifest: Record<string, unknown>;
  try {
    manifest = parse(manifestBytes.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) throw new ManifestError(manifestWhere, error.message.split('\n')[0]!, { line: error.line });
    throw error;
  }
  const pkg = manifest['package'];
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) throw new ManifestError(manifestWhere, '[package] is missing');
  const { name, version } = pkg as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') throw new ManifestError(manifestWhere, 'must be a non-empty string', { field: 'package.name' });
  if (typeof version !== 'string' || version === '') throw new ManifestError(manifestWhere, 'must be a version string (a packaged manifest has no workspace inheritance left)', { field: 'package.version' });
  if (root !== `${name}-${version}`) throw bad(`its folder is \`${root}/\` but its Cargo.toml declares ${name} ${version}`);
  return { name, version, manifest, file: (path) => byPath.get(path) };
}
