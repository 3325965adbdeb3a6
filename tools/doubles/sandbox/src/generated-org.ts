/**
 * A sandbox org of N generated crates (generated-stack.ts): one bare repository per crate with one
 * commit, for measuring the orchestrator on large stacks. Same git effects as the other profiles
 * (fixed identity and dates: the same N and seed always give the same commit ids).
 */
import { resolve } from 'node:path';
import { commitToBare, initBare } from './git';
import { type GeneratedStack, generateStack, generatedRepositoryFiles } from './generated-stack';
import { assertEmptyOwner, orgAt, type SandboxOrg } from './org-shape';

export interface GeneratedOrgOptions {
  dir: string;
  components: number;
  /** The DAG's seed (default 1). */
  seed?: number;
  /** Repositories created at once (default 8): git is process-bound, more only queues. */
  concurrency?: number;
}

export type GeneratedOrg = SandboxOrg<string> & { profile: 'generated'; stack: GeneratedStack };

export async function createGeneratedOrg(opts: GeneratedOrgOptions): Promise<GeneratedOrg> {
  const stack = generateStack(opts.components, opts.seed ?? 1);
  const root = resolve(opts.dir);
  await assertEmptyOwner(root);
  const org = orgAt<string>('generated', root, stack.repositories.map((r) => r.name));
  const queue = [...stack.repositories];
  const worker = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const spec = r;
      const bare = org.repoPath(spec.name);
      await initBare(bare);
      const head = await commitToBare(bare, 'main', async (tree) => {
        await tree.write(generatedRepositoryFiles(spec));
        return `Initial ${spec.name} crate (bllvm sandbox, generated)`;
      });
      org.heads[spec.name] = head;
      org.history[spec.name] = { initial: head };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  // Filled in completion order; listed in topological order so the org prints deterministically.
  org.heads = Object.fromEntries(org.repositories.map((r) => [r, org.heads[r]!]));
  org.history = Object.fromEntries(org.repositories.map((r) => [r, org.history[r]!]));
  return { ...org, profile: 'generated', stack };
}
