import type { ExecutorContext } from '@nx/devkit';
import { appendRunLog } from '../../lib/run-log';
import { checkGraphAgainstCargo } from './graph-check';

export default async function graphCheckExecutor(_options: Record<string, never>, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  let ok = false;
  let message: string;
  try {
    const result = await checkGraphAgainstCargo(context.root);
    for (const line of result.lines) (line.startsWith('error') ? console.error : console.log)(line);
    ok = result.ok;
    message = ok ? 'the declared graph covers every sibling dependency in the Cargo manifests' : result.lines.filter((l) => l.startsWith('error')).join('; ');
  } catch (e) {
    message = `graph check: ${(e as Error).message}`;
  }
  (ok ? console.log : console.error)(`${ok ? '✔' : '✖'} ${message}`);
  await appendRunLog({ project: context.projectName!, target: context.targetName!, success: ok, durationMs: Date.now() - started, toolMs: 0, message });
  return { success: ok };
}
