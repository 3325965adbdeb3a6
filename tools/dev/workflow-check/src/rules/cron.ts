import { cronProblem } from '../cron';
import { finding, type Rule } from '../rule';
import { get, seqItems, stringValue, triggers } from '../workflow-file';

const EXAMPLE = "cron: '0 2 * * *' (02:00 UTC every day): minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT";

export const validCron: Rule = {
  id: 'cron',
  why: 'a schedule GitHub cannot read is not an error at push time: the workflow just never runs',
  check(wf) {
    return seqItems(triggers(wf).get('schedule')).flatMap((entry) => {
      const cron = get(entry, 'cron');
      const expression = stringValue(cron);
      if (expression === undefined) return [finding(wf, this.id, wf.positionOf(cron ?? entry), 'schedule entry without a cron string', `give the entry a quoted five-field schedule: ${EXAMPLE}`)];
      const problem = cronProblem(expression);
      return problem ? [finding(wf, this.id, wf.positionOf(cron), `cron "${expression}" ${problem}`, `write five fields GitHub accepts, e.g. ${EXAMPLE}`)] : [];
    });
  },
};
