import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BuildRecord, type CrateRecord, type ImageRecord, OrchestratorError, RESOLVED_LOCK, componentDist } from '@bllvm/manifest';
import type { ComponentChangelog } from './changelog';
import { assertPlainFileName, type FileDigest, formatSha256Sums, sha256File } from './checksums';
import {
  buildReleaseManifest,
  imageProblem,
  type ReleaseManifestInput,
  releaseSetProblems,
  serializeReleaseManifest,
  type StagedAsset,
} from './manifest';
import {
  BUILD_RECORD_IN_ARCHIVE,
  RELEASE_MANIFEST,
  RELEASE_NOTES,
  SHA256SUMS,
  archiveName,
  archiveStem,
  assertComponentName,
  imageArchiveName,
} from './names';
import { type ReleaseNotesInput, renderReleaseNotes } from './notes';
import { requireTag } from './tags';
import { GZIP_LEVEL, type TarEntry, writeTarGz } from './tar';

export interface StageComponent {
  name: string;
  buildRecord: BuildRecord;
  image?: ImageRecord;
  /** Its packaged crate: the manifest lists it (the .crate goes to the cargo registry, not the release). */
  crate?: { record: CrateRecord; base?: string };
}

export interface StageOptions {
  /** The workspace's dist/: each component's files are read where `componentDist` puts them. */
  distDir: string;
  /** Must not exist or be empty: a stale file from another run must never be published beside these. */
  outDir: string;
  tag: string;
  /** In graph order. */
  components: readonly StageComponent[];
  orchestratorCommit: string;
  createdAt: Date | string;
  changelog?: readonly ComponentChangelog[];
  previousTag?: string;
  orchestratorRepository?: string;
  /** The crate versions the release publishes, for the notes. */
  crates?: ReleaseNotesInput['crates'];
}

