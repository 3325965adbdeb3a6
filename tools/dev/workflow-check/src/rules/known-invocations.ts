import { invocationsIn } from '../invocations';
import { finding, type Rule } from '../rule';
import { runScripts, sourceOf } from '../workflow-file';

export const knownInvocations: Rule = {
  id: 'known-invocations',
  why: 'a misspelt Nx target selects no tasks and "succeeds"; a missing CLI command fails only after hours of queueing',
  check(wf, { facts }) {
    const findings = [];
    const allTargets = new Set([...facts.targets.values()].flatMap((t) => [...t]));
    for (const { job, script } of runScripts(wf)) {
      const src = sourceOf(wf, script);
      if (!src) continue;
      for (const inv of invocationsIn(src.text)) {
        const line = wf.lineAt(src.offset + inv.offset);
        if (inv.kind === 'dynamic') {
          findings.push(finding(wf, this.id, line, `job "${job.id}": ${inv.what} is computed at run time; write it out so it can be checked`));
        } else if (inv.kind === 'cli') {
          if (!facts.cliCommands.has(inv.command))
            findings.push(finding(wf, this.id, line, `job "${job.id}" runs CLI command "${inv.command}", which tools/ship/cli does not have (it has: ${[...facts.cliCommands].sort().join(', ')})`));
        } else if (inv.project !== undefined) {
          const targets = facts.targets.get(inv.project);
          if (!targets) findings.push(finding(wf, this.id, line, `job "${job.id}" runs nx target ${inv.project}:${inv.target}, but there is no project "${inv.project}" under apps/`));
          else if (!targets.has(inv.target)) findings.push(finding(wf, this.id, line, `job "${job.id}" runs nx target ${inv.project}:${inv.target}, which apps/${inv.project}/project.json does not declare`));
        } else if (!allTargets.has(inv.target)) {
          findings.push(finding(wf, this.id, line, `job "${job.id}" runs nx target "${inv.target}", which no project under apps/ declares`));
        }
      }
    }
    return findings;
  },
};
