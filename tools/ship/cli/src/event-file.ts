import { readFile, stat } from 'node:fs/promises';
import { MAX_EVENT_BYTES } from '@bllvm/events';
import { CommandError } from './command';

/**
 * An event file as GitHub writes it ($GITHUB_EVENT_PATH), read as untrusted JSON: bounded in size
 * before it is read, and a refusal naming the file when it is not JSON. What it says is parsed by
 * libs/events (parseEvent).
 */
export async function readEventFile(file: string): Promise<unknown> {
  const size = await stat(file).then((s) => s.size, () => -1);
  if (size < 0) throw new CommandError(`cannot read event file ${file}`);
  if (size > MAX_EVENT_BYTES) throw new CommandError(`event rejected: ${file} is larger than ${MAX_EVENT_BYTES} bytes`);
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new CommandError(`event rejected: ${file} is not valid JSON (${(e as Error).message})`);
  }
}
