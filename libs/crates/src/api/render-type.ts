import { API_LIMITS, type Json, type JsonObject, bounded, isObject, tagOf } from './rustdoc-json';

/**
 * Rustdoc JSON types, generics and bounds written as Rust source, the form signatures are compared
 * in. Named types are written by their defining path (rustdoc's `paths` table) so that how the
 * source happened to import them does not count as a change. A shape this format does not define
 * is written as a digest of its JSON, so it still compares exactly. Pure.
 */
export class TypeWriter {
  constructor(private readonly pathOf: (id: Json, written: string) => string) {}

  type(t: Json, depth = 0): string {
    if (depth > API_LIMITS.typeDepth) throw new RangeError(`a type nests more than ${API_LIMITS.typeDepth} deep`);
    const d = depth + 1;
    const v = tagOf(t);
    if (!v) return unknown(t);
    const b = v.body as JsonObject;
    switch (v.tag) {
      case 'primitive':
      case 'generic':
        return String(v.body);
      case 'infer':
        return '_';
      case 'resolved_path':
        return this.path(b, d);
      case 'tuple':
        return Array.isArray(v.body) ? `(${v.body.map((x) => this.type(x, d)).join(', ')}${v.body.length === 1 ? ',' : ''})` : unknown(t);
      case 'slice':
        return `[${this.type(v.body, d)}]`;
      case 'array':
        return isObject(b) ? `[${this.type(b.type!, d)}; ${String(b.len)}]` : unknown(t);
      case 'pat':
        return isObject(b) ? `${this.type(b.type!, d)} is ${String(b.__pat_unstable_do_not_use)}` : unknown(t);
      case 'raw_pointer':
        return isObject(b) ? `*${b.is_mutable ? 'mut' : 'const'} ${this.type(b.type!, d)}` : unknown(t);
      case 'borrowed_ref':
        return isObject(b) ? `&${b.lifetime ? `${String(b.lifetime)} ` : ''}${b.is_mutable ? 'mut ' : ''}${this.type(b.type!, d)}` : unknown(t);
      case 'impl_trait':
        return Array.isArray(v.body) ? `impl ${this.bounds(v.body, d)}` : unknown(t);
      case 'dyn_trait': {
        if (!isObject(b) || !Array.isArray(b.traits)) return unknown(t);
        const traits = b.traits.map((p) => (isObject(p) ? `${this.hrtb(p.generic_params, d)}${this.path(p.trait as JsonObject, d)}` : unknown(p)));
        return `dyn ${[...traits, ...(b.lifetime ? [String(b.lifetime)] : [])].join(' + ')}`;
      }
      case 'function_pointer': {
        if (!isObject(b) || !isObject(b.sig)) return unknown(t);
        return `${this.hrtb(b.generic_params, d)}${this.header(b.header)}fn${this.fnSig(b.sig, d)}`;
      }
      case 'qualified_path': {
        if (!isObject(b)) return unknown(t);
        const self = this.type(b.self_type!, d);
        const head = b.trait ? `<${self} as ${this.path(b.trait as JsonObject, d)}>` : self;
        return `${head}::${String(b.name)}${this.args(b.args, d)}`;
      }
      default:
        return unknown(t);
    }
  }

  /** `core::option::Option<T>`: a path with its generic arguments. */
  path(p: JsonObject, depth: number): string {
    if (!isObject(p)) return unknown(p);
    return `${this.pathOf(p.id ?? null, typeof p.path === 'string' ? p.path : '?')}${this.args(p.args, depth)}`;
  }

  args(a: Json | undefined, depth: number): string {
    if (a === null || a === undefined) return '';
    const v = tagOf(a);
    if (!v || !isObject(v.body)) return v?.tag === 'return_type_notation' ? '(..)' : unknown(a);
    const b = v.body;
    if (v.tag === 'parenthesized') {
      const inputs = Array.isArray(b.inputs) ? b.inputs.map((x) => this.type(x, depth)).join(', ') : unknown(b.inputs ?? null);
      return `(${inputs})${b.output ? ` -> ${this.type(b.output, depth)}` : ''}`;
    }
    if (v.tag !== 'angle_bracketed') return unknown(a);
    const parts = [
      ...(Array.isArray(b.args) ? b.args : []).map((g) => this.genericArg(g, depth)),
      ...(Array.isArray(b.constraints) ? b.constraints : []).map((c) => this.constraint(c, depth)),
    ];
    return parts.length ? `<${parts.join(', ')}>` : '';
  }

  private genericArg(g: Json, depth: number): string {
    const v = tagOf(g);
    if (!v) return unknown(g);
    if (v.tag === 'lifetime') return String(v.body);
    if (v.tag === 'type') return this.type(v.body, depth);
    if (v.tag === 'const') return isObject(v.body) ? String(v.body.expr) : unknown(g);
    if (v.tag === 'infer') return '_';
    return unknown(g);
  }

  private constraint(c: Json, depth: number): string {
    if (!isObject(c)) return unknown(c);
    const head = `${String(c.name)}${this.args(c.args, depth)}`;
    const binding = tagOf(c.binding);
    if (binding?.tag === 'constraint' && Array.isArray(binding.body)) return `${head}: ${this.bounds(binding.body, depth)}`;
    if (binding?.tag === 'equality') {
      const term = tagOf(binding.body);
      if (term?.tag === 'type') return `${head} = ${this.type(term.body, depth)}`;
      if (term?.tag === 'constant' && isObject(term.body)) return `${head} = ${String(term.body.expr)}`;
    }
    return `${head} ${unknown(c.binding ?? null)}`;
  }

