import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseSums, readSubjects } from './digest-lists';
import { type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE, keyIdOf, verifiedKeyIds } from './dsse';
import { readTrustedKeys } from './keys';
import { PROVENANCE_FILE, SHA256SUMS_FILE, isAttestationFile, isSbomFile, isSignatureFile } from './names';
import { checkDetached } from './openpgp';
import { type ProvenanceStatement, SLSA_PROVENANCE_V1, STATEMENT_TYPE, sourceUri } from './provenance';
import { createHash } from 'node:crypto';

export interface Check {
  /** files, signatures, provenance, manifest */
  name: string;
  ok: boolean;
  /** One line when it holds; every reason when it does not. */
  details: string[];
}

export interface Verdict {
  ok: boolean;
  checks: Check[];
}

export interface VerifyOptions {
  keysDir: string;
  /** How many distinct trusted keys must have signed SHA256SUMS. */
  threshold: number;
  /** .crate files (as downloaded from the registry) to check against the crates the release manifest lists. */
  crates?: readonly string[];
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Verify a downloaded release folder, offline: the files against SHA256SUMS, SHA256SUMS against
 * the trusted keys (at least `threshold` of them), the provenance's signature, its subjects
 * against the files, and its sources against the release manifest's commits. Every check runs,
 * so the verdict lists every reason at once.
 */
export async function verifyReleaseFolder(dir: string, opts: VerifyOptions): Promise<Verdict> {
  if (!Number.isSafeInteger(opts.threshold) || opts.threshold < 1) throw new Error(`the threshold must be a whole number of at least 1, got ${opts.threshold}`);
  const keys = await readTrustedKeys(opts.keysDir);
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  const digests = new Map<string, string>();
  for (const n of names) digests.set(n, sha256(await readFile(join(dir, n))));
  const sums = names.includes(SHA256SUMS_FILE) ? await readFile(join(dir, SHA256SUMS_FILE)) : undefined;

  const crates = await manifestCrates(dir, names);

  const checks: Check[] = [];
  checks.push(checkFiles(names, digests, sums));
  checks.push(await checkSignatures(dir, names, sums, keys, opts.threshold));
  const provenance = await checkProvenance(dir, names, digests, sums, keys, crates.listed);
  checks.push(provenance.check);
  checks.push(await checkManifest(dir, names, provenance.statement));
  if (crates.listed.size || crates.problems.length || opts.crates?.length) checks.push(await checkCrates(crates, opts.crates ?? []));
  return { ok: checks.every((c) => c.ok), checks };
}

/** A crate the release manifest lists: what the release published to the cargo registry. */
interface ManifestCrate {
  component: string;
  name: string;
  version: string;
  file: string;
  sha256: string;
  commit: string;
  /** The commit the manifest gives its component. */
  componentCommit: string;
}

/** The manifest's crates by file name (`<name>-<version>.crate`); an entry that is not one is a problem. An unreadable manifest lists none (the sources check names it). */
async function manifestCrates(dir: string, names: string[]): Promise<{ listed: Map<string, ManifestCrate>; problems: string[] }> {
  const listed = new Map<string, ManifestCrate>();
  const problems: string[] = [];
  if (!names.includes('release-manifest.json')) return { listed, problems };
  let manifest: { components?: unknown };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'release-manifest.json'), 'utf8')) as { components?: unknown };
  } catch {
    return { listed, problems };
  }
  const components = Array.isArray(manifest?.components) ? (manifest.components as Record<string, unknown>[]) : [];
  for (const [i, c] of components.entries()) {
    const crate = c?.crate as Record<string, unknown> | undefined;
    if (crate === undefined) continue;
    const text = (k: string) => (typeof crate?.[k] === 'string' ? (crate[k] as string) : undefined);
    const [name, version, file, sha, commit] = [text('name'), text('version'), text('file'), text('sha256'), text('commit')];
    if (!name || !version || file !== `${name}-${version}.crate` || !sha || !/^[0-9a-f]{64}$/.test(sha) || !commit) {
      problems.push(`release-manifest.json components[${i}].crate: not a crate entry (name, version, file "<name>-<version>.crate", sha256, commit)`);
      continue;
    }
    if (listed.has(file)) problems.push(`${file}: listed twice in release-manifest.json`);
    else listed.set(file, { component: String(c.component), name, version, file, sha256: sha, commit, componentCommit: String(c.commit) });
  }
  return { listed, problems };
}

/**
 * The crates: each packaged from its component's commit, and each .crate given (downloaded from
 * the registry) the bytes the manifest lists; the manifest is covered by SHA256SUMS and the
 * provenance names every crate as a subject, so a match ties the download to the signed release.
 */
