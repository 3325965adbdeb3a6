import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { File } from '@actions/workflow-parser/workflows/file';
import type { FileProvider } from '@actions/workflow-parser/workflows/file-provider';
import { fileIdentifier, type FileReference } from '@actions/workflow-parser/workflows/file-reference';
import type { Finding } from './finding';
import { get, jobs, stringValue, type WorkflowFile } from './workflow-file';

/**
 * GitHub's own parser: schema (unknown keys, wrong types), expressions, `needs`, cron, and with
 * a file provider the inputs and secrets passed to reusable workflows of this repository.
 */
export async function parserFindings(dir: string, wf: WorkflowFile, ownRepository?: string): Promise<Finding[]> {
  const parsed = parseWorkflow({ name: wf.name, content: wf.source }, new NoOperationTraceWriter());
  // The schema pass stops short of conversion when it fails, and cron, `needs` and reusable
  // workflow calls are only checked by the conversion: fix the schema errors to see those.
  if (parsed.value && parsed.context.errors.count === 0) {
    const calls = jobs(wf).flatMap((job) => stringValue(get(job.node, 'uses')) ?? []);
    // Callees are read only when all of them are on disk: one the provider cannot reach would
    // be reported as missing although GitHub would find it.
    const fetch = calls.length > 0 && calls.every((ref) => workflowInThisRepository(ref, ownRepository) !== undefined);
    await convertWorkflowTemplate(parsed.context, parsed.value, localProvider(dir, ownRepository), { fetchReusableWorkflowDepth: fetch ? 1 : 0 });
  }
  return parsed.context.errors.getErrors().map((e) => ({
    // Errors inside a callee read for this file carry the callee's name; they belong to it.
    file: fileOf(e.prefix) ?? wf.name,
    line: e.range?.start.line ?? 0,
    column: e.range?.start.column ?? 0,
    rule: 'parser',
    message: e.rawMessage,
    fix: parserFix(e.rawMessage),
  }));
}

/** What to do about what GitHub's parser says, for the messages it gives most. */
export function parserFix(message: string): string {
  const m = (re: RegExp) => re.exec(message);
  let x: RegExpExecArray | null;
  if ((x = m(/^Unexpected value '([^']+)'/))) return `remove or rename "${x[1]}": it is not a key GitHub knows here (see the workflow syntax reference for the keys this place takes)`;
  if ((x = m(/depends on unknown job '([^']+)'/))) return `name an existing job in needs:, or add a job "${x[1]}"`;
  if (m(/creates a cycle in the dependency graph/)) return 'fix the needs: this chain starts from; the jobs downstream of a broken needs: are reported too';
  if ((x = m(/^Unrecognized named-value: '([^']+)'/))) return `use a context GitHub has (github, env, vars, job, steps, runner, secrets, strategy, matrix, needs, inputs) instead of "${x[1]}"`;
  if ((x = m(/^Invalid input, (\S+) is not defined in the referenced workflow/))) return `remove "${x[1]}" from with:, or declare it under on.workflow_call.inputs of the called workflow`;
  if ((x = m(/^Input (\S+) is required, but not provided/))) return `pass "${x[1]}" under with:`;
  if ((x = m(/^Secret (\S+) is required, but not provided/))) return `pass "${x[1]}" under secrets: (or secrets: inherit)`;
  if (m(/Invalid cron expression/)) return "write five fields GitHub accepts, e.g. cron: '0 2 * * *'";
  if ((x = m(/^Required property is missing: (\S+)/))) return `add the missing "${x[1]}"`;
  return 'change the workflow so GitHub accepts it: the message is GitHub\'s own parser\'s';
}

/** "x.yml (Line: 3, Col: 5)" → x.yml */
function fileOf(prefix: string | undefined): string | undefined {
  return prefix?.replace(/ \(Line: \d+, Col: \d+\)$/, '') || undefined;
}

/**
 * The file name in .github/workflows/ that a `uses:` names, if it is a workflow of this
 * repository: `./.github/workflows/x.yml`, `$/.github/workflows/x.yml`, or `<this repo>/.github/workflows/x.yml@ref`.
 */
export function workflowInThisRepository(ref: string, ownRepository?: string): string | undefined {
  const local = /^(?:\.|\$)\/\.github\/workflows\/([^/]+\.ya?ml)$/.exec(ref);
  if (local) return local[1];
  const remote = /^([^/]+\/[^/]+)\/\.github\/workflows\/([^/@]+\.ya?ml)@.+$/.exec(ref);
  if (remote && ownRepository && remote[1]!.toLowerCase() === ownRepository.toLowerCase()) return remote[2];
  return undefined;
}

function localProvider(dir: string, ownRepository?: string): FileProvider {
  return {
    async getFileContent(ref: FileReference): Promise<File> {
      const name = workflowInThisRepository(fileIdentifier(ref), ownRepository);
      if (!name) throw new Error(`${fileIdentifier(ref)} is not a workflow of this repository`);
      return { name, content: await readFile(join(dir, name), 'utf8') };
    },
  };
}
