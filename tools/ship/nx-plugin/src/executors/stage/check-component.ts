import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ManifestError, ManifestErrors, parseBuildRecord, parseCommandRecord, parseImageRecord } from '@bllvm/manifest';
import type { ComponentContext } from '../../lib/component';
import { sha256File as describeFile } from '@bllvm/release';
import { DEFAULT_PRODUCERS, type GateOutput, type Producers, buildHint } from './producers';

/**
 * Everything a component contributes to a release must be from its pinned commit and intact:
 * build record and artifacts, test (and verify, where it has one) records, the image.
 * Returns the problems, one per line; empty means ready to stage. A missing file names the target
 * that makes it (`producers`) and the command to run: with --publish-only nothing builds it here.
 */
export async function releaseProblems(ctx: ComponentContext, expect: { verify: boolean; image: boolean }, producers: Producers = DEFAULT_PRODUCERS): Promise<string[]> {
  const problems: string[] = [];
  const c = ctx.component;
  const commit = ctx.pin.commit;
  const dist = ctx.self.dist;
  const missing = (output: GateOutput, file: string, what = 'output') =>
    `${c}: ${what} ${relative(ctx.workspaceRoot, file)} of ${c}:${producers[output]} is missing; ${buildHint(c, producers[output])}`;
  const read = async <T>(output: GateOutput, file: string, parse: (json: unknown, file: string) => T): Promise<T | undefined> => {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      problems.push((e as NodeJS.ErrnoException).code === 'ENOENT' ? missing(output, file) : `${c}: ${file} is missing or unreadable`);
      return undefined;
    }
    try {
      return parse(json, file);
    } catch (e) {
      if (e instanceof ManifestErrors) problems.push(...e.errors.map((x) => `${c}: ${x.message}`));
      else if (e instanceof ManifestError) problems.push(`${c}: ${e.message}`);
      else throw e;
      return undefined;
    }
  };
  const build = await read('build', dist.build.record, parseBuildRecord);
  if (build) {
    if (build.commit !== commit) problems.push(`${c}: built from ${build.commit.slice(0, 7)}, but the pin is ${commit.slice(0, 7)}`);
    const pinned = new Map(ctx.upstream.map((u) => [u.id, u.pin.commit]));
    for (const [up, sha] of Object.entries(build.upstream)) {
      const at = pinned.get(up);
      if (at && at !== sha) problems.push(`${c}: built against ${up}@${sha.slice(0, 7)}, but ${up} is pinned at ${at.slice(0, 7)}`);
    }
    for (const a of build.artifacts) {
      const file = join(dist.build.dir, a.name);
      if (!existsSync(file)) {
        problems.push(missing('build', file, 'artifact'));
        continue;
      }
      const d = await describeFile(file);
      if (d.sha256 !== a.sha256 || d.size !== a.size) problems.push(`${c}: ${a.name} does not match its build record (sha256 ${d.sha256.slice(0, 12)}…)`);
    }
  }
  for (const kind of ['test', ...(expect.verify ? ['verify' as const] : [])] as const) {
    const rec = await read(kind, dist[kind].record, parseCommandRecord);
    if (rec && (!rec.success || rec.commit !== commit)) problems.push(`${c}: no successful ${kind} of ${commit.slice(0, 7)}`);
  }
  if (expect.image) {
    const image = await read('image', dist.image.record, parseImageRecord);
    if (image) {
      if (image.commit !== commit) problems.push(`${c}: image built from ${image.commit.slice(0, 7)}, but the pin is ${commit.slice(0, 7)}`);
      const file = join(dist.dir, image.archive.name);
      if (!existsSync(file)) problems.push(missing('image', file, 'image archive'));
      else if ((await describeFile(file)).sha256 !== image.archive.sha256) problems.push(`${c}: image archive ${image.archive.name} does not match image.json`);
    }
  }
  return problems;
}
