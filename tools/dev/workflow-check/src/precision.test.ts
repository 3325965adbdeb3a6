import { beforeAll, describe, expect, it } from 'vitest';
import { checkFiles, THIS_REPOSITORY } from './check';
import type { Finding } from './finding';
import { readWorkflowSource } from './workflow-file';
import { loadWorkspaceFacts, type WorkspaceFacts } from './workspace-facts';

// The kinds of finding that made the org's real workflows (shell-heavy release jobs) unreadable,
// each held here as a case that must stay silent, beside a twin that must still be found, at the
// line and column of the offending text.

let facts: WorkspaceFacts;
beforeAll(async () => {
  facts = await loadWorkspaceFacts();
});

const COMPONENT = 'BTCDecoded/blvm-consensus';

interface JobOptions {
  env?: Record<string, string>;
  shell?: string;
  /** A second job, written out. */
  more?: string;
}

/** A workflow of one job whose only step runs `script` as a block scalar. */
function workflow(script: string, { env, shell, more = '' }: JobOptions = {}): string {
  const envLines = env ? `    env:\n${Object.entries(env).map(([k, v]) => `      ${k}: ${v}\n`).join('')}` : '';
  const body = script.trimEnd().split('\n').map((l) => (l ? `          ${l}` : '')).join('\n');
  return `name: Release
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
${envLines}    steps:
      - name: Release
${shell ? `        shell: ${shell}\n` : ''}        run: |
${body}
${more}`;
}

async function lint(yaml: string, rule: string, repository: string = COMPONENT): Promise<Finding[]> {
  const report = await checkFiles('/nonexistent', [readWorkflowSource('release.yml', yaml)], { facts, repository });
  expect(report.findings.filter((f) => f.rule === 'parser')).toEqual([]);
  return report.findings.filter((f) => f.rule === rule);
}

