import type { Command } from '../command';
import { checkCommand } from './check';
import { pinCommand } from './pin';
import { planCommand } from './plan';

/** Every command of the CLI; workflows are checked against this list. */
export const commands: Command[] = [checkCommand, pinCommand, planCommand];
