import { findComponent, isCommitSha, readComponents, refProblem, writePin } from '@bllvm/manifest';
import { type Command, CommandError, UsageError } from '../command';
import { loadGraph, requireComponent } from '../workspace';

export const pinCommand: Command = {
  name: 'pin',
  summary: 'move a component\'s pin to a commit',
  usage: 'pin <component> <commit> [--branch <branch>]\n\n  Rewrites apps/<component>/pin.toml. <commit> is a full 40-character lowercase hex sha.',
  options: { branch: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    const [component, commit, ...rest] = positionals;
    if (!component || !commit || rest.length) throw new UsageError('expected <component> <commit>');
    const graph = await loadGraph(ctx.workspaceRoot);
    requireComponent(graph, component);
    if (!isCommitSha(commit)) throw new CommandError(`"${String(commit).slice(0, 80)}" is not a 40-character lowercase hex commit`);
    const branch = values.branch as string | undefined;
    if (branch !== undefined) {
      const problem = refProblem(branch);
      if (problem) throw new CommandError(`--branch ${problem}`);
    }
    const { pinFile: file, pin } = findComponent(await readComponents(ctx.workspaceRoot, graph, [component]), component);
    const next = { ...pin, commit, branch: branch ?? pin.branch };
    if (next.commit === pin.commit && next.branch === pin.branch) {
      ctx.out(`${component}: already pinned at ${commit}`);
      return 0;
    }
    await writePin(file, next);
    ctx.out(`${component}: ${pin.commit.slice(0, 7)} -> ${commit.slice(0, 7)} (${file})`);
    return 0;
  },
};
