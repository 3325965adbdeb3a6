import { cronProblem } from '../cron';
import { finding, type Rule } from '../rule';
import { get, seqItems, stringValue, triggers } from '../workflow-file';

export const validCron: Rule = {
  id: 'cron',
  why: 'a schedule GitHub cannot read is not an error at push time: the workflow just never runs',
  check(wf) {
    return seqItems(triggers(wf).get('schedule')).flatMap((entry) => {
      const cron = get(entry, 'cron');
      const expression = stringValue(cron);
      if (expression === undefined) return [finding(wf, this.id, wf.lineOf(cron ?? entry), 'schedule entry without a cron string')];
      const problem = cronProblem(expression);
      return problem ? [finding(wf, this.id, wf.lineOf(cron), `cron "${expression}" ${problem}`)] : [];
    });
  },
};
