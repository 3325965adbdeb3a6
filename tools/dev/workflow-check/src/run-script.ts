import { isScalar, type Node, Scalar } from 'yaml';
import type { Position } from './finding';
import { parseShell, type ShellScript } from './shell';
import { get, type JobNode, jobs, runsOnLabels, steps, stringValue, type WorkflowFile } from './workflow-file';

/**
 * A run script as the shell gets it (a block scalar without its `|` header and its indentation),
 * with every offset of that text mapped back to its line and column in the workflow file.
 */
export interface RunScript {
  job: JobNode;
  step: Node;
  node: Scalar;
  text: string;
  shell: StepShell;
  positionAt(offset: number): Position;
  /** The script read as shell; undefined for a step that runs another language. */
  parsed: ShellScript | undefined;
}

/** How GitHub runs a step's script: which shell, and with which of -e and -o pipefail. */
export interface StepShell {
  /** As written in the workflow, or GitHub's default for the runner. */
  name: string;
  posix: boolean;
  errexit: boolean;
  pipefail: boolean;
  /** Written in the workflow (step, job or workflow defaults), not GitHub's default. */
  explicit: boolean;
}

const read = new WeakMap<WorkflowFile, RunScript[]>();

/** Every run script of every step, in file order (read once per workflow). */
export function runScriptsOf(wf: WorkflowFile): RunScript[] {
  const known = read.get(wf);
  if (known) return known;
  const found: RunScript[] = [];
  read.set(wf, found);
  for (const job of jobs(wf)) {
    for (const step of steps(job)) {
      const node = get(step, 'run');
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range) continue;
      const shell = stepShell(wf, job, step);
      const { text, segments } = scriptText(wf.source, node);
      const positionAt = (offset: number): Position => {
        let seg = segments[0]!;
        for (const s of segments) if (s.text <= offset) seg = s;
        return wf.positionAt(Math.min(seg.source + (offset - seg.text), node.range![1]));
      };
      found.push({ job, step, node, text, shell, positionAt, parsed: shell.posix ? parseShell(text) : undefined });
    }
  }
  return found;
}

/**
 * GitHub's rules: `bash` means `bash --noprofile --norc -eo pipefail {0}`, `sh` means `sh -e {0}`;
 * with nothing set a Linux or macOS runner uses `bash -e {0}` (no pipefail) and a Windows one
 * PowerShell. A custom shell runs exactly as written.
 */
export function stepShell(wf: WorkflowFile, job: JobNode, step: Node): StepShell {
  const defaults = (node: unknown) => stringValue(get(get(get(node, 'defaults'), 'run'), 'shell'));
  const written = stringValue(get(step, 'shell')) ?? defaults(job.node) ?? defaults(wf.doc.contents);
  if (written === undefined) {
    const windows = runsOnLabels(job).some((l) => /windows/i.test(l));
    return windows
      ? { name: 'pwsh', posix: false, errexit: false, pipefail: false, explicit: false }
      : { name: 'bash -e {0}', posix: true, errexit: true, pipefail: false, explicit: false };
  }
  if (written === 'bash') return { name: written, posix: true, errexit: true, pipefail: true, explicit: true };
  if (written === 'sh') return { name: written, posix: true, errexit: true, pipefail: false, explicit: true };
  const posix = /^\s*(?:\S*\/)?(?:bash|sh|dash|zsh|ksh)\b/.test(written);
  const flags = written.match(/(?<=\s)-[A-Za-z]+/g) ?? [];
  return {
    name: written,
    posix,
    errexit: flags.some((f) => f.includes('e')) || /\berrexit\b/.test(written),
    pipefail: /\bpipefail\b/.test(written),
    explicit: true,
  };
}

interface Segment {
  /** Offset in the script text. */
  text: number;
  /** Offset in the workflow source it came from. */
  source: number;
}

/** The script text of a run scalar and where each of its pieces came from. */
function scriptText(source: string, node: Scalar): { text: string; segments: Segment[] } {
  const [start, valueEnd] = node.range!;
  const raw = source.slice(start, valueEnd);
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) return blockText(raw, start, node.type === Scalar.BLOCK_FOLDED);
  if (node.type === Scalar.PLAIN && !raw.includes('\n')) return { text: raw, segments: [{ text: 0, source: start }] };
  // Quoted or multi-line flow scalars: escapes and folding change the text, so every offset maps
  // to where the value starts (such scripts are one-liners in practice).
  return { text: String(node.value), segments: [{ text: 0, source: start + (node.type === Scalar.PLAIN ? 0 : 1) }] };
}

/**
 * A block scalar's lines without the header line and the block's indentation. A folded block
 * joins lines with a space, as YAML does, keeping every offset; blank and more-indented lines keep
 * their line breaks.
 */
function blockText(raw: string, start: number, folded: boolean): { text: string; segments: Segment[] } {
  const headerEnd = raw.indexOf('\n');
  if (headerEnd < 0) return { text: '', segments: [{ text: 0, source: start }] };
  const lines: { text: string; offset: number }[] = [];
  let offset = headerEnd + 1;
  for (const line of raw.slice(headerEnd + 1).split('\n')) {
    lines.push({ text: line, offset });
    offset += line.length + 1;
  }
  if (lines.length && lines[lines.length - 1]!.text === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.text.trim()).map((l) => /^ */.exec(l.text)![0].length), Infinity);
  const segments: Segment[] = [];
  let text = '';
  lines.forEach((line, i) => {
    const cut = Math.min(indent === Infinity ? 0 : indent, /^ */.exec(line.text)![0].length);
    segments.push({ text: text.length, source: start + line.offset + cut });
    text += line.text.slice(cut);
    if (i < lines.length - 1) {
      const next = lines[i + 1]!;
      const joins = folded && line.text.trim() !== '' && next.text.trim() !== '' && !/^\s/.test(line.text.slice(cut)) && !/^\s/.test(next.text.slice(cut));
      text += joins ? ' ' : '\n';
    }
  });
  if (!segments.length) segments.push({ text: 0, source: start });
  return { text: `${text}\n`, segments };
}
