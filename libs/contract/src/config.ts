import { resolve } from 'node:path';
import { OrchestratorError, redactCredentials } from '@bllvm/manifest';

/**
 * The deployment's configuration, from the environment, read once per process at its edge (the
 * CLI's main, each executor) and passed down. Only configuration lives here: the CLI gives an
 * executor what it decided per run as typed task options, never through the environment.
 */
export interface OrchestratorConfig {
  /** BLLVM_GIT_BASE_URL: prefix of repository URLs, ends with '/'. https://github.com/ in production. */
  gitBaseUrl: string;
  /** BLLVM_WORK_DIR, absolute: mirrors, checkouts, cargo target directories, locks. */
  workDir: string;
  /**
   * BLLVM_CARGO_REGISTRY: the sparse index (`sparse+https://…/`, or `sparse+http://127.0.0.1…/`
   * for a local one) that replaces crates.io for registry dependencies; unset: crates.io.
   */
  cargoRegistry?: string;
  /**
   * BLLVM_CARGO_REGISTRY_TOKEN: what the publish step sends the registry (crates.io's, or the
   * one BLLVM_CARGO_REGISTRY names) to upload the release's crates; only the publish job has it.
   * Never printed.
   */
  cargoRegistryToken?: string;
  github: {
    /** GITHUB_API_URL without a trailing slash. */
    apiUrl: string;
    /** GITHUB_TOKEN; never printed. */
    token?: string;
    /** BLLVM_DEPLOY_TOKEN: for the deploy dispatch, which an Actions GITHUB_TOKEN cannot send to another repository. */
    deployToken?: string;
    /** GITHUB_REPOSITORY (owner/name), the releases' repository when the publish target names none. */
    repository?: string;
  };
  /** Defaults of the publish target's switches of the same name (its options win). */
  publish: {
    /** BLLVM_REPLACE_ASSETS: replace release assets whose bytes differ instead of failing. */
    replaceAssets: boolean;
    /** BLLVM_IMAGE_PUSH: push the image to its registry and name that in the deploy signal. */
    imagePush: boolean;
    /**
     * BLLVM_PUBLISH_DEADLINE_MINUTES: the whole publish step's time limit (the target's
     * deadlineMinutes option wins); unset, the publish executor's default applies.
     */
    deadlineMinutes?: number;
  };
  /**
   * The keys that vouch for a release, held only by the publish step (never a build). Unset: the
   * release is published without that attestation, and the publish step says so.
   */
  attest: {
    /** BLLVM_RELEASE_SIGNING_KEY: the armored OpenPGP secret key that signs SHA256SUMS; never printed. */
    signingKey?: string;
    /** BLLVM_RELEASE_SIGNING_KEY_PASSPHRASE, when that key is protected. */
    signingKeyPassphrase?: string;
    /** BLLVM_PROVENANCE_KEY: the PEM (PKCS#8) ed25519 key that signs the provenance envelope; never printed. */
    provenanceKey?: string;
  };
  /** DOCKER_HOST, for messages; docker itself reads it from the environment it inherits. */
  dockerHost?: string;
  /** BLLVM_LOCK_WAIT_SECONDS (default 600): how long a run waits for another run in the same checkout. */
  runLockWaitMs: number;
}

/** A bad configuration value: the message names the variable and what it must be, never a secret. */
export class ConfigError extends OrchestratorError {
  override name = 'ConfigError';
}

export const DEFAULT_GIT_BASE_URL = 'https://github.com/';
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

const GIT_BASE = /^(https:\/\/|file:\/\/\/|ssh:\/\/|http:\/\/127\.0\.0\.1[:/])/;
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
/** A sparse index over https, or over http on this machine only (the local registry of the tests and the demo). */
const SPARSE_INDEX = /^sparse\+(https:\/\/[^\s@"\\]+|http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?\/[^\s@"\\]*)$/;

function cargoRegistry(env: NodeJS.ProcessEnv): string | undefined {
  let v = nonEmpty(env, 'BLLVM_CARGO_REGISTRY');
  if (v === undefined) return undefined;
  if (!SPARSE_INDEX.test(v))
    throw new ConfigError(`BLLVM_CARGO_REGISTRY "${redactUrl(v).slice(0, 200)}" must be a sparse index URL without credentials: sparse+https://…/ (or sparse+http://127.0.0.1:PORT/…/ on this machine)`);
  if (!v.endsWith('/')) v += '/';
  return v;
}

