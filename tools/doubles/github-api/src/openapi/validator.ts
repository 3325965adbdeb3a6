/**
 * Routing and validation against GitHub's description, via openapi-backend.
 *
 * One instance per process and description file: validators compile lazily (openapi-backend's
 * `quick` mode) on an operation's first use and are then shared by every server in the process.
 */
import { createRequire } from 'node:module';
import type { OpenAPIBackend as Backend, Operation } from 'openapi-backend';
import type Ajv from 'ajv';
import { ensureOpenApiDescription } from './description';
import { loadServedDescription, type OpenApiDocument, type OperationId } from './served';

// openapi-backend is CommonJS; require() gives the same named export under tsx, vitest and node.
const { OpenAPIBackend } = createRequire(import.meta.url)('openapi-backend') as typeof import('openapi-backend');

export interface SchemaProblem {
  /** Where in the request or response, e.g. `/requestBody/tag_name` or `/assets/0/state`. */
  at: string;
  message: string;
}

export interface RequestToValidate {
  method: string;
  /** Canonical path (see `match`), without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined for bodiless and binary requests. */
  body: unknown;
}

export interface MatchedOperation {
  operationId: OperationId;
  params: Record<string, string>;
}

export interface DescriptionValidator {
  /** Maps a raw request path to the operation GitHub describes for it, or null. */
  match(method: string, rawPath: string): (MatchedOperation & { path: string }) | null;
  validateRequest(operationId: OperationId, req: RequestToValidate): SchemaProblem[];
  /**
   * Validates a JSON response body. Returns null when the description declares no JSON schema for
   * that status (e.g. 204, 302, or a 500 we injected), so callers can tell "valid" from "unchecked".
   */
  validateResponse(operationId: OperationId, status: number, body: unknown): SchemaProblem[] | null;
}

const cache = new Map<string, Promise<DescriptionValidator>>();

export function loadValidator(openApiDir?: string): Promise<DescriptionValidator> {
  const key = openApiDir ?? '';
  let pending = cache.get(key);
  if (!pending) {
    pending = build(openApiDir);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

/** The formats the served slice uses; anything else in ajv would be silently ignored. */
function addFormats(ajv: Ajv): Ajv {
  ajv.addFormat('uri', { type: 'string', validate: (value: string) => URL.canParse(value) });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i);
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
  ajv.addFormat('binary', true);
  return ajv;
}

/**
 * GitHub marks some path parameters `x-multi-segment` (a git ref such as `tags/v1.0.0` spans
 * segments). openapi-backend matches one segment per parameter, so the tail is re-encoded into a
 * single segment before routing; Octokit already sends it that way (`tags%2Fv1.0.0`).
 */
function multiSegmentRewriters(doc: OpenApiDocument): ((path: string) => string | null)[] {
  const rewriters: ((path: string) => string | null)[] = [];
  const resolveParam = (p: Record<string, unknown>): Record<string, unknown> => {
    const ref = p['$ref'];
    if (typeof ref !== 'string') return p;
    return (doc.components['parameters']?.[ref.split('/').pop()!] ?? {}) as Record<string, unknown>;
  };
  for (const [template, item] of Object.entries(doc.paths)) {
    const params = Object.values(item).flatMap((op) =>
      op && typeof op === 'object' && !Array.isArray(op) && Array.isArray(op['parameters']) ? op['parameters'] : [],
    ) as Record<string, unknown>[];
    const multi = params.map(resolveParam).find((p) => p['x-multi-segment'] === true && p['in'] === 'path');
    if (!multi || !template.endsWith(`{${String(multi['name'])}}`)) continue;
    const prefix = template
      .slice(0, -`{${String(multi['name'])}}`.length)
      .split(/\{[^}]+\}/)
      .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    const pattern = new RegExp(`^(${prefix})(.+)$`);
    rewriters.push((path) => {
      const m = pattern.exec(path);
      if (!m) return null;
      let tail = m[2]!;
      try {
        tail = decodeURIComponent(tail);
      } catch {
        // leave a malformed escape as it is; validation or the handler will reject it
      }
      return m[1] + encodeURIComponent(tail);
    });
  }
  return rewriters;
}

function problems(errors: { instancePath: string; message?: string }[] | null | undefined): SchemaProblem[] {
  return (errors ?? []).map((e) => ({ at: e.instancePath || '/', message: e.message ?? 'is invalid' }));
}

async function build(openApiDir?: string): Promise<DescriptionValidator> {
  const doc = loadServedDescription(await ensureOpenApiDescription(openApiDir));
  const rewriters = multiSegmentRewriters(doc);
  const api: Backend = new OpenAPIBackend({
    definition: doc as never,
    quick: true,
    strict: false,
    validate: true,
    coerceTypes: true,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: (ajv) => addFormats(ajv as unknown as Ajv) as never,
  });
  await api.init();

  const operations = new Map<string, Operation>();
  for (const op of api.router.getOperations()) if (op.operationId) operations.set(op.operationId, op);

  const jsonSchemaFor = (operationId: string, status: number): boolean => {
    const responses = (operations.get(operationId)?.responses ?? {}) as Record<string, { content?: Record<string, { schema?: unknown }> }>;
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses['default'];
    return Boolean(response?.content?.['application/json']?.schema);
  };

  return {
    match(method, rawPath) {
      let path = rawPath;
      for (const rewrite of rewriters) {
        const rewritten = rewrite(rawPath);
        if (rewritten) {
          path = rewritten;
          break;
        }
      }
      const op = api.matchOperation({ method, path, headers: {} });
      if (!op?.operationId) return null;
      const parsed = api.router.parseRequest({ method, path, headers: {} }, op);
      return { operationId: op.operationId as OperationId, params: parsed.params as Record<string, string>, path };
    },
    validateRequest(operationId, req) {
      const result = api.validateRequest(
        { method: req.method, path: req.path, query: req.query, headers: req.headers as Record<string, string>, body: req.body as object },
        operationId,
      );
      return result.valid ? [] : problems(result.errors);
    },
    validateResponse(operationId, status, body) {
      if (!jsonSchemaFor(operationId, status)) return null;
      const result = api.validateResponse(body, operationId, status);
      return result.valid ? [] : problems(result.errors);
    },
  };
}
