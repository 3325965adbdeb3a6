import { readTar } from '@bllvm/release';
import { firstJsonDifference, parseJson } from './json-difference';
import { firstMemberDifference, tarMembers } from './tar-members';

// A docker-archive names its layers and config by digest, so two images that differ share no
// member name and a member-by-member comparison says only "not in the rebuilt archive". An image
// is compared the way it is built instead: the config field by field, then the layers in order,
// member by member inside the first layer that differs.

interface DockerArchive {
  config: unknown;
  layers: Buffer[];
}

/** The config and layers of a one-image docker-archive, or undefined when it is not one. Pure. */
function dockerArchive(tar: Buffer): DockerArchive | undefined {
  const files = new Map(readTar(tar).filter((m) => m.type === '0').map((m) => [m.path, m.data]));
  const manifest = parseJson(files.get('manifest.json'));
  if (!Array.isArray(manifest) || manifest.length !== 1) return undefined;
  const [image] = manifest as [{ Config?: unknown; Layers?: unknown }];
  if (typeof image.Config !== 'string' || !Array.isArray(image.Layers)) return undefined;
  const layers = image.Layers.map((l) => (typeof l === 'string' ? files.get(l) : undefined));
  if (layers.some((l) => !l)) return undefined;
  return { config: parseJson(files.get(image.Config)), layers: layers as Buffer[] };
}

/**
 * The first difference between two image archives, said in a few words: a config field with both
 * values, or a layer and the first member inside it that differs. Undefined when either is not a
 * docker-archive of one image, or when config and layers are the same. Pure.
 */
export function firstImageDifference(published: Buffer, rebuilt: Buffer): string | undefined {
  const [p, r] = [dockerArchive(published), dockerArchive(rebuilt)];
  if (!p || !r) return undefined;
  const field = firstJsonDifference(p.config, r.config, '');
  // The config names the layers by digest (rootfs.diff_ids): a layer that differs is named by its contents below.
  if (field && !field.startsWith('rootfs.diff_ids')) return `image config ${field} differs (${show(at(p.config, field))} published, ${show(at(r.config, field))} rebuilt)`;
  if (p.layers.length !== r.layers.length) return `${p.layers.length} layers published, ${r.layers.length} rebuilt`;
  for (let i = 0; i < p.layers.length; i++) {
    if (p.layers[i]!.equals(r.layers[i]!)) continue;
    const inside = firstMemberDifference(tarMembers(p.layers[i]!), tarMembers(r.layers[i]!)) ?? 'same members, other tar headers';
    return `image layer ${i + 1}: ${inside}`;
  }
  return field ? `image config ${field} differs` : undefined;
}

/** The value at a path firstJsonDifference returned (`a.b[2].c`). */
function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.match(/[^.[\]]+/g) ?? []) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** A JSON value short enough for one line of a report. */
function show(v: unknown): string {
  const s = v === undefined ? 'absent' : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
