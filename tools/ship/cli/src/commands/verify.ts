import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatVerdict, verifyReleaseFolder } from '@bllvm/attest';
import { createGitHubClient } from '@bllvm/github';
import { assertPlainFileName, requireTag } from '@bllvm/release';
import { type Command, CommandError, UsageError } from '../command';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a release (a downloaded folder, or a tag) against its signatures and provenance',
  usage: [
    'verify <folder | tag> --keys <dir> [--threshold <n>] [--repository <owner/name>] [--crate <file.crate>]...',
    '',
    '  For node operators. Checks, offline on a downloaded folder:',
    '    files       every file against SHA256SUMS (each listed once), and nothing unlisted beside them',
    '    signatures  SHA256SUMS.asc and SHA256SUMS.<builder>.asc against the OpenPGP public keys (*.asc,',
    '                every key of each file) in --keys; at least --threshold (default 1) distinct trusted',
    '                keys must have signed, each neither expired nor revoked today',
    '    provenance  provenance.intoto.jsonl signed by an ed25519 key (*.pem) in --keys, every subject',
    '                (each named once) matching its file, and every file covered',
    '    sources     the commits in release-manifest.json against the provenance',
    '    crates      where the release publishes crates: each is a subject of the provenance, packaged',
    '                from its component\'s commit, and each --crate file (a .crate downloaded from the',
    '                registry, named <crate>-<version>.crate) has the sha256 release-manifest.json lists',
    '  With a tag instead of a folder, the release\'s assets are downloaded from GitHub first',
    '  (GITHUB_API_URL, --repository or GITHUB_REPOSITORY). Exits 0 only if every check holds.',
  ].join('\n'),
  options: { keys: { type: 'string' }, threshold: { type: 'string' }, repository: { type: 'string' }, crate: { type: 'string', multiple: true } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('name one release: a downloaded folder or a tag');
    const keys = values.keys as string | undefined;
    if (!keys) throw new UsageError('--keys <dir> is required: the folder of public keys you trust (see docs/verification.md)');
    if (!existsSync(keys) || !statSync(keys).isDirectory()) throw new CommandError(`--keys ${keys}: no such folder`);
    const threshold = Number((values.threshold as string | undefined) ?? '1');
    if (!Number.isSafeInteger(threshold) || threshold < 1) throw new UsageError(`--threshold must be a whole number of at least 1, got ${JSON.stringify(values.threshold)}`);
    const crates = (values.crate as string[] | undefined) ?? [];
    for (const c of crates) if (!existsSync(c) || !statSync(c).isFile()) throw new CommandError(`--crate ${c}: no such file`);
    const target = positionals[0]!;
    const isFolder = existsSync(target) && statSync(target).isDirectory();
    const dir = isFolder ? target : await download(target, (values.repository as string | undefined) ?? ctx.config.github.repository, ctx);
    try {
      const verdict = await verifyReleaseFolder(dir, { keysDir: keys, threshold, crates });
      for (const line of formatVerdict(verdict, isFolder ? target : `${target} (downloaded)`)) ctx.out(line);
      return verdict.ok ? 0 : 1;
    } finally {
      if (!isFolder) await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Download every asset of the release into a fresh folder (then verified like any other). */
async function download(tag: string, repository: string | undefined, ctx: Parameters<Command['run']>[1]): Promise<string> {
  try {
    requireTag(tag);
  } catch {
    throw new UsageError(`${JSON.stringify(tag.slice(0, 80))} is neither a folder nor a release tag`);
  }
  if (!repository || !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository)) throw new UsageError('to verify a tag, name its repository: --repository <owner/name> (or GITHUB_REPOSITORY)');
  const [owner, repo] = repository.split('/') as [string, string];
  const client = createGitHubClient({ baseUrl: ctx.config.github.apiUrl, token: ctx.config.github.token, log: ctx.err });
  const release = await client.getRelease(owner, repo, tag);
  if (!release) throw new CommandError(`no published release ${tag} in ${repository}`);
  const dir = await mkdtemp(join(tmpdir(), 'bllvm-verify-'));
  try {
    for (const asset of release.assets) {
      assertPlainFileName(asset.name, 'release asset');
      await writeFile(join(dir, asset.name), await client.downloadAsset(release, asset));
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  ctx.err(`downloaded ${release.assets.length} assets of ${tag} from ${repository}`);
  return dir;
}
