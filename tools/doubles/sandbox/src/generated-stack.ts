/**
 * A generated stack of N tiny crates, for measuring what the orchestrator itself costs as the
 * stack grows: a layered DAG with fan-in (each crate of a layer depends on 1–3 crates of the layer
 * below), a pure function of (N, seed). Layers are about √N wide, so depth grows with the stack
 * too. Crates name their upstreams as path dependencies on sibling checkouts, like the seed stack,
 * and call each upstream's API, so the graph cargo reads is the graph the generator says.
 */
import { FAULT_FILE, REVISION_FILE, faultSource, revisionSource } from './crates';
import { prng } from './prng';

export interface GeneratedRepository {
  /** Repository, crate and component name: `stack-007`. */
  name: string;
  layer: number;
  /** Direct upstreams (repository names), sorted. */
  dependsOn: readonly string[];
}

export interface GeneratedStack {
  components: number;
  seed: number;
  /** Topological order: layer by layer. */
  repositories: readonly GeneratedRepository[];
}

export const MAX_GENERATED_COMPONENTS = 999;

export function generatedName(index: number): string {
  return `stack-${String(index).padStart(3, '0')}`;
}


/** The DAG of `components` crates for `seed`. Layer 0 has no upstreams; every other crate has 1–3 in the layer below. */
export function generateStack(components: number, seed = 1): GeneratedStack {
  if (!Number.isInteger(components) || components < 1 || components > MAX_GENERATED_COMPONENTS) {
    throw new Error(`components must be an integer from 1 to ${MAX_GENERATED_COMPONENTS}, got ${String(components)}`);
  }
  const width = Math.max(2, Math.ceil(Math.sqrt(components)));
  const rnd = prng(seed);
  const repositories: GeneratedRepository[] = [];
  let below: string[] = [];
  for (let start = 0, layer = 0; start < components; start += width, layer++) {
    const here: string[] = [];
    for (let i = start; i < Math.min(components, start + width); i++) {
      const name = generatedName(i);
      const picks = new Set<string>();
      const fanIn = below.length ? Math.min(below.length, 1 + (rnd() % 3)) : 0;
      while (picks.size < fanIn) picks.add(below[rnd() % below.length]!);
      repositories.push({ name, layer, dependsOn: [...picks].sort() });
      here.push(name);
    }
    below = here;
  }
  return { components, seed, repositories };
}

const ident = (name: string) => name.replaceAll('-', '_');

function manifest(r: GeneratedRepository): string {
  const deps = r.dependsOn.map((d) => `${d} = { path = "../${d}" }`).join('\n');
  return `[package]
name = "${r.name}"
version = "0.1.0"
edition = "2021"
description = "Generated sandbox crate (layer ${r.layer}) for measuring the orchestrator on large stacks"
license = "MIT"
${deps ? `\n[dependencies]\n${deps}\n` : ''}`;
}

function libRs(r: GeneratedRepository): string {
  const calls = r.dependsOn.map((d) => ` + ${ident(d)}::weight()`).join('');
  return `//! ${r.name}: a generated crate of layer ${r.layer}; it calls every upstream, so a broken upstream breaks it.

mod fault;
mod revision;

pub use revision::REVISION;

/// One for itself plus its upstreams' weights: reaches every upstream's API.
pub fn weight() -> u64 {
    1 + REVISION as u64${calls}
}

#[cfg(test)]
mod tests {
    #[test]
    fn weighs_at_least_one() {
        assert!(super::weight() >= 1);
    }
}
`;
}

/** Every file of a generated repository's first commit. */
export function generatedRepositoryFiles(r: GeneratedRepository): Record<string, string> {
  return {
    '.gitignore': '/target\n',
    'README.md': `# ${r.name}\n\nA generated sandbox crate (tools/doubles/sandbox, generated-stack.ts). Siblings are expected side by side (\`../<name>\`).\n`,
    'Cargo.toml': manifest(r),
    'src/lib.rs': libRs(r),
    [FAULT_FILE]: faultSource(r.name, null),
    [REVISION_FILE]: revisionSource(0),
  };
}

/** versions.toml of the generated stack: every component at 0.1.0, `requires` = its direct upstreams. */
export function generatedVersionsToml(stack: GeneratedStack): string {
  const lines = stack.repositories.map((r) => {
    const requires = r.dependsOn.length ? `, requires = [${r.dependsOn.map((d) => `"${d}=0.1.0"`).join(', ')}]` : '';
    return `${r.name} = { version = "0.1.0", git_tag = "v0.1.0", git_commit = ""${requires} }`;
  });
  return `# A generated stack of ${stack.components} components (seed ${stack.seed}).

[versions]
${lines.join('\n')}

[metadata]
last_updated = "2026-11-30"
updated_by = "bllvm-release"
release_notes = "A generated stack for the bench."
`;
}
