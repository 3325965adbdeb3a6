import { join } from 'node:path';
import { execa } from 'execa';
import { type GitHubClient, type ReleaseAsset, createGitHubClient } from '@bllvm/github';
import { DIST_DIR, type ImageRecord, OrchestratorError, RELEASE_SET, componentDist } from '@bllvm/manifest';
import type { PlannedComponent, ReleasePlan } from '@bllvm/release';
import type { PublishRequest } from './request';

/** The deploy component's image and the repository to signal, or undefined when it built none. Pure. */
export function deployTarget(
  deployComponent: string | undefined,
  plan: { components: readonly Pick<PlannedComponent, 'name' | 'image' | 'repository'>[] },
): { image: ImageRecord; owner: string; repo: string } | undefined {
  if (deployComponent === undefined) return undefined;
  const c = plan.components.find((x) => x.name === deployComponent);
  if (!c?.image) return undefined;
  const image = c.image;
  const [owner, repo] = c.repository.split('/') as [string, string];
  return { image, owner, repo };
}

/** Without a registry push, the signal names the image archive on the release (or, failing that, the image). Pure. */
export function archiveReference(image: ImageRecord, assets: readonly ReleaseAsset[]): string {
  const asset = assets.find((a) => a.name.endsWith('.oci.tar'));
  return asset?.browserDownloadUrl ?? image.image;
}

/** The command that sends only the deploy signal again, for an already published release. Pure. */
export function resendDeployCommand(tag: string): string {
  return `npx nx run ${RELEASE_SET}:release --tag=${tag} --deployOnly --excludeTaskDependencies`;
}

/**
 * The release is published and complete; only the signal to the deploy repository failed. Not a
 * reason to publish again (the rerun hint of other publish failures would be wrong): the signal
 * alone is resent.
 */
export class DeploySignalError extends OrchestratorError {
  override readonly name = 'DeploySignalError';
  constructor(tag: string, why: string) {
    super(`published ${tag}; deploy signal failed: ${why}; resend it with ${resendDeployCommand(tag)}`);
  }
}

/**
 * Tell the deploy component's repository which image to run, when the release set has one.
 * Returns whether a signal was sent (false: nothing to signal, or a dry run).
 */
export async function signalDeploy(req: PublishRequest, client: GitHubClient, plan: ReleasePlan, assets: ReleaseAsset[], deadline: Date): Promise<boolean> {
  const target = deployTarget(req.deployComponent, plan);
  if (!target) {
    if (req.deployOnly) req.log(req.deployComponent === undefined ? 'no deployComponent configured: no deploy signal to send' : `the release set has no image of ${req.deployComponent}: no deploy signal to send`);
    return false;
  }
  const ref = await imageForDeploy(req, target.image, assets);
  // GITHUB_TOKEN of an Actions run cannot dispatch to another repository: a separate token may be given.
  const deployClient = req.config.github.deployToken
    ? createGitHubClient({ dryRun: req.dryRun, log: req.log, baseUrl: req.config.github.apiUrl, token: req.config.github.deployToken, deadline })
    : client;
  await deployClient.sendDeploy({ owner: target.owner, repo: target.repo, tag: req.tag, image: ref });
  req.log(`${req.dryRun ? 'would signal' : 'signalled'} deploy of ${ref} to ${target.owner}/${target.repo}`);
  return !req.dryRun;
}

/**
 * What the deploy signal names must exist (the old pipeline told the deploy component to pull an image
 * it never pushed). With imagePush (default BLLVM_IMAGE_PUSH) the saved image is loaded and pushed to its registry
 * and the signal names that reference; otherwise it names the image archive on the release.
 */
async function imageForDeploy(req: PublishRequest, image: ImageRecord, assets: ReleaseAsset[]): Promise<string> {
  if (!req.pushImage) return archiveReference(image, assets);
  if (req.dryRun) {
    req.log(`would push ${image.image}`);
    return image.image;
  }
  const archive = join(componentDist(join(req.root, DIST_DIR), image.component).dir, image.archive.name);
  for (const args of [['load', '--input', archive], ['push', image.image]]) {
    const r = await execa('docker', args, { reject: false, stdin: 'ignore' });
    if (r.exitCode !== 0) throw new Error(`docker ${args[0]} ${image.image} failed: ${String(r.stderr).trim()}`);
  }
  req.log(`pushed ${image.image}`);
  return image.image;
}
