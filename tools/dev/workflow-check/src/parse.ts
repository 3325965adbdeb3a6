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
    rule: 'parser',
    message: e.rawMessage,
  }));
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
