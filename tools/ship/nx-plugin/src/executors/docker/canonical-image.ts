import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { type TarEntry, readTar, tarStream } from '@bllvm/release';
import { clampLayerTimes } from './clamp-layer';

// Why the image is rewritten after `docker save`: the engines this runs on stamp the build into
// the image config. Podman's Docker API (the legacy builder, no BuildKit) takes neither
// SOURCE_DATE_EPOCH nor a timestamp, so the config carries the clock (`created`, each history
// entry), a random build container id and hostname, and the id of an intermediate image made at
// that time (`parent`); in the layers, the folders a COPY creates are dated by the clock (the
// copied files carry the context's modes and the pins' date). So the image is rewritten the way
// BuildKit's `rewrite-timestamp` and `crane mutate` do: every time later than SOURCE_DATE_EPOCH
// is clamped to it (clamp-layer.ts), the per-build fields go, the config names the new layer
// digests, and the archive is written again with the fixed tar writer of the release archives. The engine then loads this archive,
// so the image it runs has exactly the published id.

/** The docker-archive `manifest.json` entry of one image. */
interface ArchiveManifest {
  Config: string;
  RepoTags?: string[];
  Layers: string[];
}

export interface CanonicalImage {
  /** The rewritten docker-archive. */
  archive: Buffer;
  /** `sha256:<digest of the config>`, the id the engine gives the image once it loads the archive. */
  imageId: string;
}

/** Config keys only the legacy builder's run writes: its build container, its host, its intermediate image. */
const PER_BUILD_KEYS = ['container', 'container_config', 'parent', 'docker_version'] as const;

/** The image config without what varies from one build of the same context to the next. Pure. */
export function canonicalConfig(config: Record<string, unknown>, sourceDateEpoch: number): Record<string, unknown> {
  // RFC 3339 as the engines write it, without the milliseconds toISOString adds.
  const at = new Date(sourceDateEpoch * 1000).toISOString().replace('.000Z', 'Z');
  const out: Record<string, unknown> = { ...config, created: at };
  for (const key of PER_BUILD_KEYS) delete out[key];
  if (isObject(out.config)) out.config = { ...out.config, Hostname: '' };
  if (Array.isArray(out.history)) out.history = sortLabelRuns(out.history.map((h) => (isObject(h) ? canonicalHistory(h, at) : h)));
  return out;
}

/**
 * The history with each run of consecutive `LABEL` steps that made no layer in a fixed order.
 * Podman turns the `--label` flags into one step per label, in Go's map order, which changes
 * from one build to the next (seen: `revision` before `version` in one nightly, after it in the
 * next). The labels themselves are a map in the config; the order of their steps says nothing. Pure.
 */
function sortLabelRuns(history: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < history.length; ) {
    const run: LabelStep[] = [];
    for (let h = history[i]; isLabelStep(h); h = history[++i]) run.push(h);
    if (!run.length) out.push(history[i++]);
    else out.push(...run.sort((a, b) => (a.created_by < b.created_by ? -1 : a.created_by > b.created_by ? 1 : 0)));
  }
  return out;
}

type LabelStep = Record<string, unknown> & { created_by: string };

function isLabelStep(h: unknown): h is LabelStep {
  return isObject(h) && h.empty_layer === true && typeof h.created_by === 'string' && LABEL_STEP.test(h.created_by);
}

const LABEL_STEP = /^\/bin\/sh -c #\(nop\) LABEL /;

/**
 * Rewrites a `docker save` archive of one image into its canonical form: the config from
 * canonicalConfig under its new digest, the layers as they were, `manifest.json` naming them,
 * every member with mode 0644, owner 0 and mtime 0, in a fixed order (layers, config, manifest).
 * Pure (async only because the tar writer streams); throws, naming what is missing, on an archive that is not one docker-archive image.
 */
export async function canonicalImage(saved: Buffer, sourceDateEpoch: number, repoTags?: readonly string[]): Promise<CanonicalImage> {
  const members = new Map(readTar(saved).filter((m) => m.type === '0').map((m) => [m.path, m.data]));
  const manifestBytes = members.get('manifest.json');
  if (!manifestBytes) throw new Error('the saved image has no manifest.json (not a docker-archive)');
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as ArchiveManifest[];
  if (!Array.isArray(manifest) || manifest.length !== 1) throw new Error(`the saved archive holds ${Array.isArray(manifest) ? manifest.length : 'no'} images, expected one`);
  const [image] = manifest as [ArchiveManifest];
  const configBytes = members.get(image.Config);
  if (!configBytes) throw new Error(`the saved image's config ${image.Config} is not in the archive`);
  const built = JSON.parse(configBytes.toString('utf8')) as Record<string, unknown>;
  // The id covers the config, which names the layers by digest: check that they are these.
  const diffIds = isObject(built.rootfs) && Array.isArray(built.rootfs.diff_ids) ? built.rootfs.diff_ids : [];
  if (diffIds.length !== image.Layers.length) throw new Error(`the saved image's config names ${diffIds.length} layers, its manifest ${image.Layers.length}`);
  const layers = image.Layers.map((path, i) => {
    const data = members.get(path);
    if (!data) throw new Error(`the saved image's layer ${path} is not in the archive`);
    const sha = `sha256:${sha256(data)}`;
    if (sha !== diffIds[i]) throw new Error(`the saved image's layer ${path} is not the config's layer ${i + 1} (${sha}, the config says ${String(diffIds[i])})`);
    const clamped = clampLayerTimes(data, sourceDateEpoch);
    const digest = sha256(clamped);
    return { path: `${digest}.tar`, data: clamped, diffId: `sha256:${digest}` };
  });
  const canonical = canonicalConfig(built, sourceDateEpoch);
  canonical.rootfs = { ...(built.rootfs as Record<string, unknown>), diff_ids: layers.map((l) => l.diffId) };
  const config = Buffer.from(JSON.stringify(canonical));
  const digest = sha256(config);
  // The names `docker load` gives it: the caller's (an image saved by id has none), else the saved ones.
  const out = { Config: `${digest}.json`, RepoTags: [...(repoTags ?? image.RepoTags ?? [])], Layers: layers.map((l) => l.path) };
  const entries: TarEntry[] = [...layers, { path: out.Config, data: config }, { path: 'manifest.json', data: Buffer.from(JSON.stringify([out])) }].map(({ path, data }) => ({
    type: 'file',
    path,
    mode: 0o644,
    size: data.length,
    content: () => Readable.from([data]),
  }));
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(entries)) chunks.push(chunk);
  return { archive: Buffer.concat(chunks), imageId: `sha256:${digest}` };
}

/** A history entry dated `at`; a comment naming the intermediate image a step started from (`FROM 63d1adb9f8ca`, made by this build) goes with `parent`. */
function canonicalHistory(entry: Record<string, unknown>, at: string): Record<string, unknown> {
  const { comment, ...rest } = entry;
  return { ...rest, created: at, ...(typeof comment === 'string' && INTERMEDIATE_IMAGE.test(comment) ? {} : comment === undefined ? {} : { comment }) };
}

const INTERMEDIATE_IMAGE = /^FROM [0-9a-f]{12,64}$/;

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
