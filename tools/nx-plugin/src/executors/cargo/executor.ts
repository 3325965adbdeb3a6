import type { ExecutorContext } from '@nx/devkit';
import { execa } from 'execa';
export default async function cargoExecutor(options: { command: string }, context: ExecutorContext) {
  const r = await execa('cargo', ['-V']);
  console.log('cargo executor', options.command, context.projectName, r.stdout);
  return { success: true };
}
