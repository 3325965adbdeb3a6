import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVELOP_SET_FILE, type DevelopTag, type ReleaseRequest, developSetPath, readDevelopSet, recordDevelopTags, recordReleaseTags, writeDevelopSet } from '@bllvm/crates';
import { type Stack, VERSIONS_FILE, parseVersions } from '@bllvm/manifest';
import { type CommandContext, CommandError } from '../command';
import { assertVersionsCommitted, commitVersionsFile } from './versions-commit';

/** What recording the tags changed, for the output: the JSON fields beside `file` and `changed`, and the closing line. */
export interface Recorded {
  fields: Record<string, unknown>;
  line: string;
}

/**
 * Where a `tag` run records the tags it made and the versions it tags: versions.toml (the official
 * set, recorded in a commit) or the develop set file (`--develop`, written beside the set).
 */
export interface TagRecord {
  /** The key of the record in --json output. */
  key: 'versionsFile' | 'developSet';
  /** The file, relative to the workspace, as the output names it. */
  file: string;
  /** The versions to tag, in chain order. */
  requests: ReleaseRequest[];
  /** The JSON fields beside `file` and `changed` when nothing is written (a dry run, a refusal). */
  idle: Record<string, unknown>;
  /** One line per entry recording `tags` changes; throws when they cannot be recorded. Writes nothing. */
  changes(tags: readonly DevelopTag[]): string[];
  /** Record `tags` (called once every tag is pushed, with what `changes` said). */
  write(tags: readonly DevelopTag[], changed: readonly string[]): Promise<Recorded>;
}

/** versions.toml: every component at its version there; the tags recorded as git_tag/git_commit in a commit of the workspace. */
export async function versionsRecord(ctx: CommandContext, stack: Stack, o: { dryRun: boolean }): Promise<TagRecord> {
  const root = ctx.workspaceRoot;
  const versionsFile = join(root, VERSIONS_FILE);
  if (!o.dryRun) await assertVersionsCommitted(root);
  const versionsText = await readFile(versionsFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CommandError(`cannot read ${versionsFile}: ${e.code ?? e.message}`);
  });
  const options = { components: stack.components };
  const versions = parseVersions(versionsText, versionsFile, options);
  for (const w of versions.warnings) ctx.err(`warning: ${w}`);
  const requests = stack.graph.components.map((id) => {
    const entry = versions.entries[id];
    if (!entry) throw new CommandError(`${VERSIONS_FILE} has no entry for ${id}`);
    return { component: id, version: entry.version };
  });
  const recorded = (tags: readonly DevelopTag[]) => recordReleaseTags(versionsText, versionsFile, tags.map(({ component, tag, commit }) => ({ component, tag, commit })), options);
  return {
    key: 'versionsFile',
    file: VERSIONS_FILE,
    requests,
    idle: {},
    changes: (tags) => recorded(tags).changed,
    async write(tags, changed) {
      const file = recorded(tags);
      if (file.text === versionsText) return { fields: {}, line: `${VERSIONS_FILE} already records these tags` };
      const commit = await commitVersionsFile(root, versionsText, file.text, versionsMessage(tags, changed));
      return { fields: { commit }, line: `${VERSIONS_FILE} committed: ${commit}; \`release\` pins these commits` };
    },
  };
}

function versionsMessage(tags: readonly DevelopTag[], changed: readonly string[]): string {
  const subject = `record the release tags in ${VERSIONS_FILE}: ${tags.map((m) => `${m.component} ${m.tag}`).join(', ')}`;
  return `${subject}\n\nMade by bllvm-release tag: each tag is a release commit on its component's pin.\n${changed.join('\n')}`;
}

/**
 * The develop set `version --develop` wrote: its crates at their dev versions; the tags recorded
 * beside them in the same file (written whole). versions.toml is neither read nor written.
 */
export async function developRecord(ctx: CommandContext, stack: Stack): Promise<TagRecord> {
  const where = developSetPath(ctx.workspaceRoot);
  const shown = DEVELOP_SET_FILE;
  const set = await readDevelopSet(where);
  if (!set) throw new CommandError(`${shown} does not exist: run \`version --develop\` first (it plans the develop set this tags)`);
  const known = new Set(stack.components.map((c) => c.id));
  for (const c of set.crates)
    if (!known.has(c.component)) throw new CommandError(`${shown} lists ${c.component}, which is not a component of this workspace; run \`version --develop\` again`);
  return {
    key: 'developSet',
    file: shown,
    requests: set.crates.map((c) => ({ component: c.component, version: c.version })),
    idle: { written: false },
    changes: (tags) => recordDevelopTags(set, tags, shown).changed,
    async write(tags) {
      const next = recordDevelopTags(set, tags, shown);
      if (!next.changed.length) return { fields: { written: false }, line: `${shown} already records these tags` };
      await writeDevelopSet(where, next.set);
      return { fields: { written: true }, line: `${shown} written: the develop set's tags and release commits (${VERSIONS_FILE} is untouched)` };
    },
  };
}
