import { type ComponentGraph, PIN_FILE, type Pin, parsePin } from '@bllvm/manifest';
import { showFile } from '@bllvm/orchestrator';
import { CommandError } from '../command';

/** The whole pin of `component` as this repository recorded it at `rev`. */
export async function readPinAt(root: string, graph: ComponentGraph, rev: string, component: string): Promise<Pin> {
  const path = `${graph.roots[component]}/${PIN_FILE}`;
  const text = await showFile(root, rev, path);
  if (text === undefined) throw new CommandError(`${rev.slice(0, 12)} has no ${path}`);
  return parsePin(text, `${rev.slice(0, 12)}:${path}`);
}
