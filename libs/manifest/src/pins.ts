import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError, ManifestErrors, lineOfKey } from './errors';
import { isCommitSha, printable, refProblem, repositoryProblem } from './refs';
import { parseToml, typeName } from './toml';

/** Which commit of which repository a component is built from. Lives in apps/<component>/pin.toml. */
export interface Pin {
  repository: string;
  branch: string;
  commit: string;
}

export const PIN_FILE = 'pin.toml';
const PIN_KEYS = ['repository', 'branch', 'commit'] as const;
const MAX_PIN_BYTES = 64 * 1024;

export function pinPath(workspaceRoot: string, projectRoot: string): string {
  return join(workspaceRoot, projectRoot, PIN_FILE);
}

export function parsePin(text: string, file: string): Pin {
  if (text.length > MAX_PIN_BYTES) throw new ManifestError(file, `file is larger than ${MAX_PIN_BYTES} bytes`);
  const doc = parseToml(text, file);
  const errors: ManifestError[] = [];
  const at = (field: string) => ({ field, line: lineOfKey(text, field) });
  for (const key of Object.keys(doc)) {
    if (!(PIN_KEYS as readonly string[]).includes(key))
      errors.push(new ManifestError(file, `unknown key "${printable(key)}" (expected ${PIN_KEYS.join(', ')})`, at(key)));
  }
  for (const key of PIN_KEYS) {
    if (!Object.hasOwn(doc, key)) errors.push(new ManifestError(file, 'missing', { field: key }));
    else if (typeof doc[key] !== 'string')
      errors.push(new ManifestError(file, `must be a string, found ${typeName(doc[key])}`, at(key)));
  }
  if (errors.length === 0) {
    const repoProblem = repositoryProblem(doc.repository);
    if (repoProblem) errors.push(new ManifestError(file, repoProblem, at('repository')));
    const branchProblem = refProblem(doc.branch);
    if (branchProblem) errors.push(new ManifestError(file, `branch ${branchProblem}`, at('branch')));
    if (!isCommitSha(doc.commit))
      errors.push(
        new ManifestError(file, `"${printable(String(doc.commit))}" is not a 40-character lowercase hex commit`, at('commit')),
      );
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ManifestErrors(errors);
  return { repository: doc.repository as string, branch: doc.branch as string, commit: doc.commit as string };
}

export function formatPin(pin: Pin): string {
  return [
    `# The commit of ${pin.repository} this orchestrator builds. Moved by \`bllvm-release pin\`, the nightly`,
    '# and dispatch events; the only place this commit is recorded.',
    `repository = "${pin.repository}"`,
    `branch = "${pin.branch}"`,
    `commit = "${pin.commit}"`,
    '',
  ].join('\n');
}

export async function readPin(file: string): Promise<Pin> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ManifestError(file, `cannot read pin: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parsePin(text, file);
}

/** Write atomically (temp file + rename) so an interrupted write never leaves half a pin. */
export async function writePin(file: string, pin: Pin): Promise<void> {
  const text = formatPin(pin);
  parsePin(text, file); // never write what we could not read back
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}