/** A URL as it may be shown: any user:password@ replaced, so an error never leaks credentials. */
export function redactUrl(url: string): string {
  return redactCredentials(url);
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = (env[name] ?? '').trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '' || v === '0' || v === 'false' || v === 'no') return false;
  throw new ConfigError(`${name} must be 1 or 0 (or true/false), got "${v.slice(0, 40)}"`);
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = (env[name] ?? '').trim();
  if (v === '') return fallback;
  if (!/^\d{1,6}$/.test(v)) throw new ConfigError(`${name} must be a whole number of seconds, got "${v.slice(0, 40)}"`);
  return Number(v);
}

/** A positive number of minutes, fractions allowed (a test sets half a minute), at most a day. */
function minutes(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = (env[name] ?? '').trim();
  if (v === '') return undefined;
  const n = /^\d{1,4}(\.\d{1,3})?$/.test(v) ? Number(v) : NaN;
  if (!(n > 0 && n <= 1440)) throw new ConfigError(`${name} must be a positive number of minutes (at most 1440), got "${v.slice(0, 40)}"`);
  return n;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Parse the configuration; throws ConfigError naming the first bad variable. */
export function readConfig(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  let gitBaseUrl = nonEmpty(env, 'BLLVM_GIT_BASE_URL') ?? DEFAULT_GIT_BASE_URL;
  if (!GIT_BASE.test(gitBaseUrl))
    throw new ConfigError(`BLLVM_GIT_BASE_URL "${redactUrl(gitBaseUrl)}" must start with https://, file:///, ssh:// or http://127.0.0.1`);
  if (!gitBaseUrl.endsWith('/')) gitBaseUrl += '/';

  const apiUrl = (nonEmpty(env, 'GITHUB_API_URL') ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(apiUrl);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol))
    throw new ConfigError(`GITHUB_API_URL "${redactUrl(apiUrl)}" must be an http:// or https:// URL`);
  if (parsed.username || parsed.password) throw new ConfigError(`GITHUB_API_URL must not carry credentials (use GITHUB_TOKEN): "${redactUrl(apiUrl)}"`);

  const repository = nonEmpty(env, 'GITHUB_REPOSITORY');
  if (repository !== undefined && !REPOSITORY.test(repository))
    throw new ConfigError(`GITHUB_REPOSITORY must be owner/name, got "${repository.slice(0, 100)}"`);

  return {
    gitBaseUrl,
    workDir: resolve(workspaceRoot, nonEmpty(env, 'BLLVM_WORK_DIR') ?? '.bllvm'),
    cargoRegistry: cargoRegistry(env),
    cargoRegistryToken: nonEmpty(env, 'BLLVM_CARGO_REGISTRY_TOKEN'),
    github: { apiUrl, token: nonEmpty(env, 'GITHUB_TOKEN'), deployToken: nonEmpty(env, 'BLLVM_DEPLOY_TOKEN'), repository },
    publish: { replaceAssets: flag(env, 'BLLVM_REPLACE_ASSETS'), imagePush: flag(env, 'BLLVM_IMAGE_PUSH'), deadlineMinutes: minutes(env, 'BLLVM_PUBLISH_DEADLINE_MINUTES') },
    attest: {
      signingKey: nonEmpty(env, 'BLLVM_RELEASE_SIGNING_KEY'),
      signingKeyPassphrase: nonEmpty(env, 'BLLVM_RELEASE_SIGNING_KEY_PASSPHRASE'),
      provenanceKey: nonEmpty(env, 'BLLVM_PROVENANCE_KEY'),
    },
    dockerHost: nonEmpty(env, 'DOCKER_HOST'),
    runLockWaitMs: seconds(env, 'BLLVM_LOCK_WAIT_SECONDS', 600) * 1000,
  };
}

/**
 * Every secret value the configuration holds: the tokens, the release keys and their passphrase,
 * and the password of BLLVM_GIT_BASE_URL (as written and decoded). What prints text hands these
 * to redactCredentials, which removes them in any encoding: an opaque token has no shape to be
 * found by. Pure.
 */
export function configSecrets(config: OrchestratorConfig): string[] {
  const found = [config.cargoRegistryToken, config.github.token, config.github.deployToken, config.attest.signingKey, config.attest.signingKeyPassphrase, config.attest.provenanceKey];
  const password = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:([^/@\s]+)@/i.exec(config.gitBaseUrl)?.[1];
  if (password) {
    found.push(password);
    try {
      found.push(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the password as written is all there is.
    }
  }
  return [...new Set(found.filter((s): s is string => !!s))];
}
