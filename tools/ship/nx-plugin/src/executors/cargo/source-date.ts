import { execa } from 'execa';
import { sourceDateEpoch } from '@bllvm/hermetic';

/**
 * SOURCE_DATE_EPOCH for a task: the newest committer date among the checkouts it builds from (the
 * component and its upstreams, each at its pin). Read with git outside the sandbox: our question
 * to our own checkouts, not component code.
 */
export async function taskSourceDate(checkouts: readonly string[]): Promise<number> {
  const dates = await Promise.all(
    checkouts.map(async (dir) => {
      const r = await execa('git', ['-C', dir, 'show', '-s', '--format=%ct', 'HEAD'], { reject: false });
      if (r.exitCode !== 0) throw new Error(`cannot read the commit date of the checkout ${dir}: ${String(r.stderr).trim()}`);
      return Number(String(r.stdout).trim());
    }),
  );
  return sourceDateEpoch(dates);
}
