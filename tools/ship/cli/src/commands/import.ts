import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { type Component, VERSIONS_FILE, addRequires, namedInVersions, readStack, readVersions } from '@bllvm/manifest';
import { type DiscoveredRepository, type SourcesConfig, discoverRepository, ensureMirror, git, inTurn } from '@bllvm/sources';
import { type Command, CommandError, UsageError } from '../command';
import { crateVersion } from '../import/crate-version';
import {
  type ImportAction, type ImportTarget, describeConflict, fromTargets, idCollisions, newComponentIds, parseImportTarget, planImport,
} from '../import/plan-import';
import { describeAction, writeImport } from '../import/write-import';
import { nxCommand, nxEnv, workspaceProjects } from '../nx';

export const importCommand: Command = {
  name: 'import',
  exclusive: true,
  summary: 'adopt repositories as components (or move existing ones to their branch heads), then derive the graph',
  usage: [
    'import <owner/name[=component]>... [--from <versions.toml> --owner <owner>] [--branch main] [--crate-dir <dir>] [--dry-run] [--no-sync]',
    '',
    '  Pins each repository at the head of --branch, finds its crate (the root package, else the one',
    '  package one folder down; --crate-dir names it when there are several) and writes apps/<component>/',
    '  (pin.toml, project.json), its place in the release set and its versions.toml entry for a new one',
    '  (as the component generator does), or moves the pin of the component that has the repository',
    '  (or has its name in its lineage: former-names, or is named by =component). A rename is an import',
    '  of the new name onto the old component: the repository, crate and folder move in one pin, the old',
    '  names become former-names. A new entry in versions.toml takes the crate\'s version from its',
    '  Cargo.toml. Then `nx sync` derives every component\'s dependencies from the pinned manifests, and',
    '  the new entries\' `requires` from them. Adding a repository later is the same command. --from takes',
    '  the repositories from a versions.toml\'s [versions] table (their names), under --owner; a name',
    '  whose component follows another repository now is refused unless owner/name=<component> says which.',
    '  Nothing is committed: review with `git diff`, then `check` and commit. --dry-run fetches and prints',
    '  what it would do, writing nothing.',
  ].join('\n'),
  options: {
    from: { type: 'string' },
    owner: { type: 'string' },
    branch: { type: 'string', default: 'main' },
    'crate-dir': { type: 'string' },
    'dry-run': { type: 'boolean' },
    'no-sync': { type: 'boolean' },
  },
  async run({ values, positionals }, ctx) {
    const branch = values.branch as string;
    const stack = await readStack(ctx.workspaceRoot);
    const targets = await importTargets(positionals, values, ctx.workspaceRoot, stack.components);
    await refuseTakenIds(ctx.workspaceRoot, stack.components, targets, ctx.env);
    ctx.err(`import: reading ${targets.length} repositor${targets.length === 1 ? 'y' : 'ies'} at the head of ${branch}`);
    const found = await inTurn(targets, 4, (t) => discoverRepository(ctx.config, t.repository, branch, t.crateDir));
    const actions = targets.map((t, i) => planImport(stack.components, t, found[i]!));
    assertDistinct(actions);
    // A new component's entry takes its crate's version; one versions.toml names already gets none.
    const versionsText = await readFile(join(ctx.workspaceRoot, VERSIONS_FILE), 'utf8').catch(() => undefined);
    for (const [i, a] of actions.entries())
      if (a.kind === 'add' && versionsText !== undefined && !namedInVersions(versionsText, a)) Object.assign(a, await versionOf(ctx.config, found[i]!));
    for (const a of actions) {
      ctx.out(describeAction(a));
      if (a.kind === 'add' && a.note) ctx.err(`import: ${a.pin.repository}: ${a.note}`);
    }
    if (values['dry-run']) {
      ctx.out(`dry run: nothing written (${count(actions, 'add')} to add, ${count(actions, 'move')} to move, ${count(actions, 'unchanged')} unchanged)`);
      return 0;
    }
    const entered = await writeImport(ctx.workspaceRoot, stack, actions);
    if (!values['no-sync'] && actions.some((a) => a.kind !== 'unchanged')) {
      ctx.err('import: deriving the graph from the pinned manifests (nx sync)');
      const r = await execa(...nxCommand(ctx.workspaceRoot, ['sync']), { cwd: ctx.workspaceRoot, env: nxEnv(ctx.env), reject: false, all: true });
      if (r.exitCode !== 0) throw new CommandError(`the pins are written, but deriving the graph failed (fix it and run \`npx nx sync\`):\n${String(r.all).trim().split('\n').slice(-20).join('\n')}`);
      if (entered.length) {
        // The new entries' requires are their direct upstreams, known now that the graph is derived.
        const derived = await readStack(ctx.workspaceRoot);
        await addRequires(ctx.workspaceRoot, Object.fromEntries(entered.map((id) => [id, derived.graph.dependencies[id] ?? []])), derived.components);
        ctx.err(`import: versions.toml: ${entered.join(', ')} entered, with requires from the derived graph`);
      }
    } else if (entered.length) {
      ctx.err(`import: versions.toml: ${entered.join(', ')} entered without requires (--no-sync); after \`npx nx sync\`, add each one's direct dependencies (\`npm run cli -- check\` names them)`);
    }
    ctx.out(`imported: ${count(actions, 'add')} added, ${count(actions, 'move')} moved, ${count(actions, 'unchanged')} unchanged; review with \`git diff\`, run \`npm run cli -- check\`, then commit`);
    return 0;
  },
};

