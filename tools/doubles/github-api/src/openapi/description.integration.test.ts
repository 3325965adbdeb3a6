import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureOpenApiDescription, OPENAPI_VERSION } from './description';
import { SERVED_OPERATIONS, sliceDescription, type OpenApiDocument } from './served';

describe("GitHub's OpenAPI description", () => {
  it('is fetched once into the cache and sliced to exactly the served operations', async () => {
    const path = await ensureOpenApiDescription();
    expect(path).toContain(OPENAPI_VERSION);
    const full = JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument;
    expect(full.openapi).toMatch(/^3\./);
    expect(Object.keys(full.paths).length).toBeGreaterThan(500);

    const slice = sliceDescription(full);
    const ops = Object.values(slice.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op && typeof op === 'object' && 'operationId' in op ? [op['operationId']] : [])),
    );
    expect(ops.sort()).toEqual([...SERVED_OPERATIONS].sort());
    // Slicing must not lose a reference: every $ref in the slice resolves inside it.
    for (const ref of JSON.stringify(slice).match(/"\$ref":"[^"]+"/g) ?? []) {
      const [, , section, name] = ref.slice(8, -1).split('/');
      expect(slice.components[section!]?.[name!], ref).toBeDefined();
    }
  });

  it("widens only the documented gap: release-asset.state gains 'starter', the full description is untouched", async () => {
    const full = JSON.parse(readFileSync(await ensureOpenApiDescription(), 'utf8')) as OpenApiDocument;
    const stateOf = (doc: OpenApiDocument) => (doc.components['schemas']!['release-asset'] as any).properties.state.enum;
    expect(stateOf(full)).toEqual(['uploaded', 'open']);
    expect(stateOf(sliceDescription(full))).toEqual(['uploaded', 'open', 'starter']);
    expect(stateOf(full)).toEqual(['uploaded', 'open']);
  });

  it("widens check-run.conclusion by null only, the value of the description's own in-progress example", async () => {
    const full = JSON.parse(readFileSync(await ensureOpenApiDescription(), 'utf8')) as OpenApiDocument;
    const conclusionOf = (doc: OpenApiDocument) => (doc.components['schemas']!['check-run'] as any).properties.conclusion.enum;
    expect(conclusionOf(full)).not.toContain(null);
    expect((full.components['examples']!['check-run-example-of-in-progress-conclusion'] as any).value.conclusion).toBeNull();
    expect(conclusionOf(sliceDescription(full))).toEqual([...conclusionOf(full), null]);
  });
});