  /** Sorted: `T: Send + Clone` and `T: Clone + Send` are the same bound. */
  bounds(list: Json[], depth: number): string {
    return list.map((x) => this.bound(x, depth)).sort().join(' + ');
  }

  private bound(x: Json, depth: number): string {
    const v = tagOf(x);
    if (!v) return unknown(x);
    if (v.tag === 'outlives') return String(v.body);
    if (v.tag === 'use' && Array.isArray(v.body)) return `use<${v.body.map((p) => String((tagOf(p)?.body as Json) ?? unknown(p))).join(', ')}>`;
    if (v.tag !== 'trait_bound' || !isObject(v.body)) return unknown(x);
    const modifier = v.body.modifier === 'maybe' ? '?' : v.body.modifier === 'maybe_const' ? '~const ' : '';
    return `${modifier}${this.hrtb(v.body.generic_params, depth)}${this.path(v.body.trait as JsonObject, depth)}`;
  }

  /** `for<'a> `, or nothing. */
  private hrtb(params: Json | undefined, depth: number): string {
    return Array.isArray(params) && params.length ? `for<${params.map((p) => this.param(p, depth)).join(', ')}> ` : '';
  }

  private param(p: Json, depth: number): string {
    if (!isObject(p)) return unknown(p);
    const name = String(p.name);
    const k = tagOf(p.kind);
    if (!k || !isObject(k.body)) return `${name} ${unknown(p.kind ?? null)}`;
    if (k.tag === 'lifetime') return Array.isArray(k.body.outlives) && k.body.outlives.length ? `${name}: ${k.body.outlives.join(' + ')}` : name;
    if (k.tag === 'type') {
      const bounds = Array.isArray(k.body.bounds) && k.body.bounds.length ? `: ${this.bounds(k.body.bounds, depth)}` : '';
      return `${name}${bounds}${k.body.default ? ` = ${this.type(k.body.default, depth)}` : ''}`;
    }
    if (k.tag === 'const') return `const ${name}: ${this.type(k.body.type!, depth)}${k.body.default ? ` = ${String(k.body.default)}` : ''}`;
    return `${name} ${unknown(p.kind ?? null)}`;
  }

  /** `<'a, T: Clone>` and ` where T: Send`, the synthetic parameters of `impl Trait` arguments left out (their bounds are in the argument). */
  generics(g: Json | undefined): { params: string; where: string } {
    if (!isObject(g)) return { params: '', where: '' };
    const params = (Array.isArray(g.params) ? g.params : []).filter((p) => !(isObject(p) && isObject(p.kind) && isObject(p.kind.type) && p.kind.type.is_synthetic === true));
    const preds = Array.isArray(g.where_predicates) ? g.where_predicates.map((w) => this.predicate(w)).sort() : [];
    return { params: params.length ? `<${params.map((p) => this.param(p, 0)).join(', ')}>` : '', where: preds.length ? ` where ${preds.join(', ')}` : '' };
  }

  private predicate(w: Json): string {
    const v = tagOf(w);
    if (!v || !isObject(v.body)) return unknown(w);
    const b = v.body;
    if (v.tag === 'bound_predicate') return `${this.hrtb(b.generic_params, 0)}${this.type(b.type!, 0)}: ${Array.isArray(b.bounds) ? this.bounds(b.bounds, 0) : unknown(b.bounds ?? null)}`;
    if (v.tag === 'lifetime_predicate') return `${String(b.lifetime)}: ${Array.isArray(b.outlives) ? b.outlives.join(' + ') : ''}`;
    if (v.tag === 'eq_predicate') {
      const rhs = tagOf(b.rhs);
      return `${this.type(b.lhs!, 0)} = ${rhs?.tag === 'type' ? this.type(rhs.body, 0) : unknown(b.rhs ?? null)}`;
    }
    return unknown(w);
  }

  /** `const unsafe async extern "C" `, as far as they apply. */
  header(h: Json | undefined): string {
    if (!isObject(h)) return '';
    const abi = h.abi === 'Rust' || h.abi === undefined ? '' : `extern "${abiName(h.abi)}" `;
    return `${h.is_const ? 'const ' : ''}${h.is_async ? 'async ' : ''}${h.is_unsafe ? 'unsafe ' : ''}${abi}`;
  }

  /** `(self: &Self, i32) -> bool`: argument names are no part of the API (renaming one breaks no caller), but `self` is. */
  fnSig(sig: JsonObject, depth: number): string {
    const inputs = Array.isArray(sig.inputs)
      ? sig.inputs.map((i) => (Array.isArray(i) && i.length === 2 ? `${i[0] === 'self' ? 'self: ' : ''}${this.type(i[1]!, depth)}` : unknown(i)))
      : [unknown(sig.inputs ?? null)];
    if (sig.is_c_variadic) inputs.push('...');
    return `(${inputs.join(', ')})${sig.output ? ` -> ${this.type(sig.output, depth)}` : ''}`;
  }
}

function abiName(abi: Json): string {
  const v = tagOf(abi);
  if (!v) return unknown(abi);
  if (v.tag === 'Other') return String(v.body);
  const unwind = isObject(v.body) && v.body.unwind ? '-unwind' : '';
  return `${v.tag}${unwind}`;
}

/** A shape the format does not define, as its bounded JSON: still equal exactly when it is equal. */
function unknown(x: Json): string {
  return `?${bounded(JSON.stringify(x ?? null))}`;
}
