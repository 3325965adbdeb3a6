import { type ComponentGraph, PIN_FILE, parsePin } from '@bllvm/manifest';
import { showFile } from './repo';

/** The pin files a commit of this repository recorded, as text (undefined for components it did not have). */
export async function pinFilesAt(root: string, graph: ComponentGraph, rev: string): Promise<Record<string, string | undefined>> {
  const files: Record<string, string | undefined> = {};
  for (const component of graph.components) files[component] = await showFile(root, rev, `${graph.roots[component]}/${PIN_FILE}`);
  return files;
}

/** The pinned commits a revision of this repository recorded (`HEAD` or a commit; undefined where absent). */
export async function pinsAt(root: string, graph: ComponentGraph, rev: string): Promise<Record<string, string | undefined>> {
  const files = await pinFilesAt(root, graph, rev);
  const pins: Record<string, string | undefined> = {};
  for (const component of graph.components) {
    const text = files[component];
    pins[component] = text === undefined ? undefined : parsePin(text, `${rev.slice(0, 7)}:${graph.roots[component]}/${PIN_FILE}`).commit;
  }
  return pins;
}

/** Two revisions record the same pin files (commit, branch and repository alike), all present. */
export async function samePins(root: string, graph: ComponentGraph, a: string, b: string): Promise<boolean> {
  const [before, now] = await Promise.all([pinFilesAt(root, graph, a), pinFilesAt(root, graph, b)]);
  return graph.components.every((c) => before[c] !== undefined && before[c] === now[c]);
}
