import type { Command } from '../command';
import { bisectCommand } from './bisect';
import { buildCommand } from './build';
import { checkCommand } from './check';
import { developCommand } from './develop';
import { handleEventCommand } from './handle-event';
import { importCommand } from './import';
import { pinCommand } from './pin';
import { planCommand } from './plan';
import { rebuildCommand } from './rebuild';
import { restoreCommand } from './restore';
import { nightlyCommand, prereleaseCommand, releaseCommandDef } from './release';
import { tagCommand } from './tag';
import { trialCommand } from './trial';
import { verifyCommand } from './verify';
import { versionCommand } from './version';
import { yankCommand } from './yank';

/** Every command of the CLI; workflows are checked against this list. */
export const commands: Command[] = [
  bisectCommand,
  buildCommand,
  checkCommand,
  developCommand,
  handleEventCommand,
  importCommand,
  nightlyCommand,
  pinCommand,
  planCommand,
  prereleaseCommand,
  rebuildCommand,
  releaseCommandDef,
  restoreCommand,
  tagCommand,
  trialCommand,
  verifyCommand,
  versionCommand,
  yankCommand,
];
