import { DEP_TABLES, type Table, isTable } from './cargo-paths';

/**
 * The download step has the network, so what a manifest can make cargo connect to is checked
 * first: dependencies come from the stack's own checkouts (paths) or the configured registry, and
 * nothing else. A `git` source or a registry named by URL in a manifest could point cargo at any
 * address the runner reaches (127.0.0.1 included). Pure: a parsed manifest in, problems out.
 */
/** Keys of a dependency that name where cargo fetches it from, other than the default registry. */
const REMOTE_KEYS = ['git', 'registry', 'registry-index'];

function check(table: unknown, where: string, out: string[]): void {
  if (!isTable(table)) return;
  for (const [name, spec] of Object.entries(table)) {
    if (!isTable(spec)) continue;
    for (const key of REMOTE_KEYS)
      if (key in spec) out.push(`${where}.${name} has ${key} = ${JSON.stringify(String(spec[key])).slice(0, 120)}: dependencies come from the stack's checkouts or the configured registry only`);
  }
}

/** Every dependency (any table, [patch] and [replace] included) that names a source other than a path or the default registry. */
export function remoteSourceProblems(doc: Table): string[] {
  const out: string[] = [];
  for (const t of DEP_TABLES) check(doc[t], t, out);
  if (isTable(doc.target)) for (const [target, tables] of Object.entries(doc.target)) if (isTable(tables)) for (const t of DEP_TABLES) check(tables[t], `target.'${target}'.${t}`, out);
  if (isTable(doc.patch))
    for (const [registry, table] of Object.entries(doc.patch)) {
      if (registry !== 'crates-io') out.push(`[patch.${JSON.stringify(registry).slice(0, 120)}] patches a source other than the registry`);
      check(table, `patch.${registry}`, out);
    }
  check(doc.replace, 'replace', out);
  if (isTable(doc.workspace)) check(doc.workspace.dependencies, 'workspace.dependencies', out);
  return out;
}
