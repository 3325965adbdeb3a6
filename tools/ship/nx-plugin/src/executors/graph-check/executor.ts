import type { ExecutorContext } from '@nx/devkit';
import { readConfig } from '@bllvm/contract';
import { runnerClassProblems } from '@bllvm/manifest';
import { recordTask } from '../../lib/task-record';
import { checkGraphAgainstCargo } from './graph-check';

export default async function graphCheckExecutor(_options: Record<string, never>, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  let ok = false;
  let message: string;
  try {
    const result = await checkGraphAgainstCargo(context.root, readConfig(context.root));
    // Every task must say which runner class runs it (the workflows have one job per class); read
    // from the project graph, so the targets the plugin infers count.
    for (const problem of runnerClassProblems(context.projectsConfigurations.projects)) {
      result.lines.push(`error: ${problem}`);
      result.ok = false;
    }
    for (const line of result.lines) (line.startsWith('error') ? console.error : console.log)(line);
    console.log(`read ${result.cargoRuns} manifest set(s) with cargo (${result.cargoMs} ms); the rest from the cache`);
    ok = result.ok;
    message = ok ? 'the declared graph covers every sibling dependency in the Cargo manifests' : result.lines.filter((l) => l.startsWith('error')).join('; ');
  } catch (e) {
    message = `graph check: ${(e as Error).message}`;
  }
  (ok ? console.log : console.error)(`${ok ? '✔' : '✖'} ${message}`);
  await recordTask(context, { startedAt: started, success: ok, toolMs: 0, message });
  return { success: ok };
}
