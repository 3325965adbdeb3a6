import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateProvenanceKey, generateSigningKey } from '@bllvm/attest';
import { execa } from 'execa';
import { type GitHubApi, startGitHubApi } from '@bllvm/github-api';
import { type PodmanService, startPodmanService } from '@bllvm/podman';
import type { RealRepository, SandboxComponent } from '@bllvm/sandbox';
import type { StackProfile } from './profile';
import { type SandboxWorkspace, createSandboxWorkspace } from './sandbox-workspace';
import type { WorkspaceCopy } from './workspace-copy';
import { type ToolShims, installToolShims } from './tool-shims';

export const ORCHESTRATOR_REPOSITORY = 'BTCDecoded/bllvm';

export interface Pipeline<R extends string = SandboxComponent> {
  sw: SandboxWorkspace<R>;
  podman: PodmanService;
  api: GitHubApi;
  shims: ToolShims;
  token: string;
  /** The public keys an operator of this sandbox trusts (release.asc, provenance.pem): `verify --keys`. */
  keysDir: string;
  /** Stops the services this started (by PID) and removes every folder. */
  stop(): Promise<void>;
}

/**
 * Everything the orchestrator talks to, local and real: the sandbox org and a workspace copy
 * pointed at it, podman's Docker API, and the local GitHub API. The workspace's environment is
 * set so the CLI and Nx use them exactly as they would use GitHub in production.
 */
export interface PipelineOptions {
  tag?: boolean;
  size?: number;
  sizes?: Record<string, number>;
  keep?: boolean;
  toolCpu?: boolean;
  profile?: StackProfile;
}

export function startPipeline(opts?: PipelineOptions & { profile?: 'seed' }): Promise<Pipeline>;
export function startPipeline(opts: PipelineOptions & { profile: 'real' }): Promise<Pipeline<RealRepository>>;
export function startPipeline(opts: PipelineOptions): Promise<Pipeline<string>>;
export async function startPipeline(opts: PipelineOptions = {}): Promise<Pipeline<string>> {
  const sw = await createSandboxWorkspace({ tag: opts.tag, size: opts.size, sizes: opts.sizes, profile: opts.profile });
  const base = join(sw.ws.dir, '..');
  let podman: PodmanService | undefined;
  let api: GitHubApi | undefined;
  try {
    podman = await startPodmanService(join(base, 'podman'));
    const token = `local-${Math.random().toString(36).slice(2)}`;
    api = await startGitHubApi({ token });
    const shims = await installToolShims(join(base, 'shims'), undefined, { cpu: opts.toolCpu });
    const keys = await sandboxReleaseKeys(join(base, 'keys'));
    Object.assign(sw.ws.env, {
      BLLVM_RELEASE_SIGNING_KEY: keys.signingKey,
      BLLVM_PROVENANCE_KEY: keys.provenanceKey,
      DOCKER_HOST: podman.dockerHost,
      GITHUB_API_URL: api.url,
      GITHUB_TOKEN: token,
      GITHUB_REPOSITORY: ORCHESTRATOR_REPOSITORY,
      PATH: `${shims.binDir}:${process.env.PATH}`,
    });
    const [p, a] = [podman, api];
    return {
      sw,
      podman: p,
      api: a,
      shims,
      token,
      keysDir: keys.dir,
      async stop() {
        await Promise.allSettled([p.stop(), a.stop()]);
        if (!opts.keep) await sw.remove();
        else await sw.registry.stop();
      },
    };
  } catch (e) {
    await Promise.allSettled([podman?.stop(), api?.stop()]);
    await sw.remove();
    throw e;
  }
}

/**
 * Keys made for this sandbox only: the secrets go to the environment the publish step reads, the
 * public halves to a folder an operator would pass to `verify --keys`.
 */
export async function sandboxReleaseKeys(dir: string): Promise<{ dir: string; signingKey: string; provenanceKey: string }> {
  const signing = await generateSigningKey('bllvm sandbox release key');
  const provenance = generateProvenanceKey();
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'release.asc'), signing.publicKey);
  await writeFile(join(dir, 'provenance.pem'), provenance.publicKey);
  return { dir, signingKey: signing.secretKey, provenanceKey: provenance.privateKey };
}

/**
 * A bare repository standing in for the orchestrator's own repository on GitHub, set as the
 * workspace copy's `origin` with main tracking it: what `--push` pushes pins to.
 */
export async function addOrigin(ws: WorkspaceCopy, dir: string): Promise<string> {
  const origin = join(dir, 'origin.git');
  await execa('git', ['clone', '--quiet', '--bare', ws.dir, origin]);
  await ws.git('remote', 'add', 'origin', origin);
  await ws.git('fetch', '--quiet', 'origin');
  await ws.git('branch', '--quiet', '--set-upstream-to=origin/main');
  return origin;
}
