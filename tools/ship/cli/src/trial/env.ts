/**
 * What a trial's builds are not given, pure: every variable that looks like a credential. A trial
 * builds code nobody has reviewed yet; the one exception is the shared cache's token, and only once
 * it is known to be a read token (remote-cache.ts).
 */
export const CACHE_TOKEN = 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN';
export const CACHE_SERVER = 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER';

const SECRET = /TOKEN|SECRET|PASSWORD|PASSPHRASE|CREDENTIAL|PRIVATE|(?:^|_)KEY(?:$|_)|SIGNING/i;
/** Not secrets themselves, but each hands one out to whoever asks. */
const AGENTS = new Set(['SSH_AUTH_SOCK', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GPG_AGENT_INFO']);

export function withheldFromTrial(name: string, cacheTokenReadOnly: boolean): boolean {
  if (name === CACHE_TOKEN) return !cacheTokenReadOnly;
  return SECRET.test(name) || AGENTS.has(name);
}
