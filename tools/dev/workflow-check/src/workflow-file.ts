import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import type { Position } from './finding';

/**
 * A workflow as our rules see it: the YAML tree with source positions. GitHub's parser answers
 * "is this a valid workflow"; the rules need to point at lines of the text as written.
 */
export interface WorkflowFile {
  /** File name relative to the checked folder, as findings report it. */
  name: string;
  source: string;
  doc: Document.Parsed;
  lineOf(node: Node | null | undefined): number;
  lineAt(offset: number): number;
  /** 1-based line and column of an offset into the source. */
  positionAt(offset: number): Position;
  /** Where a node starts; line and column 0 for a node without a position. */
  positionOf(node: Node | null | undefined): Position;
}

export function readWorkflowSource(name: string, source: string): WorkflowFile {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const positionAt = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const lineAt = (offset: number) => positionAt(offset).line;
  return {
    name,
    source,
    doc,
    lineAt,
    positionAt,
    lineOf: (node) => (node?.range ? lineAt(node.range[0]) : 0),
    positionOf: (node) => (node?.range ? positionAt(node.range[0]) : { line: 0, column: 0 }),
  };
}

/** Workflow files GitHub would load from a folder: *.yml and *.yaml, not recursive. */
export async function listWorkflowFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

export async function loadWorkflowFile(dir: string, name: string): Promise<WorkflowFile> {
  return readWorkflowSource(name, await readFile(join(dir, name), 'utf8'));
}

// Small accessors over the YAML tree; a workflow that is not shaped as expected yields nothing
// here and is reported by GitHub's parser instead.

export function get(node: unknown, key: string): Node | undefined {
  return isMap(node) ? (node.get(key, true) as Node | undefined) : undefined;
}

export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function mapEntries(node: unknown): { key: string; keyNode: Scalar; value: Node | undefined }[] {
  if (!isMap(node)) return [];
  return (node as YAMLMap).items.flatMap((pair) =>
    isScalar(pair.key) ? [{ key: String(pair.key.value), keyNode: pair.key, value: (pair.value ?? undefined) as Node | undefined }] : [],
  );
}

export function seqItems(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

export interface JobNode {
  id: string;
  idNode: Scalar;
  node: Node | undefined;
}

export function jobs(wf: WorkflowFile): JobNode[] {
  return mapEntries(get(wf.doc.contents, 'jobs')).map((e) => ({ id: e.key, idNode: e.keyNode, node: e.value }));
}

/** The labels a job's runs-on names (`x`, `[x, y]` or `{ group, labels }`). */
export function runsOnLabels(job: JobNode): string[] {
  const runsOn = get(job.node, 'runs-on');
  const labelsNode = get(runsOn, 'labels') ?? (isMap(runsOn) ? undefined : runsOn);
  return isScalar(labelsNode) ? [String(labelsNode.value)] : seqItems(labelsNode).flatMap((n) => (isScalar(n) ? [String(n.value)] : []));
}

export function steps(job: JobNode): Node[] {
  return seqItems(get(job.node, 'steps'));
}

/** Event names a workflow is triggered by, whichever of the three `on:` forms it uses. */
export function triggers(wf: WorkflowFile): Map<string, Node | undefined> {
  const on = get(wf.doc.contents, 'on');
  const names = new Map<string, Node | undefined>();
  if (isScalar(on)) names.set(String(on.value), undefined);
  for (const item of seqItems(on)) if (isScalar(item)) names.set(String(item.value), undefined);
  for (const e of mapEntries(on)) names.set(e.key, e.value);
  return names;
}

/** The source text a node was written as (block scalars keep their lines, so offsets map back). */
export function sourceOf(wf: WorkflowFile, node: Node): { text: string; offset: number } | undefined {
  if (!node.range) return undefined;
  return { text: wf.source.slice(node.range[0], node.range[1]), offset: node.range[0] };
}
