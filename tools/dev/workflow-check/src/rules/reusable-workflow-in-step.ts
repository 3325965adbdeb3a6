import { finding, type Rule } from '../rule';
import { get, jobs, steps, stringValue } from '../workflow-file';

// ./.github/workflows/x.yml, $/.github/workflows/x.yml, or owner/repo/.github/workflows/x.yml@ref
const REUSABLE = /^(?:[.$]\/|[^/]+\/[^/]+\/)\.github\/workflows\/[^@]+\.ya?ml(?:@.*)?$/;

export const reusableWorkflowInStep: Rule = {
  id: 'reusable-workflow-in-step',
  why: 'GitHub runs a reusable workflow only as a whole job (jobs.<id>.uses); a step that names one fails the run',
  check(wf) {
    return jobs(wf).flatMap((job) =>
      steps(job).flatMap((step) => {
        const uses = get(step, 'uses');
        const ref = stringValue(uses);
        if (!ref || !REUSABLE.test(ref)) return [];
        return [
          finding(
            wf,
            this.id,
            wf.positionOf(uses),
            `job "${job.id}" calls the reusable workflow ${ref} from a step; call it as a job: jobs.<id>.uses: ${ref}`,
            `move the step into a job of its own, "jobs: { <id>: { needs: ${job.id}, uses: ${ref} } }", with its with: (and secrets:) under that job`,
          ),
        ];
      }),
    );
  },
};
