import { finding, type Rule } from '../rule';
import { get, jobs, steps, stringValue, type WorkflowFile } from '../workflow-file';

/**
 * A tag or branch of someone else's repository can be moved to other code at any time (as happened
 * to tj-actions/changed-files): a workflow that holds release tokens runs whatever it points to
 * today. A full commit SHA cannot move. The version stays readable in a comment beside it.
 *
 * Workflows of the stack's own organisation (the owners of the pinned repositories) are exempt:
 * the same maintainers review them, and pinning the orchestrator's notify workflow by SHA in ten
 * component repositories would make every change to it ten pull requests.
 */
const PINNED = /@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v?\d+(?:\.\d+)*\b/;

export const pinnedActions: Rule = {
  id: 'pinned-actions',
  why: "a tag of another repository can be moved to other code; only a full commit SHA names what runs",
  check(wf, { facts }) {
    const findings = [];
    for (const job of jobs(wf)) {
      const uses = [get(job.node, 'uses'), ...steps(job).map((s) => get(s, 'uses'))];
      for (const node of uses) {
        const ref = stringValue(node);
        if (ref === undefined || ref.startsWith('./') || ref.startsWith('docker://')) continue;
        if (facts.owners.has(ref.split('/')[0]!)) continue;
        const [path, version] = ref.split('@') as [string, string | undefined];
        const repository = path.split('/').slice(0, 2).join('/');
        if (!PINNED.test(ref)) {
          findings.push(
            finding(
              wf,
              this.id,
              wf.positionOf(node),
              `job "${job.id}" uses ${ref}, which can move; pin it to a full commit SHA with the version in a comment (uses: ${path}@<40-hex> # ${version ?? 'vX.Y.Z'})`,
              `write "uses: ${path}@<sha> # ${version ?? 'vX.Y.Z'}", where <sha> is the commit ${version ? `\`git ls-remote https://github.com/${repository} ${version}\`` : `the release of https://github.com/${repository} you mean`} names (the peeled ^{} line for a tag)`,
            ),
          );
        } else if (!VERSION_COMMENT.test(commentAfter(wf, node) ?? '')) {
          findings.push(
            finding(
              wf,
              this.id,
              wf.positionOf(node),
              `job "${job.id}" uses ${ref} without the version it is in a comment (# vX.Y.Z), so nobody can tell what it is or when to update it`,
              `add the tag the commit is after it: "uses: ${ref} # vX.Y.Z" (\`git ls-remote --tags https://github.com/${repository}\` lists which tag points at ${version!.slice(0, 12)})`,
            ),
          );
        }
      }
    }
    return findings;
  },
};

function commentAfter(wf: WorkflowFile, node: unknown): string | undefined {
  const n = node as { comment?: string | null; range?: [number, number, number] };
  if (n.comment) return n.comment;
  if (!n.range) return undefined;
  const rest = wf.source.slice(n.range[1]).split('\n')[0] ?? '';
  return /#(.*)$/.exec(rest)?.[1];
}
