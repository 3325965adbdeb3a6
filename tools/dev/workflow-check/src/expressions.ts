/** A `${{ … }}` as written, and where it starts in the text it was found in. */
export interface Expression {
  body: string;
  offset: number;
}

/** Every `${{ … }}` in a text. Expressions cannot nest, so the first `}}` closes one. */
export function expressionsIn(text: string): Expression[] {
  const found: Expression[] = [];
  for (const m of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) found.push({ body: m[1]!.trim(), offset: m.index });
  return found;
}

/** Names read from the `inputs` context: `inputs.x`, `inputs['x']` (not `github.event.inputs.x`). */
export function inputReferences(expression: string): string[] {
  const names: string[] = [];
  for (const m of expression.matchAll(/(?<![\w.-])inputs\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*'([^']+)'\s*\]|\[\s*"([^"]+)"\s*\])/g)) {
    names.push((m[1] ?? m[2] ?? m[3])!);
  }
  return names;
}
