import { stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFolder, DEFAULT_WORKFLOW_DIR, type FolderReport, THIS_REPOSITORY } from './check';
import type { Finding } from './finding';
import { formatGithub } from './formats/github';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { rules } from './rules';
import { listWorkflowFiles } from './workflow-file';
import type { WorkspaceFacts } from './workspace-facts';

/**
 * `npm run lint:workflows -- [paths…] [--format text|sarif|github] [--output FILE]`: the checks
 * of this project on any workflows. Exit 0 when there is nothing to report, 1 with findings, 2 on a
 * usage error or a file that is not YAML (after reporting everything else).
 */
export interface CliIo {
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** What targets and CLI commands exist; default: read from this workspace. */
  facts?: WorkspaceFacts;
}

const FORMATS = ['text', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

/** GitHub's parser has no rule of ours; SARIF and the help list it beside them. */
const PARSER_RULE = { id: 'parser', why: "what GitHub's own workflow parser rejects (schema, expressions, needs, reusable-workflow calls)" };

export const USAGE = `usage: npm run lint:workflows -- [<folder-or-file>...] [--format text|sarif|github] [--output FILE] [--repository OWNER/NAME]

Checks GitHub Actions workflows with GitHub's own workflow parser and the rules below. A folder is
read as a workflow folder, or as a repository whose .github/workflows is read; a file is checked
with the other workflows of its folder as context (runners and reusable workflows are shared).
Without a path: this repository's .github/workflows.

  --format text     file:line:col rule message, with the fix on the next line (default)
  --format sarif    SARIF 2.1.0 for GitHub code scanning
  --format github   ::error annotations for the log of a workflow step
  --output FILE     write the report to FILE instead of standard output
  --repository O/N  whose workflows these are: this orchestrator (${THIS_REPOSITORY}) for its own
                    folder, else a component repository, whose own scripts count as component code

Exit status: 0 no findings, 1 findings, 2 a usage error or a file that is not YAML.

Rules:
${[...rules, PARSER_RULE].map((r) => `  ${r.id.padEnd(31)} ${r.why}`).join('\n')}`;

class UsageError extends Error {}

interface Target {
  dir: string;
  /** Only these files of the folder; undefined for all. */
  only: Set<string> | undefined;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: Options;
  try {
    options = await readArguments(argv, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`lint:workflows: ${e.message} (--help says how to run it)\n`);
    return 2;
  }
  if (options === 'help') {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const shown = (dir: string, file: string) => relative(io.cwd, join(dir, file)).split(sep).join('/') || file;
  const findings: Finding[] = [];
  const problems: string[] = [];
  let files = 0;
  for (const target of options.targets) {
    const repository = options.repository ?? (target.dir === DEFAULT_WORKFLOW_DIR ? THIS_REPOSITORY : undefined);
    const report: FolderReport = await checkFolder(target.dir, { repository, ...(io.facts ? { facts: io.facts } : {}), ...(target.only ? { only: [...target.only] } : {}) });
    files += report.files.length;
    const malformed = new Set(report.malformed.map((m) => m.file));
    for (const m of report.malformed) problems.push(`${shown(target.dir, m.file)}:${m.line}:${m.column}: not YAML: ${m.message}`);
    findings.push(...report.findings.filter((f) => !malformed.has(f.file)).map((f) => ({ ...f, file: shown(target.dir, f.file) })));
  }
  const report =
    options.format === 'sarif' ? formatSarif(findings, [...rules, PARSER_RULE]) : options.format === 'github' ? formatGithub(findings) : formatText(findings);
  const text = report && !report.endsWith('\n') ? `${report}\n` : report;
  if (options.output !== undefined) {
    try {
      await writeFile(resolve(io.cwd, options.output), text);
    } catch (e) {
      io.err(`lint:workflows: cannot write ${options.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  } else {
    io.out(text);
  }
  for (const p of problems) io.err(`lint:workflows: ${p}\n`);
  io.err(`${findings.length ? `${findings.length} finding${findings.length === 1 ? '' : 's'}` : 'no findings'} in ${files} workflow file${files === 1 ? '' : 's'}${options.output ? ` (report in ${options.output})` : ''}\n`);
  return problems.length ? 2 : findings.length ? 1 : 0;
}

type Options = 'help' | { format: Format; output: string | undefined; repository: string | undefined; targets: Target[] };

async function readArguments(argv: readonly string[], io: CliIo): Promise<Options> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { format: { type: 'string' }, output: { type: 'string' }, repository: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    const message = (e as Error).message;
    const option = /'(--?[\w-]+)/.exec(message)?.[1];
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${option} needs a value`);
    throw new UsageError(message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format takes ${FORMATS.join(', ')}, not "${values.format}"`);
  if (values.repository !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(values.repository)) throw new UsageError(`--repository takes OWNER/NAME, not "${values.repository}"`);
  if (values.output === '') throw new UsageError('--output takes a file name');
  const targets = new Map<string, Target>();
  for (const arg of positionals.length ? positionals : [DEFAULT_WORKFLOW_DIR]) {
    const path = resolve(io.cwd, arg);
    const kind = await stat(path).then(
      (s) => (s.isDirectory() ? 'dir' : 'file'),
      () => undefined,
    );
    if (kind === undefined) throw new UsageError(`no such file or folder: ${arg}`);
    if (kind === 'file') {
      if (!/\.ya?ml$/.test(path)) throw new UsageError(`not a workflow file (*.yml, *.yaml): ${arg}`);
      const dir = dirname(path);
      const target = targets.get(dir) ?? { dir, only: new Set<string>() };
      target.only?.add(basename(path));
      targets.set(dir, target);
      continue;
    }
    const nested = join(path, '.github', 'workflows');
    const dir = (await stat(nested).then((s) => s.isDirectory(), () => false)) ? nested : path;
    if (!(await listWorkflowFiles(dir)).length) throw new UsageError(`no workflow files (*.yml, *.yaml) in ${arg}`);
    targets.set(dir, { dir, only: undefined });
  }
  return { format, output: values.output, repository: values.repository, targets: [...targets.values()] };
}
