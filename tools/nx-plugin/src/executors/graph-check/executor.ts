import type { ExecutorContext } from '@nx/devkit';
import { checkGraphAgainstCargo } from './graph-check';

export default async function graphCheckExecutor(_options: Record<string, never>, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    const result = await checkGraphAgainstCargo(context.root);
    for (const line of result.lines) (line.startsWith('error') ? console.error : console.log)(line);
    console.log(result.ok ? '✔ the declared graph covers every sibling dependency in the Cargo manifests' : '✖ the declared graph is missing edges');
    return { success: result.ok };
  } catch (e) {
    console.error(`✖ graph check: ${(e as Error).message}`);
    return { success: false };
  }
}