/** The version a new component's versions.toml entry gets, from its crate's Cargo.toml at the head (read from the mirror discovery filled). */
async function versionOf(cfg: SourcesConfig, found: DiscoveredRepository): Promise<{ version: string; note?: string }> {
  const mirror = await ensureMirror(cfg, found.repository, { commit: found.head });
  const show = async (path: string) => {
    const r = await git(['show', `${found.head}:${path}`], { cwd: mirror });
    return r.ok ? r.stdout : undefined;
  };
  const dir = found.crate.dir;
  const manifest = await show(dir === '.' ? 'Cargo.toml' : `${dir}/Cargo.toml`);
  if (manifest === undefined) return crateVersion('');
  return crateVersion(manifest, dir === '.' ? undefined : await show('Cargo.toml'));
}

async function importTargets(positionals: string[], values: Record<string, unknown>, root: string, components: readonly Component[]): Promise<ImportTarget[]> {
  const crateDir = values['crate-dir'] as string | undefined;
  const targets: ImportTarget[] = [];
  for (const arg of positionals) {
    const t = parseImportTarget(arg);
    if (typeof t === 'string') throw new UsageError(t);
    targets.push(t);
  }
  if (values.from !== undefined) {
    const owner = values.owner as string | undefined;
    if (!owner || !/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(owner)) throw new UsageError('--from needs --owner <owner> (the organisation its names live under)');
    // Relative to the workspace, or absolute.
    const file = resolve(root, values.from as string);
    const versions = await readVersions(file);
    const keyed: { key: string; target: ImportTarget }[] = [];
    for (const name of versions.buildOrder) {
      const t = parseImportTarget(`${owner}/${name}`);
      if (typeof t === 'string') throw new CommandError(`${file}: ${t}`);
      keyed.push({ key: name, target: t });
    }
    const from = fromTargets(components, targets, keyed);
    if (from.conflicts.length)
      throw new CommandError(`import refused, nothing written:\n  ${from.conflicts.map((c) => describeConflict(file, c)).join('\n  ')}`);
    targets.push(...from.targets);
  }
  if (targets.length === 0) throw new UsageError('name at least one repository (owner/name) or --from <versions.toml>');
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.repository.toLowerCase())) throw new UsageError(`${t.repository} is named twice`);
    seen.add(t.repository.toLowerCase());
  }
  if (crateDir !== undefined) {
    if (targets.length !== 1) throw new UsageError('--crate-dir applies to one repository at a time');
    targets[0]!.crateDir = crateDir;
  }
  return targets;
}

/**
 * A new component's id must be free in the whole workspace: checked before anything is fetched or
 * written, against every Nx project Nx knows of (only when there is something to add: it costs an
 * Nx start-up), so a refusal leaves the workspace as it was.
 */
async function refuseTakenIds(root: string, components: readonly Component[], targets: ImportTarget[], env: NodeJS.ProcessEnv): Promise<void> {
  const added = newComponentIds(components, targets);
  if (added.length === 0) return;
  const taken = added.map((a) => `apps/${a.id}`).filter((f) => existsSync(join(root, f)));
  const problems = idCollisions(added, await workspaceProjects(root, env), taken);
  if (problems.length) throw new CommandError(`import refused, nothing written:\n  ${problems.join('\n  ')}`);
}

/** Two repositories must not become one component, nor a new component take an existing id. */
function assertDistinct(actions: readonly ImportAction[]): void {
  const ids = new Map<string, string>();
  for (const a of actions) {
    const other = ids.get(a.id);
    if (other) throw new CommandError(`${other} and ${a.pin.repository} would both be component "${a.id}"; give one another id with owner/name=<component>`);
    ids.set(a.id, a.pin.repository);
  }
}

const count = (actions: readonly ImportAction[], kind: ImportAction['kind']) => actions.filter((a) => a.kind === kind).length;
