import { closest } from '../closest';
import { invocationsIn } from '../invocations';
import { finding, type Rule } from '../rule';
import { runScriptsOf } from '../run-script';

export const knownInvocations: Rule = {
  id: 'known-invocations',
  why: 'a misspelt Nx target selects no tasks and "succeeds"; a missing CLI command fails only after hours of queueing',
  check(wf, { facts }) {
    const findings = [];
    const allTargets = new Set([...facts.targets.values()].flatMap((t) => [...t]));
    for (const script of runScriptsOf(wf)) {
      const job = script.job;
      for (const inv of invocationsIn(script.text)) {
        const at = script.positionAt(inv.offset);
        if (inv.kind === 'dynamic') {
          findings.push(finding(wf, this.id, at, `job "${job.id}": ${inv.what} is computed at run time; write it out so it can be checked`, 'write the command or targets out literally; if they must vary, branch with a case over the literal choices'));
        } else if (inv.kind === 'cli') {
          if (!facts.cliCommands.has(inv.command)) {
            const near = closest(inv.command, facts.cliCommands);
            findings.push(
              finding(wf, this.id, at, `job "${job.id}" runs CLI command "${inv.command}", which tools/ship/cli does not have (it has: ${[...facts.cliCommands].sort().join(', ')})`, near ? `run "${near}"` : 'run one of the commands it has, or add the command to tools/ship/cli first'),
            );
          }
        } else if (inv.project !== undefined) {
          const targets = facts.targets.get(inv.project);
          if (!targets) {
            const near = closest(inv.project, facts.targets.keys());
            findings.push(finding(wf, this.id, at, `job "${job.id}" runs nx target ${inv.project}:${inv.target}, but there is no project "${inv.project}" under apps/`, near ? `run ${near}:${inv.target}` : 'name a project under apps/'));
          } else if (!targets.has(inv.target)) {
            const near = closest(inv.target, targets);
            findings.push(
              finding(wf, this.id, at, `job "${job.id}" runs nx target ${inv.project}:${inv.target}, which apps/${inv.project}/project.json does not declare`, near ? `run ${inv.project}:${near}` : `run one of ${[...targets].sort().join(', ')}, or declare ${inv.target} in apps/${inv.project}/project.json`),
            );
          }
        } else if (!allTargets.has(inv.target)) {
          const near = closest(inv.target, allTargets);
          findings.push(finding(wf, this.id, at, `job "${job.id}" runs nx target "${inv.target}", which no project under apps/ declares`, near ? `run the target "${near}"` : `run one of ${[...allTargets].sort().join(', ')}`));
        }
      }
    }
    return findings;
  },
};
