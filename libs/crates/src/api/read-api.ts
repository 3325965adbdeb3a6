import { API_LIMITS, ApiReadError, type Json, type JsonObject, RUSTDOC_FORMAT_VERSION, bounded, isObject, tagOf } from './rustdoc-json';
import { TypeWriter } from './render-type';

export type ApiItemKind =
  | 'module' | 'function' | 'struct' | 'union' | 'field' | 'enum' | 'variant' | 'trait' | 'trait-alias' | 'trait-item'
  | 'method' | 'constant' | 'static' | 'type-alias' | 'macro' | 'impl' | 're-export' | 'extern-type';

/** One entry of a crate's public API: an item at one public path, a public field or variant, a public method, a trait impl. */
export interface ApiItem {
  /** The public path (`tiny::Point::x`); a trait impl is `<tiny::Point as tiny::Shape>`. */
  path: string;
  /** The entry this one belongs to (a field's struct, a method's type, an impl's type): a change to it is reported under its parent's. */
  parent?: string;
  kind: ApiItemKind;
  /** The declaration as Rust source, without body or docs: what callers depend on. */
  signature: string;
  /** A trait item its implementors must write (no default). */
  required?: boolean;
  /** An enum matched without a wildcard, a struct built by a literal outside the crate: adding a variant or field breaks users. */
  exhaustive?: boolean;
}

/** A crate's public API as rustdoc JSON describes it: every item reachable from the crate root by public paths. */
export interface PublicApi {
  /** Where it was read from (a file), as messages name it. */
  source: string;
  crate: string;
  version: string | null;
  formatVersion: number;
  /** Sorted by path, one per namespace and path. */
  items: ApiItem[];
}

/**
 * The public API in rustdoc JSON output (`cargo rustdoc -- -Zunstable-options --output-format
 * json`), read as untrusted data: only the format of the pinned toolchain is accepted, the model
 * stays bounded (API_LIMITS), and anything malformed fails with one line naming `source` and what
 * is wrong. Pure.
 */
