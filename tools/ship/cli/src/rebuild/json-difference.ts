/** The first JSON path whose value differs, e.g. `components[2].archive.sha256`. Pure. */
export function firstJsonDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path || '(top level)';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstJsonDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

/** The JSON in `b`, or undefined when there is none or it is not JSON: a comparison reports, it does not throw. */
export function parseJson(b: Buffer | undefined): unknown {
  if (!b) return undefined;
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
}