/** Line and column (1-based) of the first `needle` in `text`, or of its `nth` occurrence. */
function at(text: string, needle: string, nth = 1): { line: number; column: number } {
  let i = -1;
  for (let n = 0; n < nth; n++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const where = (fs: Finding[]) => fs.map((f) => ({ line: f.line, column: f.column }));

describe('a block scalar is the script, not a pipe', () => {
  it('reads `run: |` as the YAML header it is', async () => {
    expect(await lint(workflow('echo "building"\ncargo build --release\n'), 'piped-failure')).toEqual([]);
  });

  it('points at the offending line inside the block, not at run:', async () => {
    const yaml = workflow('echo "building"\ncargo build --release 2>&1 | tee build.log\necho done\n');
    const found = await lint(yaml, 'piped-failure');
    expect(where(found)).toEqual([at(yaml, 'cargo build')]);
    expect(found[0]!.message).toBe('job "release" pipes a command without pipefail: a failure of "cargo build --release 2>&1" is lost, the step takes the status of "tee build.log"');
    expect(found[0]!.fix).toMatch(/^add "shell: bash" to the step/);
  });

  it('places findings of every rule inside a script at their line and column', async () => {
    const yaml = workflow('VERSION="${{ github.event.client_payload.version }}"\ngit push origin "v$VERSION" || true\ncargo publish --allow-dirty\n');
    expect(where(await lint(yaml, 'expression-in-run'))).toEqual([at(yaml, '${{')]);
    expect(where(await lint(yaml, 'swallowed-failure'))).toEqual([at(yaml, '|| true')]);
    expect(where(await lint(yaml, 'publish-allow-dirty'))).toEqual([at(yaml, '--allow-dirty')]);
  });

  it('keeps folded and one-line scripts at their place too', async () => {
    const yaml = workflow('true').replace('run: |\n          true', 'run: curl -sf "$URL" | jq -r .version > v.txt');
    expect(where(await lint(yaml, 'piped-failure'))).toEqual([at(yaml, 'curl -sf')]);
    const folded = workflow('true').replace('run: |\n          true', 'run: >-\n          cargo test --all-features\n          | tee test.log');
    expect(where(await lint(folded, 'piped-failure'))).toEqual([at(folded, 'cargo test')]);
  });
});

describe('pipes whose status pipefail would not change', () => {
  it('leaves pipes inside $( ) and [ ]/[[ ]] tests alone', async () => {
    const script = [
      "VERSION=$(cargo metadata --no-deps --format-version 1 | jq -r '.packages[0].version')",
      'if [ "$(git tag -l "v$VERSION" | wc -l)" -gt 0 ]; then echo "tag exists"; exit 1; fi',
      '[[ $(curl -s "https://crates.io/api/v1/crates/x" | jq -r .crate.max_version) == "$VERSION" ]] && echo published',
      'echo "next=$(printf \'%s\\n\' $TAGS | sort -V | tail -1)" >> "$GITHUB_OUTPUT"',
    ].join('\n');
    expect(await lint(workflow(script), 'piped-failure')).toEqual([]);
  });

  it('leaves conditions alone: the script tests their status on purpose', async () => {
    const script = [
      'if cargo search "$CRATE" --limit 5 | grep -q "\\"$VERSION\\""; then echo found; fi',
      'for i in $(seq 1 60); do',
      '  if curl -sf "https://index.crates.io/bl/vm/blvm-consensus" | grep -q "\\"vers\\":\\"$VERSION\\""; then break; fi',
      '  sleep 10',
      'done',
      'until gh api "repos/$REPO/releases/tags/v$VERSION" | jq -e .id > /dev/null; do sleep 5; done',
      'git ls-remote --tags origin | grep -q "refs/tags/v$VERSION" && exit 0',
    ].join('\n');
    expect(await lint(workflow(script), 'piped-failure')).toEqual([]);
  });

  it('leaves pipes alone where nothing before the last pipe can fail unseen', async () => {
    expect(await lint(workflow('echo "$PAYLOAD" | jq -r .version\ngrep -c "^test " test.log | tee -a "$GITHUB_STEP_SUMMARY"\n'), 'piped-failure')).toEqual([]);
  });

  it('leaves a pipeline alone whose statuses the next command reads from PIPESTATUS', async () => {
    const script = 'cargo-spec-lock verify --format human 2>&1 | tee spec_lock.txt\nEXIT_CODE=${PIPESTATUS[0]}\nif [ "$EXIT_CODE" -ne 0 ]; then exit "$EXIT_CODE"; fi\n';
    expect(await lint(workflow(script), 'piped-failure')).toEqual([]);
  });

  it('knows set -o pipefail, set +e and shell: bash', async () => {
    expect(await lint(workflow('set -euo pipefail\ncargo test 2>&1 | tee test.log\n'), 'piped-failure')).toEqual([]);
    expect(await lint(workflow('cargo test 2>&1 | tee test.log\n', { shell: 'bash' }), 'piped-failure')).toEqual([]);
    expect(await lint(workflow('set +e\ncargo test 2>&1 | tee test.log\nrc=$?\n'), 'piped-failure')).toEqual([]);
    const late = workflow('cargo test 2>&1 | tee test.log\nset -o pipefail\ncargo build | tee build.log\n');
    expect(where(await lint(late, 'piped-failure'))).toEqual([at(late, 'cargo test')]);
    const sh = workflow('cargo test | tee test.log\n', { shell: 'sh' });
    expect((await lint(sh, 'piped-failure')).map((f) => f.fix)).toEqual(['use "shell: bash", which runs the script with -eo pipefail (sh has no pipefail)']);
  });

  it('still finds a failing command piped into a handler that never sees the failure', async () => {
    const yaml = workflow('cargo test 2>&1 | tee test.log || { echo "::error::tests failed"; exit 1; }\n');
    expect(where(await lint(yaml, 'piped-failure'))).toEqual([at(yaml, 'cargo test')]);
  });
});

describe('|| true where nothing is lost or the outcome is checked', () => {
  it('leaves an outcome the script checks afterwards alone', async () => {
    const script = [
      'out=$(cargo search "$CRATE" --limit 1 || true)',
      'if [ -z "$out" ]; then echo "::error::$CRATE is not on crates.io"; exit 1; fi',
      'LATEST=$(git describe --tags --abbrev=0 2>/dev/null || true)',
      '[ -n "$LATEST" ] || { echo "no tag yet"; exit 1; }',
      'RESPONSE=$(curl -s "https://crates.io/api/v1/crates/$CRATE/versions" || true)',
      'case "$RESPONSE" in *\'"versions"\'*) ;; *) echo "::error::no answer"; exit 1 ;; esac',
      'cargo publish --dry-run > dry-run.log 2>&1 || true',
      'if ! grep -q "Uploading" dry-run.log; then cat dry-run.log; exit 1; fi',
    ].join('\n');
    expect(await lint(workflow(script), 'swallowed-failure')).toEqual([]);
  });

  it('leaves cleanup whose failure does not matter alone', async () => {
    const script = [
      'rm -f Cargo.toml.bak || true',
      'git branch -D release-tmp 2>/dev/null || true',
      'docker rm -f builder || true',
      'docker image prune -f || true',
      'git tag -d nightly 2>/dev/null || true',
      'git push origin :refs/tags/nightly || true',
      'gh release delete nightly --yes || true',
      'grep -c "warning" build.log || true',
      'SAME_LINE=$(printf \'%s\\n\' $USED | grep -E "^0\\.1\\.[0-9]+$" | cut -d. -f3 || true)',
      '[ -f target/release/blvm ] && rm target/release/blvm || true',
    ].join('\n');
    expect(await lint(workflow(script), 'swallowed-failure')).toEqual([]);
  });

  it('still finds a push, a publish or a test let fail, and an unchecked result', async () => {
    const script = [
      'git push origin HEAD:main || true',
      'cargo test --all-features 2>&1 | tee test.log || true',
      'PUBLISHED=$(curl -s "https://crates.io/api/v1/crates/x/versions" | jq -r ".versions[].num" || true)',
      'echo "published: $PUBLISHED"',
      'git commit -m "Bump version" && git push || true',
    ].join('\n');
    const yaml = workflow(script);
    expect(where(await lint(yaml, 'swallowed-failure'))).toEqual([at(yaml, '|| true', 1), at(yaml, '|| true', 2), at(yaml, '|| true', 3), at(yaml, '|| true', 4)]);
  });
});

describe('secret-beside-build counts only commands that run component code', () => {
  const token = { CARGO_REGISTRY_TOKEN: '${{ secrets.CARGO_REGISTRY_TOKEN }}' };

  it('does not count gh, curl, git, echo, cargo login, search, metadata or package --list', async () => {
    const script = [
      'echo "Running: cargo publish --token [REDACTED]"',
      'cargo login "$CARGO_REGISTRY_TOKEN"',
      'cargo metadata --format-version 1 --no-deps > /dev/null',
      'cargo package --list',
      'cargo search blvm-consensus --limit 1',
      'git tag -a "v$VERSION" -m "Release v$VERSION" && git push origin "v$VERSION"',
      'gh release create "v$VERSION" --title "v$VERSION" --notes-file notes.md',
      'curl -sf -X POST -H "Authorization: Bearer $CARGO_REGISTRY_TOKEN" https://api.github.com/repos/BTCDecoded/blvm-node/dispatches -d @payload.json',
    ].join('\n');
    expect(await lint(workflow(script, { env: token, shell: 'bash' }), 'secret-beside-build')).toEqual([]);
  });

  it('counts cargo publish (it compiles the crate) and points at the secret', async () => {
    const yaml = workflow('cargo login "$CARGO_REGISTRY_TOKEN"\ncargo publish\n', { env: token, shell: 'bash' });
    const found = await lint(yaml, 'secret-beside-build');
    expect(found).toEqual([
      expect.objectContaining({
        ...at(yaml, 'secrets.CARGO_REGISTRY_TOKEN'),
        message: `job "release" runs component code (cargo, line ${at(yaml, 'cargo publish').line}) with secrets.CARGO_REGISTRY_TOKEN in the job; build in a job without secrets and publish from another that runs no component code`,
      }),
    ]);
    expect(found[0]!.fix).toContain('run "cargo publish" (line');
    expect(await lint(workflow('cargo publish --no-verify\n', { env: token, shell: 'bash' }), 'secret-beside-build')).toEqual([]);
  });

  it("counts a component's own scripts, Makefile and npm packages, but not the orchestrator's own", async () => {
    for (const script of ['./scripts/release.sh', 'bash scripts/bump-version.sh "$VERSION"', 'make dist', 'npm ci']) {
      expect((await lint(workflow(script, { env: token, shell: 'bash' }), 'secret-beside-build')).length, script).toBe(1);
      expect(await lint(workflow(script, { env: token, shell: 'bash' }), 'secret-beside-build', THIS_REPOSITORY), script).toEqual([]);
    }
  });
});
