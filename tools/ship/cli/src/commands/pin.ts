import { NameError, isCommitSha, readComponents, refProblem, resolveComponent } from '@bllvm/manifest';
import { commitPinMoves, describeMoves, movesBody, planPinMoves } from '@bllvm/orchestrator';
import { pinCommitProblem } from '@bllvm/sources';
import { type Command, CommandError, UsageError } from '../command';
import { loadGraph } from '../workspace';

export const pinCommand: Command = {
  name: 'pin',
  exclusive: true,
  summary: 'move a component\'s pin to a commit, in a commit (and push with --push)',
  usage: [
    'pin <component> <commit> [--branch <branch>] [--push] [--remote origin] [--push-branch main]',
    '',
    '  Rewrites apps/<component>/pin.toml and commits it, as handle-event and nightly do: a release is',
    '  of the pins a commit records (publishing refuses uncommitted pins), and nightly and release refuse',
    '  to start on uncommitted changes. Refuses when tracked files have uncommitted changes, which the',
    '  commit would take along. <commit> is a full 40-character lowercase hex sha; --branch also changes',
    '  the branch the pin tracks. It is not checked against the repository (that is what handle-event',
    '  does), so a maintainer can try any commit; undo a local try with `git reset --keep HEAD~1`.',
    '  --push pushes the commit to --remote\'s --push-branch, re-applying the move on a lost race.',
    '  <component> is its id, its repository (with or without owner), its crate, or a former name (with a warning).',
  ].join('\n'),
  options: {
    branch: { type: 'string' },
    push: { type: 'boolean' },
    remote: { type: 'string', default: 'origin' },
    'push-branch': { type: 'string', default: 'main' },
  },
  async run({ values, positionals }, ctx) {
    const [name, commit, ...rest] = positionals;
    if (!name || !commit || rest.length) throw new UsageError('expected <component> <commit>');
    const graph = await loadGraph(ctx.workspaceRoot);
    // Read (and so validate) the pin before anything else: a broken file is reported as it is.
    // An id needs only its own pin; another name (repository, crate, former name) may be in any.
    const ids = graph.components.includes(name) ? [name] : graph.components;
    const { component: found, warning } = resolveName(await readComponents(ctx.workspaceRoot, graph, ids), name);
    if (warning) ctx.err(`warning: ${warning}`);
    const { id: component, pinFile: file, pin: current } = found;
    if (!isCommitSha(commit)) throw new CommandError(`"${String(commit).slice(0, 80)}" is not a 40-character lowercase hex commit`);
    const branch = values.branch as string | undefined;
    if (branch !== undefined) {
      const problem = refProblem(branch);
      if (problem) throw new CommandError(`--branch ${problem}`);
    }
    const problem = await pinCommitProblem(ctx.config, { component, repository: current.repository, branch: branch ?? current.branch, commit });
    if (problem) throw new CommandError(`${problem}; refusing to pin it`);
    const result = await commitPinMoves(
      // Forced: a person names the exact commit (checked against its branch above), older or not.
      async (pins) => planPinMoves({ [component]: await pins(component) }, [{ component, to: commit, branch, force: true }]).moves,
      (moves) => `pin ${describeMoves(moves)}\n\nBy hand (bllvm-release pin).\n${movesBody(moves)}`,
      {
        workspaceRoot: ctx.workspaceRoot,
        roots: graph.roots,
        push: values.push ? { remote: values.remote as string, branch: values['push-branch'] as string } : undefined,
        log: ctx.err,
      },
    );
    const [moved] = result.moves;
    if (!moved) {
      ctx.out(`${component}: already pinned at ${commit}`);
      return 0;
    }
    ctx.out(`${component}: ${moved.from.slice(0, 7)} -> ${moved.to.slice(0, 7)}${moved.branch ? ` (branch ${moved.branch})` : ''} (${file})`);
    ctx.out(`commit ${result.commit}`);
    return 0;
  },
};

function resolveName(components: Parameters<typeof resolveComponent>[0], name: string) {
  try {
    return resolveComponent(components, name);
  } catch (e) {
    throw e instanceof NameError ? new CommandError(e.message) : e;
  }
}
