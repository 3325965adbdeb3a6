import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { execa } from 'execa';
import { type BuildRecord, type ComponentDist, type ImageRecord, readBuildRecord } from '@bllvm/manifest';
import { sha256File as describeFile } from '@bllvm/release';
import { type CanonicalImage, canonicalImage } from './canonical-image';
import { dockerBuildArgs, dockerEnv, imageTags, ociLabels } from './docker-args';
import { moveInto } from '../../lib/atomic-output';
import { readDockerfile } from './dockerfile';
import { type StepProblem, formatStepProblems, isolatedBuild, onbuildProblems } from './isolated-steps';
import { pinnedBinaryProblems } from './pinned-binaries';
import { configTriggers, savedImageConfig } from './saved-image-config';
import type { DockerExecutorOptions } from './schema';

export interface DockerTaskResult {
  success: boolean;
  message: string;
  toolMs: number;
}

export interface DockerTaskIO {
  workspaceRoot: string;
  component: string;
  /** The component's dist paths: reads the build record and artifacts, writes image.json and image.tar beside it. */
  dist: ComponentDist;
  /** The orchestrator's work dir, where the build left the pinned crate's metadata (its bin targets). */
  workDir?: string;
  /** Scratch folder for the build context. */
  contextDir: string;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runDockerTask(options: DockerExecutorOptions, io: DockerTaskIO): Promise<DockerTaskResult> {
  const env = dockerEnv(io.env ?? process.env, io.contextDir);
  let toolMs = 0;
  const docker = async (args: string[], stdout: 'pipe' | 'inherit' = 'pipe') => {
    const started = Date.now();
    const r = await execa('docker', args, { env, reject: false, stdin: 'ignore', stdout, stderr: stdout === 'pipe' ? 'pipe' : 'inherit' });
    toolMs += Date.now() - started;
    return r;
  };
  const recordFile = io.dist.build.record;
  let record: BuildRecord;
  try {
    record = await readBuildRecord(recordFile);
  } catch (e) {
    // The reader's message names the file and, for a malformed record, every wrong field.
    return { success: false, message: `no usable build record: ${(e as Error).message}; build the binaries first`, toolMs };
  }
  if (io.workDir) {
    const problems = await pinnedBinaryProblems(io.workspaceRoot, io.workDir, io.component, options.binaries);
    if (problems?.length) return { success: false, message: `the binaries option of ${io.component} does not fit its pinned crate:\n${problems.join('\n')}`, toolMs };
  }
  // The Dockerfile before the engine sees anything: the engine cannot keep a build step off the
  // network (isolated-steps.ts), so a file with a step that runs is refused, every such step named.
  // These bytes, not the file read again later, are what the build gets.
  const dockerfileText = await readFile(resolve(io.workspaceRoot, options.dockerfile), 'utf8').catch((e: NodeJS.ErrnoException) => e);
  if (typeof dockerfileText !== 'string') return { success: false, message: `${io.component}: cannot read ${options.dockerfile}: ${dockerfileText.message}`, toolMs };
  const substituted = { ...(record.settings ? { SOURCE_DATE_EPOCH: String(record.settings.sourceDateEpoch) } : {}), ...options.buildArgs };
  const steps = isolatedBuild(readDockerfile(dockerfileText), substituted);
  if (steps.problems.length) return { success: false, message: refusal(io.component, options.dockerfile, steps.problems), toolMs };
  // Ask the engine first, with its answer captured: the build below streams its output instead.
  const engine = await docker(['version', '--format', '{{.Server.Version}}']);
  if (engine.exitCode !== 0)
    return {
      success: false,
      message: `cannot reach the Docker engine at DOCKER_HOST=${env.DOCKER_HOST ?? '(unset: the default socket)'}: ${String(engine.stderr).trim().split('\n').at(-1)}; start it (or podman's socket) and rerun`,
      toolMs,
    };
  // A base image's ONBUILD triggers run in this build as if the file had them: read them from the
  // image's config. A base named by tag could be retagged on the engine between this check and the
  // build; a base pinned by digest cannot (docs/security.md).
  for (const base of steps.bases) {
    const started = Date.now();
    const triggers = await onbuildTriggers(env, base.ref);
    toolMs += Date.now() - started;
    if (typeof triggers === 'string') return { success: false, message: `${io.component}: ${options.dockerfile}:${base.line}: FROM ${base.ref}: ${triggers}`, toolMs };
    const problems = onbuildProblems(base, triggers);
    if (problems.length) return { success: false, message: refusal(io.component, options.dockerfile, problems), toolMs };
  }
  // Stage the context from the recorded artifacts, checking digests so the image holds what was built.
  await rm(io.contextDir, { recursive: true, force: true });
  await mkdir(io.contextDir, { recursive: true });
  for (const name of options.binaries) {
    const artifact = record.artifacts.find((a) => a.name === name);
    if (!artifact) return { success: false, message: `${io.component}: binary "${name}" is not in ${recordFile}`, toolMs };
    const from = join(io.dist.build.dir, name);
    const d = await describeFile(from);
    if (d.sha256 !== artifact.sha256) return { success: false, message: `${from}: sha256 ${d.sha256} does not match the build record (${artifact.sha256})`, toolMs };
    await copyFile(from, join(io.contextDir, name));
  }
  const dockerfile = join(io.contextDir, 'Dockerfile');
  await writeFile(dockerfile, dockerfileText);
  // COPY keeps a file's mode and mtime in the layer: fixed modes, not the builder's umask, and the
  // binaries' date from the pins, not the copy's.
  for (const name of options.binaries) await chmod(join(io.contextDir, name), 0o755);
  await chmod(dockerfile, 0o644);
  if (record.settings) for (const name of [...options.binaries, 'Dockerfile']) await utimes(join(io.contextDir, name), record.settings.sourceDateEpoch, record.settings.sourceDateEpoch);

  const iidFile = `${io.contextDir}.iid`;
  await rm(iidFile, { force: true });
  const buildArgs = dockerBuildArgs(options, record, io.contextDir, dockerfile, iidFile);
  io.log(`${io.component}@${record.commit.slice(0, 7)}: docker ${buildArgs.join(' ')}`);
  const built = await docker(buildArgs, 'inherit');
  if (built.exitCode !== 0) return { success: false, message: `docker build failed for ${io.component} (exit ${built.exitCode}); output above`, toolMs };
  const [primary, ...others] = imageTags(options, record);
  let imageId = (await readFile(iidFile, 'utf8').catch(() => '')).trim();
  if (!/^sha256:[0-9a-f]{64}$/.test(imageId)) return { success: false, message: `docker build for ${io.component} wrote no image id to ${iidFile}`, toolMs };

  // The saved archive travels with image.json through Nx's cache, so a cache hit restores an image
  // that really exists (and can be `docker load`ed) instead of a record of one that may be gone.
  // Both are written into a temporary sibling folder and renamed into place, the record last and
  // the old record removed first, so dist never pairs a record with another run's archive.
  const recordName = basename(io.dist.image.record);
  await rm(io.dist.image.record, { force: true });
  await mkdir(io.dist.dir, { recursive: true });
  const work = await mkdtemp(join(io.dist.dir, '.image.partial-'));
  try {
    // By id, not by name: what this build made, whatever another job tagged meanwhile.
    const saved = await docker(['save', '--output', join(work, 'image.tar'), record.settings ? imageId : primary!]);
    if (saved.exitCode !== 0) return { success: false, message: `docker save ${primary} failed: ${String(saved.stderr).trim()}`, toolMs };
    if (record.settings) {
      // The engine stamped its clock into the config (canonical-image.ts): publish the image
      // dated by the pins instead, and load it back so the engine holds exactly that image.
      const canonical = await canonicalize(join(work, 'image.tar'), record.settings.sourceDateEpoch, [primary!]);
      if (typeof canonical === 'string') return { success: false, message: `${io.component}: ${canonical}`, toolMs };
      const loaded = await docker(['load', '--input', join(work, 'image.tar')]);
      if (loaded.exitCode !== 0) return { success: false, message: `docker load of the canonical image failed: ${String(loaded.stderr).trim()}`, toolMs };
      const now = await docker(['image', 'inspect', '--format', '{{.Id}}', canonical.imageId]);
      if (String(now.stdout).trim() !== canonical.imageId)
        return { success: false, message: `${io.component}: the engine names the loaded image ${String(now.stdout).trim() || '(none)'}, not ${canonical.imageId}; it rewrote the image`, toolMs };
      for (const tag of others) if ((await docker(['tag', canonical.imageId, tag])).exitCode !== 0) return { success: false, message: `docker tag ${tag} failed`, toolMs };
      // The engine's own build, now untagged, would pile up on a long-lived runner.
      if (imageId !== canonical.imageId) await docker(['image', 'rm', imageId]);
      imageId = canonical.imageId;
    }
    const image: ImageRecord = {
      component: io.component,
      image: primary!,
      tags: [primary!, ...others],
      imageId,
      labels: ociLabels(record),
      archive: { name: 'image.tar', ...(await describeFile(join(work, 'image.tar'))) },
      commit: record.commit,
      builtAt: new Date().toISOString(),
    };
    await writeFile(join(work, recordName), JSON.stringify(image, null, 2) + '\n');
    await moveInto(work, io.dist.dir, ['image.tar', recordName]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { success: true, message: `${io.component}@${record.commit.slice(0, 7)}: image ${primary} (${imageId.slice(0, 19)})`, toolMs };
}

function refusal(component: string, file: string, problems: readonly StepProblem[]): string {
  return `${component}: ${file} would run something during the image build, which the engine cannot keep off the network; refused before any build:\n${formatStepProblems(file, problems).join('\n')}`;
}

/**
 * The ONBUILD triggers of a base image's config, pulled first if the engine lacks it (as the build
 * would pull it); the reason as a string when they cannot be read. Read from `docker save`, as
 * podman's Docker API inspect leaves them out (saved-image-config.ts): that streams the base's
 * layers once, discarded as read, a cost the image's own save after the build pays again anyway.
 */
async function onbuildTriggers(env: Record<string, string>, ref: string): Promise<string[] | string> {
  const lastLine = (r: { stderr?: unknown }) => String(r.stderr ?? '').trim().split('\n').at(-1);
  const present = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { env, reject: false, stdin: 'ignore' });
  if (present.exitCode !== 0) {
    const pulled = await execa('docker', ['pull', ref], { env, reject: false, stdin: 'ignore' });
    if (pulled.exitCode !== 0) return `cannot pull the base image to read its ONBUILD triggers: ${lastLine(pulled)}`;
  }
  const save = execa('docker', ['save', ref], { env, reject: false, stdin: 'ignore', buffer: { stdout: false, stderr: true } });
  let config: Record<string, unknown> | Error;
  try {
    config = await savedImageConfig(save.stdout!);
  } catch (e) {
    config = e as Error;
  }
  const saved = await save;
  if (saved.exitCode !== 0) return `cannot save the base image to read its ONBUILD triggers: ${lastLine(saved)}`;
  if (config instanceof Error) return `cannot read the base image's config: ${config.message}`;
  return configTriggers(config);
}

/** Rewrites the saved archive in place into its canonical form; the reason as a string when it cannot. */
async function canonicalize(file: string, sourceDateEpoch: number, repoTags: readonly string[]): Promise<CanonicalImage | string> {
  try {
    const canonical = await canonicalImage(await readFile(file), sourceDateEpoch, repoTags);
    await writeFile(file, canonical.archive);
    return canonical;
  } catch (e) {
    return `cannot make the saved image canonical: ${(e as Error).message}`;
  }
}