export interface StagedFile {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

/** Raised when dist/ is not fit to ship; `problems` lists every file at fault, not just the first. */
export class StagingError extends OrchestratorError {
  constructor(readonly problems: string[]) {
    super(`cannot stage release:\n  ${problems.join('\n  ')}`);
    this.name = 'StagingError';
  }
}

const BINARY_MODE = 0o755;
const FILE_MODE = 0o644;

/**
 * Builds the release folder: one reproducible archive per component, the image archive, the
 * release manifest, the notes and SHA256SUMS. Everything is checked against the build records
 * before anything is written, and written to a sibling temporary folder that only becomes
 * `outDir` when complete, so a failure never leaves a half-staged release to be uploaded.
 */
export async function stageArtifacts(options: StageOptions): Promise<StagedFile[]> {
  const { tag, components } = options;
  requireTag(tag);
  const distDir = resolve(options.distDir);
  const outDir = resolve(options.outDir);

  const shapeProblems = checkShapes(components);
  if (shapeProblems.length > 0) throw new StagingError(shapeProblems);
  const fileProblems = await checkFiles(distDir, components);
  if (fileProblems.length > 0) throw new StagingError(fileProblems);
  await assertEmptyOrAbsent(outDir);

  await mkdir(dirname(outDir), { recursive: true });
  const work = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.staging-`));
  try {
    const staged: { name: string; digest: FileDigest }[] = [];
    const manifestComponents: ReleaseManifestInput['components'][number][] = [];
    for (const c of components) {
      const archive = await writeComponentArchive(distDir, work, tag, c);
      staged.push(archive);
      let image: { record: ImageRecord; archive: StagedAsset } | undefined;
      if (c.image) {
        const copied = await copyImageArchive(distDir, work, tag, c.name, c.image);
        staged.push(copied);
        image = { record: c.image, archive: { name: copied.name, ...copied.digest } };
      }
      manifestComponents.push({ buildRecord: c.buildRecord, archive: { name: archive.name, ...archive.digest }, image, ...(c.crate ? { crate: c.crate.record, ...(c.crate.base ? { crateBase: c.crate.base } : {}) } : {}) });
    }

    const manifest = buildReleaseManifest({
      tag,
      orchestratorCommit: options.orchestratorCommit,
      createdAt: options.createdAt,
      // Records the zlib that compressed the archives, so a rebuilder can tell a different one apart.
      archiver: { zlib: process.versions.zlib ?? 'unknown', gzipLevel: GZIP_LEVEL },
      components: manifestComponents,
    });
    staged.push(await writeText(work, RELEASE_MANIFEST, serializeReleaseManifest(manifest)));
    const notes = renderReleaseNotes({
      manifest,
      changelog: options.changelog,
      previousTag: options.previousTag,
      orchestratorRepository: options.orchestratorRepository,
      crates: options.crates,
    });
    staged.push(await writeText(work, RELEASE_NOTES, notes));
    const sums = formatSha256Sums(staged.map((s) => ({ name: s.name, sha256: s.digest.sha256 })));
    staged.push(await writeText(work, SHA256SUMS, sums));

    // rename() onto an empty folder is allowed by POSIX but not everywhere else; remove it first.
    await rmdir(outDir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rename(work, outDir);
    return staged.map((s) => ({ name: s.name, path: join(outDir, s.name), size: s.digest.size, sha256: s.digest.sha256 }));
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw e;
  }
}

/** Record-level problems, found without touching the disk. */
function checkShapes(components: readonly StageComponent[]): string[] {
  const problems: string[] = [];
  if (components.length === 0) problems.push('no components to stage');
  for (const c of components) {
    try {
      assertComponentName(c.name);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    const r = c.buildRecord;
    if (r.component !== c.name) problems.push(`${c.name}: build record is for ${JSON.stringify(r.component)}`);
    // The archive name says linux-x86_64; an artifact for another target must not be shipped under it.
    if (r.target !== undefined && !r.target.startsWith('x86_64-unknown-linux-')) {
      problems.push(`${c.name}: built for ${r.target}, but archives are named linux-x86_64`);
    }
    for (const a of r.artifacts ?? []) {
      if (a.name === BUILD_RECORD_IN_ARCHIVE) problems.push(`${c.name}: an artifact is named ${BUILD_RECORD_IN_ARCHIVE}, which the archive reserves for the record`);
      if (r.lock && a.name === RESOLVED_LOCK) problems.push(`${c.name}: an artifact is named ${RESOLVED_LOCK}, which the archive reserves for the lock the build compiled from`);
    }
    if (c.image) {
      const problem = imageProblem(r, c.image);
      if (problem) problems.push(problem);
      try {
        assertPlainFileName(c.image.archive?.name, `${c.name} image archive`);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }
  return [...problems, ...releaseSetProblems(components.map((c) => c.buildRecord))];
}

/** Re-hashes every file a record names: dist/ may have been corrupted since the build wrote it. */
async function checkFiles(distDir: string, components: readonly StageComponent[]): Promise<string[]> {
  const problems: string[] = [];
  const check = async (path: string, expected: FileDigest) => {
    const problem = await digestProblem(path, expected);
    if (problem) problems.push(problem);
  };
  for (const c of components) {
    const dist = componentDist(distDir, c.name);
    for (const a of c.buildRecord.artifacts) await check(join(dist.build.dir, a.name), a);
    if (c.image) await check(join(dist.dir, c.image.archive.name), c.image.archive);
  }
  return problems;
}

async function digestProblem(path: string, expected: FileDigest): Promise<string | undefined> {
  let actual: FileDigest;
  try {
    actual = await sha256File(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `${path}: cannot read (${code ?? (e as Error).message}), but its build record lists it`;
  }
  return mismatch(path, expected, actual);
}

function mismatch(path: string, expected: FileDigest, actual: FileDigest): string | undefined {
  if (actual.size !== expected.size) return `${path}: size ${actual.size} bytes, but its record says ${expected.size}`;
  if (actual.sha256 !== expected.sha256) return `${path}: sha256 ${actual.sha256}, but its record says ${expected.sha256}`;
  return undefined;
}

async function assertEmptyOrAbsent(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (entries.length > 0) throw new StagingError([`${dir} is not empty (${entries.slice(0, 3).join(', ')}...); stage into a fresh folder`]);
}

async function writeComponentArchive(distDir: string, work: string, tag: string, c: StageComponent) {
  const stem = archiveStem(c.name, tag);
  const buildDir = componentDist(distDir, c.name).build.dir;
  const record = Buffer.from(`${JSON.stringify(c.buildRecord, null, 2)}\n`);
  const files: TarEntry[] = [
    ...c.buildRecord.artifacts.map(
      (a): TarEntry => ({
        type: 'file',
        path: `${stem}/${a.name}`,
        mode: a.kind === 'binary' ? BINARY_MODE : FILE_MODE,
        size: a.size,
        content: () => verifiedRead(join(buildDir, a.name), a),
      }),
    ),
    { type: 'file', path: `${stem}/${BUILD_RECORD_IN_ARCHIVE}`, mode: FILE_MODE, size: record.length, content: async function* () { yield record; } },
  ];
  // The lock the record names ships beside it, so whoever rebuilds gets the same registry versions
  // even when the repository commits none.
  if (c.buildRecord.lock) {
    const lock = await readFile(join(buildDir, RESOLVED_LOCK)).catch(() => undefined);
    const digest = lock && createHash('sha256').update(lock).digest('hex');
    if (!lock || digest !== c.buildRecord.lock.sha256)
      throw new StagingError([`${c.name}: ${lock ? `the kept ${RESOLVED_LOCK} (sha256 ${digest!.slice(0, 12)}…) is not the one its build record names (${c.buildRecord.lock.sha256.slice(0, 12)}…)` : `its build record names a ${RESOLVED_LOCK}, but the build kept none`}; rebuild it`]);
    files.push({ type: 'file', path: `${stem}/${RESOLVED_LOCK}`, mode: FILE_MODE, size: lock.length, content: async function* () { yield lock; } });
  }
  // Code-unit order, not locale order, so every machine lays the archive out alike.
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const name = archiveName(c.name, tag);
  const dest = join(work, name);
  await writeTarGz([{ type: 'directory', path: `${stem}/`, mode: BINARY_MODE }, ...files], dest);
  return { name, digest: await sha256File(dest) };
}

async function copyImageArchive(distDir: string, work: string, tag: string, component: string, image: ImageRecord) {
  const name = imageArchiveName(component, tag);
  const dest = join(work, name);
  await pipeline(Readable.from(verifiedRead(join(componentDist(distDir, component).dir, image.archive.name), image.archive)), createWriteStream(dest, { flags: 'wx' }));
  return { name, digest: await sha256File(dest) };
}

/**
 * Streams a file while hashing it and fails at the end if it no longer matches its record. The
 * files were checked before staging began; this closes the window between that check and the copy.
 */
async function* verifiedRead(path: string, expected: FileDigest): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
    const problem = mismatch(path, expected, { size, sha256: hash.digest('hex') });
    if (problem) throw new StagingError([`${problem} (changed while staging)`]);
  } finally {
    await handle.close();
  }
}

async function writeText(dir: string, name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text, { flag: 'wx' });
  return { name, digest: await sha256File(path) };
}
