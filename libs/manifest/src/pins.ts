import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError, ManifestErrors, lineOfKey } from './errors';
import { isCommitSha, printable, refProblem, repositoryProblem } from './refs';
import { parseToml, typeName } from './toml';

/**
 * Which commit of which repository a component is built from, and where its crate is in that
 * commit. Lives in apps/<component>/pin.toml. Everything a rename or a move changes (repository,
 * crate name, crate folder) is here, so a pin moves across one in a single commit of one file.
 */
export interface Pin {
  repository: string;
  branch: string;
  commit: string;
  /** The crate's package name at this commit; undefined: whatever its Cargo.toml says. */
  crate?: string;
  /** The crate's folder inside the repository, relative ('.' or e.g. "blvm-commons"); undefined: the root. */
  crateDir?: string;
  /** Names the component, its repository or its crate had before; events, versions.toml and `pin` accept them with a warning. */
  formerNames?: string[];
}

export const PIN_FILE = 'pin.toml';
const PIN_KEYS = ['repository', 'branch', 'commit'] as const;
const OPTIONAL_KEYS = ['crate', 'crate-dir', 'former-names'] as const;
const ALL_KEYS: readonly string[] = [...PIN_KEYS, ...OPTIONAL_KEYS];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
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
    if (!ALL_KEYS.includes(key))
      errors.push(new ManifestError(file, `unknown key "${printable(key)}" (expected ${PIN_KEYS.join(', ')}; optional ${OPTIONAL_KEYS.join(', ')})`, at(key)));
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
  if (doc.crate !== undefined && !(typeof doc.crate === 'string' && NAME.test(doc.crate)))
    errors.push(new ManifestError(file, `must be a crate name ([A-Za-z0-9._-], up to 100), found ${describe(doc.crate)}`, at('crate')));
  if (doc['crate-dir'] !== undefined) {
    const problem = crateDirProblem(doc['crate-dir']);
    if (problem) errors.push(new ManifestError(file, problem, at('crate-dir')));
  }
  const former = doc['former-names'];
  if (former !== undefined && !(Array.isArray(former) && former.length <= 20 && former.every((n) => typeof n === 'string' && NAME.test(n))))
    errors.push(new ManifestError(file, `must be an array of up to 20 names ([A-Za-z0-9._-]), found ${describe(former)}`, at('former-names')));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ManifestErrors(errors);
  const pin: Pin = { repository: doc.repository as string, branch: doc.branch as string, commit: doc.commit as string };
  if (doc.crate !== undefined) pin.crate = doc.crate as string;
  if (doc['crate-dir'] !== undefined && doc['crate-dir'] !== '.') pin.crateDir = doc['crate-dir'] as string;
  if (former !== undefined && (former as string[]).length > 0) pin.formerNames = [...(former as string[])];
  return pin;
}

const describe = (v: unknown) => (typeof v === 'string' ? `"${printable(v)}"` : typeName(v));

/** A relative folder inside the checkout: no absolute path, no `..`, nothing a shell or git option could misread. */
export function crateDirProblem(dir: unknown): string | undefined {
  if (typeof dir !== 'string') return `must be a string, found ${typeName(dir)}`;
  if (dir === '.') return undefined;
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(dir) || dir.length > 200 || dir.split('/').some((p) => p === '.' || p === '..'))
    return `"${printable(dir)}" is not a relative folder inside the repository (letters, digits, . _ - and /; no "..")`;
  return undefined;
}

/** The repository's name without its owner: the folder its checkout gets, so `../<repo>` paths resolve. */
export function repositoryName(repository: string): string {
  return repository.slice(repository.indexOf('/') + 1);
}

export function formatPin(pin: Pin): string {
  return [
    `# The commit of ${pin.repository} this orchestrator builds. Moved by \`bllvm-release pin\`, the nightly`,
    '# and dispatch events; the only place this commit is recorded.',
    `repository = "${pin.repository}"`,
    `branch = "${pin.branch}"`,
    `commit = "${pin.commit}"`,
    ...(pin.crate !== undefined ? [`crate = "${pin.crate}"`] : []),
    ...(pin.crateDir !== undefined && pin.crateDir !== '.' ? [`crate-dir = "${pin.crateDir}"`] : []),
    ...(pin.formerNames?.length ? [`former-names = [${pin.formerNames.map((n) => `"${n}"`).join(', ')}]`] : []),
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


