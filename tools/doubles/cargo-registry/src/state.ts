/**
 * The registry's memory: every crate, its versions in publish order, each with its index line,
 * its .crate bytes and what it was published with. crates.io's rules about it are kept here, with
 * no HTTP: a version is never replaced (nor shadowed by one differing only in build metadata),
 * names that differ only in case or `-`/`_` are one crate, yanking only flips `yanked`.
 */
import { RegistryError } from './errors';
import { indexLineFor, serializeIndexLine, type IndexLine } from './index-line';
import type { PublishMetadata } from './metadata';
import { canonicalName } from './names';
import { compareSemVer, compareVersionText, parseSemVer } from './semver';
import { sha256Hex } from './crate-archive';

export interface VersionRecord {
  line: IndexLine;
  bytes: Buffer;
  metadata: PublishMetadata;
  publishedAt: string;
  downloads: number;
}

export interface CrateRecord {
  /** As first published; later versions must use the same spelling. */
  name: string;
  versions: VersionRecord[];
  createdAt: string;
}

/** One version as `GET /api/v1/crates/{name}` lists it (a subset of crates.io's fields). */
export interface VersionInfo {
  id: number;
  crate: string;
  num: string;
  dl_path: string;
  checksum: string;
  yanked: boolean;
  created_at: string;
  updated_at: string;
  downloads: number;
  features: Record<string, string[]>;
  license: string | null;
  links: string | null;
  rust_version: string | null;
  crate_size: number;
}

export interface CrateInfo {
  crate: {
    id: string;
    name: string;
    description: string | null;
    repository: string | null;
    homepage: string | null;
    documentation: string | null;
    /** Highest version not yanked ("0.0.0" when every version is yanked), as on crates.io. */
    max_version: string;
    /** Highest non-prerelease version not yanked, or null. */
    max_stable_version: string | null;
    /** The version published last. */
    newest_version: string;
    downloads: number;
    created_at: string;
    updated_at: string;
  };
  /** Every version, yanked ones included, highest first. */
  versions: VersionInfo[];
  keywords: string[];
  categories: string[];
}

export class RegistryState {
  private readonly crates = new Map<string, CrateRecord>();
  private versionIds = 0;
  private readonly ids = new WeakMap<VersionRecord, number>();

  constructor(private readonly ownIndexUrls: readonly string[] = []) {}

  /** Adds a version; throws RegistryError(400) when crates.io would refuse it. Returns its index line. */
  publish(metadata: PublishMetadata, bytes: Buffer, now = new Date()): IndexLine {
    const key = canonicalName(metadata.name);
    const existing = this.crates.get(key);
    if (existing && existing.name !== metadata.name) {
      throw new RegistryError(400, `crate was previously named \`${existing.name}\``);
    }
    const wanted = parseSemVer(metadata.vers)!;
    const clash = existing?.versions.find((v) => compareSemVer(parseSemVer(v.line.vers)!, wanted) === 0);
    if (clash) {
      throw new RegistryError(
        400,
        clash.line.vers === metadata.vers
          ? `crate version \`${metadata.vers}\` is already uploaded (${metadata.name}@${metadata.vers} exists; a published version is never replaced, publish a new version)`
          : `crate version \`${metadata.vers}\` conflicts with the uploaded \`${clash.line.vers}\` (build metadata does not tell versions apart)`,
      );
    }
    const at = now.toISOString();
    const record: VersionRecord = { line: indexLineFor(metadata, sha256Hex(bytes), this.ownIndexUrls), bytes, metadata, publishedAt: at, downloads: 0 };
    this.ids.set(record, ++this.versionIds);
    if (existing) existing.versions.push(record);
    else this.crates.set(key, { name: metadata.name, versions: [record], createdAt: at });
    return record.line;
  }

  /** Sets `yanked`; idempotent, as on crates.io. Throws RegistryError(404) for an unknown version. */
  setYanked(name: string, vers: string, yanked: boolean): void {
    this.version(name, vers).line.yanked = yanked;
  }

  /** The index file a sparse request for this exact lowercase name gets, or undefined (404). */
  indexFile(lowercaseName: string): string | undefined {
    const record = this.crates.get(canonicalName(lowercaseName));
    if (!record || record.name.toLowerCase() !== lowercaseName) return undefined;
    return record.versions.map((v) => `${serializeIndexLine(v.line)}\n`).join('');
  }

  /** The .crate bytes (yanked versions stay downloadable, for lockfiles that pin them). */
  download(name: string, vers: string): Buffer {
    const record = this.version(name, vers);
    record.downloads++;
    return record.bytes;
  }

  info(name: string): CrateInfo {
    const record = this.crate(name);
    const sorted = [...record.versions].sort((a, b) => compareVersionText(b.line.vers, a.line.vers));
    const live = sorted.filter((v) => !v.line.yanked);
    const latest = record.versions[record.versions.length - 1]!;
    const describing = latest.metadata;
    return {
      crate: {
        id: record.name,
        name: record.name,
        description: describing.description,
        repository: describing.repository,
        homepage: describing.homepage,
        documentation: describing.documentation,
        max_version: live[0]?.line.vers ?? '0.0.0',
        max_stable_version: live.find((v) => parseSemVer(v.line.vers)!.pre.length === 0)?.line.vers ?? null,
        newest_version: latest.line.vers,
        downloads: record.versions.reduce((n, v) => n + v.downloads, 0),
        created_at: record.createdAt,
        updated_at: latest.publishedAt,
      },
      versions: sorted.map((v) => ({
        id: this.ids.get(v)!,
        crate: record.name,
        num: v.line.vers,
        dl_path: `/api/v1/crates/${record.name}/${v.line.vers}/download`,
        checksum: v.line.cksum,
        yanked: v.line.yanked,
        created_at: v.publishedAt,
        updated_at: v.publishedAt,
        downloads: v.downloads,
        features: { ...v.line.features, ...v.line.features2 },
        license: v.metadata.license,
        links: v.line.links,
        rust_version: v.metadata.rust_version,
        crate_size: v.bytes.length,
      })),
      keywords: describing.keywords,
      categories: describing.categories,
    };
  }

  /** `cargo search`: crates whose name contains the query (case and `-`/`_` aside), by name. */
  search(query: string, perPage: number): { crates: { name: string; max_version: string; description: string | null }[]; meta: { total: number } } {
    const q = canonicalName(query);
    const hits = [...this.crates.entries()]
      .filter(([key]) => key.includes(q))
      .map(([, c]) => c)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return {
      crates: hits.slice(0, perPage).map((c) => {
        const { crate } = this.info(c.name);
        return { name: crate.name, max_version: crate.max_version, description: crate.description };
      }),
      meta: { total: hits.length },
    };
  }

  /** Every crate and its versions, for tests and the `/_state` view. */
  snapshot(): { name: string; versions: { vers: string; yanked: boolean; cksum: string }[] }[] {
    return [...this.crates.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((c) => ({ name: c.name, versions: c.versions.map((v) => ({ vers: v.line.vers, yanked: v.line.yanked, cksum: v.line.cksum })) }));
  }

  private crate(name: string): CrateRecord {
    const record = this.crates.get(canonicalName(name));
    if (!record) throw new RegistryError(404, `crate \`${name}\` does not exist`);
    return record;
  }

  private version(name: string, vers: string): VersionRecord {
    const record = this.crate(name);
    const found = record.versions.find((v) => v.line.vers === vers);
    if (!found) throw new RegistryError(404, `crate \`${record.name}\` does not have a version \`${vers}\``);
    return found;
  }
}
