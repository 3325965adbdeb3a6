/**
 * The environment component code gets: built from nothing, never copied from ours. Whatever the
 * runner holds (GITHUB_TOKEN, ORCHESTRATOR_TOKEN, BLLVM_DEPLOY_TOKEN, DOCKER_HOST, SSH agents,
 * cloud credentials) is absent because nothing carries it over, not because a deny-list knew its
 * name.
 */

/**
 * Variables of ours passed through when set: they change what cargo produces, not where it
 * reaches. Not SOURCE_DATE_EPOCH: a build task sets it from its pinned commits (reproducible.ts),
 * so the runner's value could only make two builds of the same pins differ.
 */
export const PASSED_THROUGH = [
  'CARGO_BUILD_TARGET',
  'CARGO_PROFILE_RELEASE_DEBUG',
  'CARGO_TERM_COLOR',
  'RUST_BACKTRACE',
  'RUST_TEST_THREADS',
] as const;

/** Fixed values: the same on every machine, so outputs do not depend on who built them. */
export const FIXED_ENV: Readonly<Record<string, string>> = {
  PATH: '/toolchain/bin:/usr/bin:/bin',
  HOME: '/home/builder',
  USER: 'builder',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TZ: 'UTC',
  TMPDIR: '/tmp',
  CARGO_HOME: '/cargo-home',
  CARGO_TARGET_DIR: '/target',
  // Belt and braces: the sandbox has no network, and cargo should not even try.
  CARGO_NET_OFFLINE: 'true',
};

/** Names that look like credentials: refused even if a caller asks to pass them explicitly. */
const CREDENTIAL = /TOKEN|SIGNING_KEY|PROVENANCE_KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|API_KEY|ACCESS_KEY|AUTH|^SSH_|^GPG_|^DOCKER_|^GITHUB_|^ACTIONS_|^AWS_|^NPM_/i;

export class HermeticEnvError extends Error {}

/**
 * The sandbox's environment: the fixed values, the allow-listed ones present in `host`, and the
 * `extra` the task itself sets (RUSTFLAGS and the like). An extra whose name looks like a
 * credential is a programming error, and throws.
 */
export function hermeticEnv(host: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const v = host[name];
    if (v !== undefined) env[name] = v;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (CREDENTIAL.test(name)) throw new HermeticEnvError(`refusing to pass ${name} into the build sandbox: it looks like a credential`);
    env[name] = value;
  }
  return { ...env, ...FIXED_ENV };
}