async function checkCrates(crates: { listed: Map<string, ManifestCrate>; problems: string[] }, given: readonly string[]): Promise<Check> {
  const name = 'crates';
  const problems = [...crates.problems];
  for (const c of crates.listed.values()) {
    if (c.commit !== c.componentCommit) problems.push(`${c.file}: packaged from ${c.commit.slice(0, 12)}, but the manifest ships ${c.component} at ${c.componentCommit.slice(0, 12)}`);
  }
  for (const path of given) {
    const file = basename(path);
    const listed = crates.listed.get(file);
    if (!listed) {
      problems.push(`${file}: not a crate of this release (${crates.listed.size ? `it publishes ${[...crates.listed.keys()].join(', ')}` : 'it publishes none'})`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      problems.push(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    const got = sha256(bytes);
    if (got !== listed.sha256) problems.push(`${file}: sha256 ${got}, but the release manifest says ${listed.sha256} (not the bytes this release published)`);
  }
  if (problems.length) return { name, ok: false, details: problems };
  const matched = given.length ? `; ${given.length} .crate file(s) match it` : '';
  return { name, ok: true, details: [`${crates.listed.size} crate(s) in the manifest, each of its component's commit${matched}`] };
}

function checkFiles(names: string[], digests: Map<string, string>, sums: Buffer | undefined): Check {
  const name = 'files';
  if (!sums) return { name, ok: false, details: [`${SHA256SUMS_FILE} is missing`] };
  const { listed, problems: unreadable } = parseSums(sums.toString('utf8'));
  if (unreadable.length) return { name, ok: false, details: unreadable };
  const problems: string[] = [];
  for (const [file, want] of listed) {
    const got = digests.get(file);
    if (got === undefined) problems.push(`${file}: listed in SHA256SUMS but missing`);
    else if (got !== want) problems.push(`${file}: sha256 ${got}, but SHA256SUMS says ${want} (the file was modified)`);
  }
  for (const file of names) {
    if (file !== SHA256SUMS_FILE && !listed.has(file) && !isAttestationFile(file)) problems.push(`${file}: not listed in SHA256SUMS (not part of the release)`);
  }
  return problems.length ? { name, ok: false, details: problems } : { name, ok: true, details: [`${listed.size} files match SHA256SUMS`] };
}

async function checkSignatures(dir: string, names: string[], sums: Buffer | undefined, keys: Awaited<ReturnType<typeof readTrustedKeys>>, threshold: number): Promise<Check> {
  const name = 'signatures';
  if (!sums) return { name, ok: false, details: [`${SHA256SUMS_FILE} is missing: nothing to check signatures against`] };
  const details: string[] = [...keys.problems];
  const good = new Map<string, string>();
  const sigFiles = names.filter(isSignatureFile);
  if (sigFiles.length === 0) details.push('no signature (SHA256SUMS.asc) in the folder');
  for (const file of sigFiles) {
    for (const r of await checkDetached(new Uint8Array(sums), await readFile(join(dir, file), 'utf8'), keys.openpgp)) {
      if (r.status === 'good') {
        good.set(r.fingerprint, r.userIds.join(', '));
      } else if (r.status === 'bad') details.push(`${file}: BAD signature by ${r.fingerprint} (SHA256SUMS was modified after it was signed, or the signature was)`);
      else if (r.status === 'expired-key') {
        const before = r.signed && r.signed.getTime() >= r.expired.getTime() ? ', before it made this signature' : '';
        details.push(`${file}: signed by ${r.fingerprint}, whose key expired ${r.expired.toISOString()}${before} (an expired key is not trusted)`);
      } else if (r.status === 'revoked-key') details.push(`${file}: signed by ${r.fingerprint}, whose key is revoked (a revoked key is not trusted)`);
      else if (r.status === 'invalid-key') details.push(`${file}: signed by ${r.fingerprint}, whose key may not sign today (${r.reason})`);
      else if (r.status === 'unknown-key') details.push(`${file}: signed by key ${r.keyIds.join(', ')}, which is not in the keys folder (unknown key)`);
      else details.push(`${file}: not an OpenPGP signature (${r.reason})`);
    }
  }
  const summary = `${good.size} of ${threshold} required trusted signature(s)${good.size ? `: ${[...good].map(([fp, who]) => `${who || 'key'} ${fp.slice(-16)}`).join('; ')}` : ''}`;
  if (good.size >= threshold) return { name, ok: true, details: [summary] };
  return { name, ok: false, details: [`threshold not met: ${summary}`, ...details] };
}

async function checkProvenance(
  dir: string,
  names: string[],
  digests: Map<string, string>,
  sums: Buffer | undefined,
  keys: Awaited<ReturnType<typeof readTrustedKeys>>,
  crates: ReadonlyMap<string, ManifestCrate>,
): Promise<{ check: Check; statement?: ProvenanceStatement }> {
  const name = 'provenance';
  if (!names.includes(PROVENANCE_FILE)) return { check: { name, ok: false, details: [`${PROVENANCE_FILE} is missing`] } };
  const lines = (await readFile(join(dir, PROVENANCE_FILE), 'utf8')).split('\n').filter((l) => l.trim());
  const problems: string[] = [];
  let statement: ProvenanceStatement | undefined;
  for (const [i, line] of lines.entries()) {
    let envelope: DsseEnvelope;
    try {
      envelope = JSON.parse(line) as DsseEnvelope;
      if (typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures)) throw new Error('not a DSSE envelope');
    } catch (e) {
      problems.push(`${PROVENANCE_FILE} line ${i + 1}: ${(e as Error).message.slice(0, 120)}`);
      continue;
    }
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) continue;
    const good = verifiedKeyIds(envelope, keys.provenance.map((k) => k.key));
    if (good.length === 0) {
      const known = new Set(keys.provenance.map((k) => keyIdOf(k.key)));
      const ids = envelope.signatures.map((s) => s.keyid);
      problems.push(
        ids.some((id) => known.has(id))
          ? `${PROVENANCE_FILE} line ${i + 1}: BAD signature (the statement was modified after it was signed)`
          : `${PROVENANCE_FILE} line ${i + 1}: signed by ${ids.join(', ') || 'nobody'}, no key of the keys folder (unknown key)`,
      );
      continue;
    }
    let parsed: ProvenanceStatement;
    try {
      parsed = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as ProvenanceStatement;
    } catch {
      problems.push(`${PROVENANCE_FILE} line ${i + 1}: the signed statement is not JSON`);
      continue;
    }
    if (parsed?._type !== STATEMENT_TYPE || parsed.predicateType !== SLSA_PROVENANCE_V1) continue;
    statement = parsed;
  }
  if (!statement) return { check: { name, ok: false, details: problems.length ? problems : ['no signed SLSA provenance statement'] } };

  const { listed: subjects, problems: unreadable } = readSubjects(statement.subject);
  problems.push(...unreadable);
  for (const [file, want] of subjects) {
    const got = digests.get(file);
    // A published crate is on the registry, not in the folder: its subject matches the manifest's entry.
    const crate = got === undefined ? crates.get(file) : undefined;
    if (crate) {
      if (crate.sha256 !== want) problems.push(`subject ${file}: the provenance says sha256 ${want}, the release manifest ${crate.sha256}`);
    } else if (got === undefined) problems.push(`subject ${file}: not in the folder`);
    else if (got !== want) problems.push(`subject ${file}: the provenance says sha256 ${want}, the file is ${got}`);
  }
  // Everything the release vouches for must be a subject, else a swapped file would go unnoticed.
  const listed = sums ? parseSums(sums.toString('utf8')).listed.keys() : [];
  const covered = [SHA256SUMS_FILE, ...listed, ...names.filter(isSbomFile)];
  for (const file of [...covered, ...crates.keys()]) if (!subjects.has(file)) problems.push(`${file}: not a subject of the provenance`);
  if (problems.length) return { check: { name, ok: false, details: problems }, statement };
  return { check: { name, ok: true, details: [`${subjects.size} subjects match, signed by a trusted key`] }, statement };
}

interface ManifestView {
  tag: string;
  orchestratorCommit: string;
  components: { component: string; repository: string; commit: string }[];
}

async function checkManifest(dir: string, names: string[], statement: ProvenanceStatement | undefined): Promise<Check> {
  const name = 'sources';
  if (!names.includes('release-manifest.json')) return { name, ok: false, details: ['release-manifest.json is missing'] };
  if (!statement) return { name, ok: false, details: ['no verified provenance to compare the manifest with'] };
  let manifest: ManifestView;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'release-manifest.json'), 'utf8')) as ManifestView;
  } catch (e) {
    return { name, ok: false, details: [`release-manifest.json: ${(e as Error).message.slice(0, 120)}`] };
  }
  const deps = statement.predicate.buildDefinition.resolvedDependencies;
  const problems: string[] = [];
  const expect = (what: string, repository: string, commit: string) => {
    const dep = deps.find((d) => d.uri === sourceUri(repository) && (d.name === what || what === 'orchestrator'));
    if (!dep) problems.push(`${what}: ${repository} is not a source of the provenance`);
    else if (dep.digest.gitCommit !== commit) problems.push(`${what}: the manifest says ${repository}@${commit.slice(0, 12)}, the provenance ${dep.digest.gitCommit?.slice(0, 12)}`);
  };
  const orchestratorRepository = statement.predicate.buildDefinition.externalParameters.orchestratorRepository;
  expect('orchestrator', orchestratorRepository, manifest.orchestratorCommit);
  for (const c of manifest.components) expect(c.component, c.repository, c.commit);
  if (statement.predicate.buildDefinition.externalParameters.tag !== manifest.tag) {
    problems.push(`the manifest is for ${manifest.tag}, the provenance for ${statement.predicate.buildDefinition.externalParameters.tag}`);
  }
  if (problems.length) return { name, ok: false, details: problems };
  return { name, ok: true, details: [`${manifest.components.length} components and the orchestrator commit match the provenance`] };
}

/** The verdict as a person reads it: one line per check, the reasons under a failed one. Pure. */
export function formatVerdict(v: Verdict, what: string): string[] {
  const out: string[] = [];
  for (const c of v.checks) {
    out.push(`${c.ok ? '✔' : '✖'} ${c.name}: ${c.ok ? c.details[0] : 'FAILED'}`);
    if (!c.ok) for (const d of c.details) out.push(`    ${d}`);
  }
  out.push(v.ok ? `VERIFIED: ${what}` : `NOT VERIFIED: ${what} (${v.checks.filter((c) => !c.ok).map((c) => c.name).join(', ')} failed)`);
  return out;
}
