/**
 * Cuts GitHub's 13 MB description down to the operations this server implements.
 *
 * Compiling validators for ~1,000 operations would take seconds; the slice (about 50 KB) keeps
 * startup in milliseconds while every schema in it is still GitHub's own, byte for byte, apart
 * from the gaps listed in DESCRIPTION_GAPS.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Every operation the server serves, by GitHub's operationId. */
export const SERVED_OPERATIONS = [
  'repos/list-releases',
  'repos/create-release',
  'repos/get-release',
  'repos/update-release',
  'repos/delete-release',
  'repos/get-release-by-tag',
  'repos/list-release-assets',
  'repos/upload-release-asset',
  'repos/get-release-asset',
  'repos/delete-release-asset',
  'git/get-ref',
  'git/get-tag',
  'git/list-matching-refs',
  'git/create-ref',
  'git/update-ref',
  'git/delete-ref',
  'repos/create-dispatch-event',
  'checks/create',
  'checks/update',
  'checks/get',
  'checks/list-for-ref',
  'pulls/get',
] as const;

export type OperationId = (typeof SERVED_OPERATIONS)[number];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface OpenApiDocument {
  openapi: string;
  info: JsonObject;
  servers?: Json[];
  paths: Record<string, JsonObject>;
  components: Record<string, Record<string, Json>>;
}

/** A property of one of the description's component schemas, as the description has it (undefined when it is gone). */
function schemaProperty(doc: OpenApiDocument, schema: string, property: string): JsonObject | undefined {
  const properties = (doc.components['schemas']?.[schema] as JsonObject | undefined)?.['properties'] as JsonObject | undefined;
  return properties?.[property] as JsonObject | undefined;
}

/**
 * Places where GitHub's real behaviour is wider than its description. Each entry is a deliberate,
 * reviewed deviation; anything not listed here is validated exactly as GitHub describes it.
 */
export const DESCRIPTION_GAPS = [
  {
    why:
      "release-asset.state enumerates only 'uploaded' and 'open', yet the upload operation's own text says a " +
      "failed upload 'may leave an empty asset with a state of `starter`', and the live API does return it.",
    apply(doc: OpenApiDocument): void {
      const values = schemaProperty(doc, 'release-asset', 'state')?.['enum'];
      if (!Array.isArray(values)) throw new Error('description changed: release-asset.state has no enum to widen');
      if (!values.includes('starter')) values.push('starter');
    },
  },
  {
    why:
      "check-run.conclusion is nullable and required, but its enum lacks null, so no queued or in-progress run could " +
      "validate; the description's own in-progress example (check-run-example-of-in-progress-conclusion) has conclusion null.",
    apply(doc: OpenApiDocument): void {
      const conclusion = schemaProperty(doc, 'check-run', 'conclusion');
      const values = conclusion?.['enum'];
      if (!Array.isArray(values) || conclusion?.['nullable'] !== true) throw new Error('description changed: check-run.conclusion is no longer a nullable enum');
      if (!values.includes(null)) values.push(null);
    },
  },
] as const;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Keeps the served operations and, transitively, every component they reference. */
export function sliceDescription(full: OpenApiDocument): OpenApiDocument {
  const wanted = new Set<string>(SERVED_OPERATIONS);
  const paths: Record<string, JsonObject> = {};
  for (const [path, item] of Object.entries(full.paths)) {
    for (const method of METHODS) {
      const op = item[method] as JsonObject | undefined;
      if (op && typeof op['operationId'] === 'string' && wanted.has(op['operationId'])) {
        wanted.delete(op['operationId']);
        const kept = (paths[path] ??= {});
        kept[method] = op;
        if (item['parameters']) kept['parameters'] = item['parameters'];
      }
    }
  }
  if (wanted.size) throw new Error(`description lacks served operations: ${[...wanted].join(', ')}`);

  const components: Record<string, Record<string, Json>> = {};
  const seen = new Set<string>();
  const visit = (value: Json): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        if (seen.has(child)) continue;
        seen.add(child);
        const [, , section, name] = child.split('/');
        const target = section && name ? full.components[section]?.[name] : undefined;
        if (target === undefined) throw new Error(`dangling $ref ${child}`);
        (components[section!] ??= {})[name!] = target;
        visit(target);
      } else {
        visit(child);
      }
    }
  };
  visit(paths);

  // Deep copy so the gaps below never leak into a caller's copy of the full description.
  const slice = structuredClone({ openapi: full.openapi, info: full.info, servers: full.servers, paths, components });
  for (const gap of DESCRIPTION_GAPS) gap.apply(slice);
  return slice;
}

/**
 * Loads the slice, caching it beside the full description: parsing 13 MB costs ~150 ms per
 * process, which every test file and every CLI start would otherwise pay.
 */
export function loadServedDescription(descriptionPath: string): OpenApiDocument {
  const key = createHash('sha256')
    .update(JSON.stringify({ descriptionPath, SERVED_OPERATIONS, gaps: DESCRIPTION_GAPS.map((g) => g.why), v: 1 }))
    .digest('hex')
    .slice(0, 16);
  const cached = join(dirname(descriptionPath), `served-${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as OpenApiDocument;
  const slice = sliceDescription(JSON.parse(readFileSync(descriptionPath, 'utf8')) as OpenApiDocument);
  const staging = `${cached}.${process.pid}.tmp`;
  writeFileSync(staging, JSON.stringify(slice));
  renameSync(staging, cached);
  return slice;
}