export function readRustdocApi(json: unknown, source: string): PublicApi {
  const fail = (what: string): never => {
    throw new ApiReadError(`${source}: ${what}`);
  };
  if (!isObject(json)) return fail('not a rustdoc JSON document (expected an object)');
  const version = json.format_version;
  if (typeof version !== 'number') return fail('no format_version: not rustdoc JSON output');
  if (version !== RUSTDOC_FORMAT_VERSION)
    return fail(`rustdoc JSON format_version ${version} is not the one this reader understands (${RUSTDOC_FORMAT_VERSION}); produce it with the toolchain the builds use`);
  const { index, paths } = json;
  if (!isObject(index)) return fail('no index object');
  const rootItem = index[String(json.root)];
  if (!isObject(rootItem) || tagOf(rootItem.inner)?.tag !== 'module') return fail(`root ${String(json.root)} is not a module of the index`);
  const crate = typeof rootItem.name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(rootItem.name) ? rootItem.name : fail('the root module has no crate name');
  const walker = new Walker(index, isObject(paths) ? paths : {}, fail);
  walker.module(rootItem, crate, []);
  const items = [...walker.items.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return { source, crate, version: typeof json.crate_version === 'string' ? json.crate_version : null, formatVersion: version, items };
}

/** The key two APIs are matched on: a path and its namespace (a struct and a function, a field and a method may share one). */
export function apiKey(item: Pick<ApiItem, 'path' | 'kind' | 'signature'>): string {
  const ns =
    item.kind === 'function' || item.kind === 'constant' || item.kind === 'static' ? 'value'
    : item.kind === 'method' || item.kind === 'trait-item' ? (item.signature.startsWith('type ') ? 'member-type' : 'member')
    : ['field', 'variant', 'macro', 'impl', 're-export'].includes(item.kind) ? item.kind
    : 'type';
  return `${ns} ${item.path}`;
}

class Walker {
  readonly items = new Map<string, ApiItem>();
  private readonly write: TypeWriter;

  constructor(
    private readonly index: JsonObject,
    private readonly paths: JsonObject,
    private readonly fail: (what: string) => never,
  ) {
    // Named types by where they are defined, not by how the source imported them.
    this.write = new TypeWriter((id, written) => {
      const known = id === null ? undefined : this.paths[String(id)];
      return isObject(known) && Array.isArray(known.path) && known.path.length ? known.path.join('::') : written;
    });
  }

  private item(id: Json | undefined): JsonObject | undefined {
    if (typeof id !== 'number' && typeof id !== 'string') return undefined;
    const it = this.index[String(id)];
    return isObject(it) ? it : undefined;
  }

  private add(item: ApiItem): void {
    const key = apiKey(item);
    if (this.items.has(key)) return; // the first found wins: explicit items are walked before glob imports
    if (this.items.size >= API_LIMITS.items) this.fail(`more than ${API_LIMITS.items} public API entries: refusing to read further`);
    this.items.set(key, { ...item, signature: bounded(item.signature) });
  }

  /** A module at `path`: its public items, explicit ones first so that a glob import never shadows them. */
  module(mod: JsonObject, path: string, stack: Json[]): void {
    if (stack.length > API_LIMITS.moduleDepth) this.fail(`${path}: modules nest more than ${API_LIMITS.moduleDepth} deep along a public path`);
    const inner = tagOf(mod.inner)!.body;
    const children = isObject(inner) && Array.isArray(inner.items) ? inner.items : this.fail(`${path}: module without an item list`);
    const inside = [...stack, mod.id ?? null];
    const globs: JsonObject[] = [];
    for (const id of children) {
      const child = this.item(id);
      if (!child || child.visibility !== 'public') continue;
      const use = tagOf(child.inner);
      if (use?.tag === 'use' && isObject(use.body) && use.body.is_glob === true) globs.push(child);
      else this.member(child, path, inside);
    }
    for (const g of globs) this.glob(g, path, inside);
  }

  /** An item a module lists, at `${path}::<its name>`; a `pub use` at the name it gives. */
  private member(child: JsonObject, path: string, stack: Json[]): void {
    const v = tagOf(child.inner);
    if (!v) return this.fail(`${path}: item ${String(child.id)} has no kind`);
    if (v.tag === 'impl') return;
    if (v.tag === 'use' && isObject(v.body)) {
      const name = this.name(v.body.name, path);
      const target = this.item(v.body.id);
      if (target) return this.at(target, `${path}::${name}`, stack);
      const source = typeof v.body.source === 'string' ? v.body.source : '?';
      const from = this.write.path({ path: source, id: v.body.id ?? null, args: null }, 0);
      return this.add({ path: `${path}::${name}`, kind: 're-export', signature: `pub use ${from}` });
    }
    if (v.tag === 'extern_crate' && isObject(v.body)) {
      const name = this.name(v.body.rename ?? child.name, path);
      return this.add({ path: `${path}::${name}`, kind: 're-export', signature: `pub extern crate ${String(v.body.name)}` });
    }
    this.at(child, `${path}::${this.name(child.name, path)}`, stack);
  }

  private glob(use: JsonObject, path: string, stack: Json[]): void {
    const body = tagOf(use.inner)!.body as JsonObject;
    const target = this.item(body.id);
    if (target && tagOf(target.inner)?.tag === 'module') {
      if (!stack.includes(target.id ?? null)) this.module(target, path, stack);
      return;
    }
    const source = typeof body.source === 'string' ? body.source : '?';
    this.add({ path: `${path}::{${source}::*}`, kind: 're-export', signature: `pub use ${source}::*` });
  }

  private name(x: Json | undefined, where: string): string {
    return typeof x === 'string' && /^(r#)?[A-Za-z_][A-Za-z0-9_]*$/.test(x) ? x : this.fail(`${where}: an item is named ${JSON.stringify(x ?? null).slice(0, 80)}, not a Rust identifier`);
  }

  /** Item `it` at public path `path` (its own name, or the one a `pub use ... as` gave it). */
  private at(it: JsonObject, path: string, stack: Json[]): void {
    const v = tagOf(it.inner);
    if (!v) return this.fail(`${path}: item has no kind`);
    const name = path.slice(path.lastIndexOf('::') + 2);
    const b = isObject(v.body) ? v.body : {};
    try {
      switch (v.tag) {
        case 'module':
          this.add({ path, kind: 'module', signature: `mod ${name}` });
          if (!stack.includes(it.id ?? null)) this.module(it, path, stack);
          return;
        case 'function':
          return this.add({ path, kind: 'function', signature: this.fn(name, b) });
        case 'struct':
          return this.struct(it, b, path, name);
        case 'union':
          return this.union(it, b, path, name);
        case 'enum':
          return this.enum(it, b, path, name);
        case 'trait':
          return this.trait(b, path, name);
        case 'trait_alias': {
          const g = this.write.generics(b.generics);
          return this.add({ path, kind: 'trait-alias', signature: `trait ${name}${g.params} = ${Array.isArray(b.params) ? this.write.bounds(b.params, 0) : ''}${g.where}` });
        }
        case 'constant':
          return this.add({ path, kind: 'constant', signature: `const ${name}: ${this.write.type(b.type!)}` });
        case 'static':
          return this.add({ path, kind: 'static', signature: `${b.is_unsafe ? 'unsafe ' : ''}static ${b.is_mutable ? 'mut ' : ''}${name}: ${this.write.type(b.type!)}` });
        case 'type_alias': {
          const g = this.write.generics(b.generics);
          return this.add({ path, kind: 'type-alias', signature: `type ${name}${g.params} = ${this.write.type(b.type!)}${g.where}` });
        }
        case 'macro':
          return this.add({ path, kind: 'macro', signature: typeof v.body === 'string' ? v.body.replace(/\s+/g, ' ').trim() : `macro ${name}` });
        case 'proc_macro':
          return this.add({ path, kind: 'macro', signature: `proc_macro ${String(b.kind)} ${name}${Array.isArray(b.helpers) && b.helpers.length ? ` (helpers ${b.helpers.join(', ')})` : ''}` });
        case 'extern_type':
          return this.add({ path, kind: 'extern-type', signature: `extern type ${name}` });
        default:
          return; // primitives (core's own), stray fields or variants: nothing a module exports
      }
    } catch (e) {
      if (e instanceof ApiReadError) throw e;
      this.fail(`${path}: ${(e as Error).message}`);
    }
  }

  private fn(name: string, b: JsonObject): string {
    const g = this.write.generics(b.generics);
    return `${this.write.header(b.header)}fn ${name}${g.params}${isObject(b.sig) ? this.write.fnSig(b.sig, 0) : '?'}${g.where}`;
  }

  private struct(it: JsonObject, b: JsonObject, path: string, name: string): void {
    const g = this.write.generics(b.generics);
    const kind = tagOf(b.kind);
    let shape = ';';
    let allPublic = true;
    if (kind?.tag === 'tuple' && Array.isArray(kind.body)) {
      shape = '(..)';
      kind.body.forEach((f, i) => (f === null ? (allPublic = false) : this.field(f, `${path}::${i}`, path)));
    } else if (kind?.tag === 'plain' && isObject(kind.body)) {
      shape = ' {..}';
      allPublic = kind.body.has_stripped_fields !== true;
      for (const f of Array.isArray(kind.body.fields) ? kind.body.fields : []) this.field(f, undefined, path);
    }
    this.add({ path, kind: 'struct', signature: `struct ${name}${g.params}${shape}${g.where}`, exhaustive: allPublic && !nonExhaustive(it) });
    this.impls(b.impls, path);
  }

  private union(it: JsonObject, b: JsonObject, path: string, name: string): void {
    const g = this.write.generics(b.generics);
    for (const f of Array.isArray(b.fields) ? b.fields : []) this.field(f, undefined, path);
    this.add({ path, kind: 'union', signature: `union ${name}${g.params}${g.where}`, exhaustive: b.has_stripped_fields !== true && !nonExhaustive(it) });
    this.impls(b.impls, path);
  }

  private field(id: Json, at: string | undefined, parent: string): void {
    const f = this.item(id);
    if (!f || f.visibility !== 'public') return;
    const v = tagOf(f.inner);
    if (v?.tag !== 'struct_field') return;
    const path = at ?? `${parent}::${this.name(f.name, parent)}`;
    this.add({ path, parent, kind: 'field', signature: `${path.slice(parent.length + 2)}: ${this.write.type(v.body)}` });
  }

  private enum(it: JsonObject, b: JsonObject, path: string, name: string): void {
    const g = this.write.generics(b.generics);
    this.add({ path, kind: 'enum', signature: `enum ${name}${g.params}${g.where}`, exhaustive: !nonExhaustive(it) });
    for (const id of Array.isArray(b.variants) ? b.variants : []) {
      const variant = this.item(id);
      const v = variant && tagOf(variant.inner);
      if (!variant || v?.tag !== 'variant' || !isObject(v.body)) continue;
      const vname = this.name(variant.name, path);
      this.add({ path: `${path}::${vname}`, parent: path, kind: 'variant', signature: this.variant(variant, v.body, vname) });
    }
    this.impls(b.impls, path);
  }

  /** A variant with all of its fields: every one is public, so any change to them reaches users. */
  private variant(variant: JsonObject, b: JsonObject, name: string): string {
    const kind = tagOf(b.kind);
    const field = (id: Json) => {
      const f = this.item(id);
      const v = f && tagOf(f.inner);
      return v?.tag === 'struct_field' ? { name: String(f!.name), type: this.write.type(v.body) } : undefined;
    };
    let shape = '';
    if (kind?.tag === 'tuple' && Array.isArray(kind.body)) shape = `(${kind.body.map((id) => (id === null ? '_' : (field(id)?.type ?? '?'))).join(', ')})`;
    else if (kind?.tag === 'struct' && isObject(kind.body) && Array.isArray(kind.body.fields)) {
      const fields = kind.body.fields.map((id) => field(id)).map((f) => (f ? `${f.name}: ${f.type}` : '?'));
      if (kind.body.has_stripped_fields === true) fields.push('..');
      shape = ` { ${fields.join(', ')} }`;
    }
    const discriminant = isObject(b.discriminant) ? ` = ${String(b.discriminant.value ?? b.discriminant.expr)}` : '';
    return `${nonExhaustive(variant) ? '#[non_exhaustive] ' : ''}${name}${shape}${discriminant}`;
  }

  private trait(b: JsonObject, path: string, name: string): void {
    const g = this.write.generics(b.generics);
    const supertraits = Array.isArray(b.bounds) && b.bounds.length ? `: ${this.write.bounds(b.bounds, 0)}` : '';
    const flags = `${b.is_unsafe ? 'unsafe ' : ''}${b.is_auto ? 'auto ' : ''}`;
    this.add({ path, kind: 'trait', signature: `${flags}trait ${name}${g.params}${supertraits}${g.where}${b.is_dyn_compatible === false ? ' (not dyn-compatible)' : ''}` });
    for (const id of Array.isArray(b.items) ? b.items : []) {
      const member = this.item(id);
      const v = member && tagOf(member.inner);
      if (!member || !v || !isObject(v.body)) continue;
      const mname = this.name(member.name, path);
      const at = { path: `${path}::${mname}`, parent: path, kind: 'trait-item' as const };
      if (v.tag === 'function') this.add({ ...at, signature: this.fn(mname, v.body), required: v.body.has_body !== true });
      else if (v.tag === 'assoc_const') this.add({ ...at, signature: `const ${mname}: ${this.write.type(v.body.type!)}`, required: v.body.value === null || v.body.value === undefined });
      else if (v.tag === 'assoc_type') {
        const tg = this.write.generics(v.body.generics);
        const bounds = Array.isArray(v.body.bounds) && v.body.bounds.length ? `: ${this.write.bounds(v.body.bounds, 0)}` : '';
        this.add({ ...at, signature: `type ${mname}${tg.params}${bounds}${tg.where}`, required: v.body.type === null || v.body.type === undefined });
      }
    }
    // Implementations for types outside this crate's public items (a foreign or primitive type) are API too.
    this.impls(b.implementations, path);
  }

  /**
   * A type's impls: the public items of its inherent impls, at `<type path>::<name>`, and each trait
   * it implements (auto traits included: losing Send breaks users), once, at `<Type as Trait>`.
   * Blanket impls come with the trait, not with this crate.
   */
  private impls(ids: Json | undefined, parent: string): void {
    for (const id of Array.isArray(ids) ? ids : []) {
      const it = this.item(id);
      const v = it && tagOf(it.inner);
      if (!it || v?.tag !== 'impl' || !isObject(v.body)) continue;
      const impl = v.body;
      if (impl.blanket_impl || impl.is_negative === true) continue;
      const g = this.write.generics(impl.generics);
      const self = this.write.type(impl.for!);
      if (isObject(impl.trait)) {
        const trait = this.write.path(impl.trait, 0);
        this.add({ path: `<${self} as ${trait}>`, parent, kind: 'impl', signature: `${impl.is_unsafe ? 'unsafe ' : ''}impl${g.params} ${trait} for ${self}${g.where}` });
        continue;
      }
      const context = g.params || g.where ? ` (in impl${g.params} ${self}${g.where})` : '';
      for (const mid of Array.isArray(impl.items) ? impl.items : []) {
        const m = this.item(mid);
        const mv = m && tagOf(m.inner);
        if (!m || m.visibility !== 'public' || !mv || !isObject(mv.body)) continue;
        const name = this.name(m.name, parent);
        const signature =
          mv.tag === 'function' ? this.fn(name, mv.body)
          : mv.tag === 'assoc_const' ? `const ${name}: ${this.write.type(mv.body.type!)}`
          : mv.tag === 'assoc_type' ? `type ${name} = ${mv.body.type ? this.write.type(mv.body.type) : '?'}`
          : undefined;
        if (signature) this.add({ path: `${parent}::${name}`, parent, kind: 'method', signature: `${signature}${context}` });
      }
    }
  }
}

/** `#[non_exhaustive]`, as this format writes attributes (a plain string) or as an older one did. */
function nonExhaustive(it: JsonObject): boolean {
  return Array.isArray(it.attrs) && it.attrs.some((a) => a === 'non_exhaustive' || (isObject(a) && typeof a.other === 'string' && /\bnon_exhaustive\b/.test(a.other)));
}
