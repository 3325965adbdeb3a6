/**
 * For the `tag` integration tests only: a three-crate stack (consensus → protocol → node) pinned
 * in a bare workspace over a sandbox org (bare repositories over file://) and the local cargo
 * registry. bllvm-protocol's pin is a commit whose Cargo.toml depends on consensus through
 * `depLine` (an inline table with a comment), so a release commit has a requirement to rewrite.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { type CargoRegistry, startCargoRegistry } from '@bllvm/cargo-registry';
import { formatPin } from '@bllvm/manifest';
import { type SandboxOrg, addCommit, createSandboxOrg } from '@bllvm/sandbox';
import { runCli } from '../main';

const GIT = ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false'];
export const TAG_COMPONENTS = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node'] as const;
const DEPS: Record<string, string[]> = { 'bllvm-consensus': [], 'bllvm-protocol': ['bllvm-consensus'], 'bllvm-node': ['bllvm-consensus', 'bllvm-protocol'] };

export interface TagStack {
  tmp: string;
  org: SandboxOrg;
  registry: CargoRegistry;
  /** The workspace: nx.json, versions.toml and apps/<c>/{project.json,pin.toml}, committed. */
  ws: string;
  pins: Record<string, string>;
  git(cwd: string, ...args: string[]): Promise<string>;
  /** A component's bare repository. */
  bare(component: string): string;
  /** The CLI in-process in the workspace, with only what it needs of the environment. */
  cli(args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** refs/tags/* of a component's repository: tag → peeled commit. */
  tagsOf(component: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startTagStack(o: { prefix: string; versions: string; depLine: string; gitignore: string; linkNodeModules?: boolean }): Promise<TagStack> {
  const tmp = await mkdtemp(join(tmpdir(), o.prefix));
  const git = async (cwd: string, ...args: string[]) =>
    (await execa('git', [...GIT, ...args], { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } })).stdout.trim();
  const org = await createSandboxOrg({ dir: join(tmp, 'org') });
  const registry = await startCargoRegistry({ seed: true });
  const bare = (c: string) => org.repoPath(c as (typeof TAG_COMPONENTS)[number]);
  const pins: Record<string, string> = {};
  const protocol = await git(bare('bllvm-protocol'), 'show', 'main:Cargo.toml');
  const edited = protocol.replace(/^bllvm-consensus = \{[^\n]*\}$/m, o.depLine);
  if (!edited.includes(o.depLine)) throw new Error(`bllvm-protocol's Cargo.toml has no bllvm-consensus line to replace:\n${protocol}`);
  pins['bllvm-protocol'] = await addCommit(org, 'bllvm-protocol', { files: { 'Cargo.toml': `${edited}\n` }, message: 'Depend on the rules by version' });
  pins['bllvm-consensus'] = org.heads['bllvm-consensus'];
  pins['bllvm-node'] = org.heads['bllvm-node'];

  const ws = join(tmp, 'ws');
  await mkdir(ws, { recursive: true });
  await writeFile(join(ws, 'nx.json'), '{}\n');
  await writeFile(join(ws, 'versions.toml'), o.versions);
  await writeFile(join(ws, '.gitignore'), o.gitignore);
  for (const id of TAG_COMPONENTS) {
    await mkdir(join(ws, 'apps', id), { recursive: true });
    await writeFile(join(ws, 'apps', id, 'project.json'), JSON.stringify({ name: id, tags: ['component', 'kind:library'], implicitDependencies: DEPS[id] }));
    await writeFile(join(ws, 'apps', id, 'pin.toml'), formatPin({ repository: `BTCDecoded/${id}`, branch: 'main', commit: pins[id]! }));
  }
  await git(ws, 'init', '--quiet');
  await git(ws, 'add', '-A');
  await git(ws, 'commit', '--quiet', '-m', 'the stack');
  // `release` runs Nx (its graph sync, its tasks) from the workspace's node_modules.
  if (o.linkNodeModules) await symlink(join(process.cwd(), 'node_modules'), join(ws, 'node_modules'));

  return {
    tmp,
    org,
    registry,
    ws,
    pins,
    git,
    bare,
    async cli(args) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, {
        cwd: ws,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, BLLVM_GIT_BASE_URL: org.gitBaseUrl, BLLVM_WORK_DIR: join(tmp, 'bllvm-work'), BLLVM_CARGO_REGISTRY: registry.indexUrl, BLLVM_LOCK_WAIT_SECONDS: '5' },
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
    async tagsOf(c) {
      const listed = await git(bare(c), 'for-each-ref', '--format=%(refname:short) %(*objectname)%(objectname)', 'refs/tags');
      return Object.fromEntries(
        listed
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const [name, ids] = l.split(' ');
            return [name!, ids!.slice(0, 40)];
          }),
      );
    },
    async stop() {
      await registry.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
