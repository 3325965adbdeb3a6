/**
 * Regenerates docs/reliability.md from what the reliability suites recorded:
 *
 *   npx vitest run test/reliability        # writes dist/reliability/{corpus,faults,concurrency}.json
 *   npx tsx tools/dev/reliability/src/report.ts
 *
 * Every figure in the document comes from those files; only the recovery procedures and the
 * proposed fixes for known defects are written here, by hand, next to the code that prints them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const RESULTS = join(ROOT, 'dist', 'reliability');
const DOC = join(ROOT, 'docs', 'reliability.md');
const SUITES = ['corpus', 'faults', 'concurrency'] as const;

/** How a case ended; the suites in test/reliability write these and this report reads them. */
export type Outcome =
  /** A bad input refused with its expected message and nothing changed. */
  | 'rejected'
  /** A valid control input accepted. */
  | 'accepted'
  /** A fault survived: the run (or its own retry) reached the correct final state. */
  | 'converged'
  /** A fault made the run fail cleanly, with nothing half-done and a message saying what to do. */
  | 'failed-cleanly'
  /** Concurrent work all landed. */
  | 'landed'
  /** Skipped with a reason (e.g. mount not permitted). */
  | 'skipped'
  /** Known defect: the test is marked it.fails and the report lists it. */
  | 'defect';

export interface CaseResult {
  group: string;
  name: string;
  why?: string;
  outcome: Outcome;
  /** For defects: the cause; for others: what was observed (e.g. the message). */
  detail?: string;
  durationMs?: number;
  /** Extra numbers a suite wants in the report (events fed, releases seen, ...). */
  figures?: Record<string, number>;
}

interface SuiteResult {
  suite: string;
  finishedAt: string;
  wallMs: number;
  /** Where the suite ran (a clean clone for the published report): stripped from messages like ROOT. */
  workspaceRoot?: string;
  cases: CaseResult[];
}

/** Where each known defect's fix belongs, keyed by "<group>/<case name>" as the suites record it. */
const FIXES: Record<string, { where: string; fix: string }> = {
  'versions/requires-prototype-name.toml': {
    where: 'libs/manifest/src/versions.ts (parseEntry), libs/manifest/src/graph.ts (topologicalOrder)',
    fix: 'Test membership with `Object.hasOwn(req, m[1])` (and `Object.hasOwn(entries, dep)` / `Object.hasOwn(dependencies, dep)`), or build these maps with `Object.create(null)`/`Map`, so "constructor", "toString" and "__proto__" are ordinary unknown names.',
  },
  'repos/sibling-path-outside-sources': {
    where: 'libs/manifest (new pathDependencies(text)), tools/ship/nx-plugin/src/executors/graph-check/graph-check.ts and cargo/run-cargo.ts',
    fix: 'Read every `path = "..."` in [dependencies], [dev-dependencies], [build-dependencies] and target tables of each checkout\'s Cargo.toml; resolve it against the checkout; refuse before running cargo when it is not inside paths.sourcesDir(cfg) (and, for a sibling crate name, not that sibling\'s checkout), with "<component>/Cargo.toml: path dependency <name> = "<path>" resolves to <abs>, outside the side-by-side checkouts".',
  },
  'repos/path-to-unpinned-crate': {
    where: 'same check as sibling-path-outside-sources',
    fix: 'The same path-dependency check; it turns this silent success (unpinned code shipped) into a refusal naming the path.',
  },
  'repos/symlink-lib-to-passwd': {
    where: 'libs/sources/src/checkout.ts (ensureCheckout)',
    fix: 'After `git checkout`, list symlinks with `git ls-files -s` (mode 120000) and refuse the checkout when any target, resolved from the link\'s folder, is absolute or leaves the checkout: "checkout of <component> at <sha>: <path> is a symlink to <target>, outside the checkout; refusing to build it". Doing it at checkout time protects graph-check, cargo and the docker context alike.',
  },
  'repos/symlink-cargo-toml': {
    where: 'libs/sources/src/checkout.ts (ensureCheckout)',
    fix: 'The same symlink check at checkout time (graph-check then never reads through the link).',
  },
  'options/run release-set:release --excludeTaskDependencies --keepNightlies=0': {
    where: 'tools/ship/nx-plugin/src/executors/publish/schema.json and run-publish.ts',
    fix: 'Declare keepNightlies as `"type": "number", "multipleOf": 1, "minimum": 1` (Nx enforces minimum only for "number"), and check `Number.isInteger(keep) && keep >= 1` in publishReleaseSet before pruning, failing with "keepNightlies must be at least 1".',
  },
  'options/run bllvm-consensus:build --target=../../x': {
    where: 'tools/ship/nx-plugin/src/executors/cargo/schema.json, schema.d.ts, cargo-args.ts, run-cargo.ts',
    fix: 'Rename the option (e.g. `rustTarget` or `triple`), since `nx run` consumes --target itself; keep `target` as a deprecated alias read from project.json only.',
  },
  'github-api/delete-release: message says to rerun': {
    where: 'tools/ship/nx-plugin/src/executors/publish/run-publish.ts',
    fix: 'Catch GitHubApiError around ensureRelease/uploadAssets/verify and rethrow with "...; publishing converges: rerun `bllvm-release <kind>` to complete it". Better still, on a 404 from an upload re-run ensureRelease once (the release vanished) and continue.',
  },
  'docker/message names DOCKER_HOST': {
    where: 'tools/ship/nx-plugin/src/executors/docker/run-docker.ts',
    fix: 'Before `docker build`, run `docker version --format {{.Server.Version}}` with stderr piped; on failure return "cannot reach the Docker API at DOCKER_HOST=<value or default unix:///var/run/docker.sock>: <docker\'s message>; start the daemon or podman socket, or fix DOCKER_HOST". (Or capture stderr with `all`/tee so the existing hint can match.)',
  },
  'git/permanent push refusal retried as a race': {
    where: 'libs/orchestrator/src/move-pins.ts (commitPinMoves)',
    fix: 'Retry only on a race: `non-fast-forward|fetch first|failed to update ref|cannot lock ref`. Treat `[remote rejected]` / `pre-receive hook declined` / `protected branch` as permanent and fail at once with git\'s reason.',
  },
  'git/failed push leaves an unpushed pin commit at HEAD': {
    where: 'libs/orchestrator/src/move-pins.ts (commitPinMoves)',
    fix: 'Remember HEAD before the first attempt; when the final push fails (or any error is thrown after committing), `git reset --quiet --keep <start>` so the checkout is as it was and a rerun converges; say "nothing was committed or pushed".',
  },
  'nightly/second concurrent nightly ends on the same release': {
    where: 'tools/ship/nx-plugin/src/executors/cargo/run-cargo.ts and publish/run-publish.ts',
    fix: 'Make artifacts independent of the checkout path (pass `--remap-path-prefix=<sourcesDir>=/bllvm/src` and `--remap-path-prefix=<CARGO_HOME>=/cargo` via RUSTFLAGS/`--config build.rustflags`), so two runners build identical bytes; and in publish, when the release for this tag already holds a release-manifest.json recording the same pins and it verifies, report "already published by another run" and exit 0 instead of uploading. In libs/github/src/assets.ts uploadWithRecovery, when the name was taken meanwhile by different bytes, throw the same asset_conflict error as uploadAssets (not the bare 422).',
  },
};

/** What an operator does after each kind of failure the suites inject. */
const RECOVERY: [string, string][] = [
  ['A bad versions.toml, pin or event is refused', 'Nothing was changed or published. Fix the file or payload the message names (file:line: field: problem), run `npm run cli -- check`, and resend. A refused event needs no clean-up; if the sender is hostile, revoke its token.'],
  ['graph-check or a build refuses a component commit (hostile or broken manifest)', 'Do not pin that commit. `git checkout -- apps/<component>/pin.toml` (or let the next good event move it on), report the problem to the component repository, and rerun `npx nx run release-set:graph-check` once a fixed commit exists.'],
  ['GitHub answers 5xx or rate-limits', 'The client retries 5xx three times and waits out rate limits (up to 15 min). If the run still fails, rerun the same command later: releases are found by tag, assets by name and sha256, so nothing is duplicated.'],
  ['An upload was cut off (asset left in state `starter`)', 'Rerun the same nightly/prerelease/release. The starter asset is deleted and the file uploaded again; finished assets with the same bytes are kept.'],
  ['The release disappeared mid-run (deleted by someone)', 'Rerun. The tag is still at the same commit, so the release is created again and every asset uploaded; last-release was not moved by the failed run.'],
  ['The runner or the CLI was killed (SIGKILL, OOM, lost runner)', 'Rerun the same command on the same orchestrator commit: it re-stages, keeps the assets already uploaded and uploads the rest. A SIGKILLed run may leave a lock under `$BLLVM_WORK_DIR/locks` that expires by itself after 30 s.'],
  ['A publish was killed, or stopped at its deadline ("<tag> not published: the publish stopped at its deadline while it was to …; not done: …")', 'Rerun the same command. The release stays a draft (no tag, nothing public) until every asset is uploaded and verified; the rerun finds the draft (drafts are listed only to callers with push access), completes and verifies it, then publishes it. One deadline bounds the whole publish against an API that stops answering: `deadlineMinutes` or `BLLVM_PUBLISH_DEADLINE_MINUTES`, by default 5 minutes plus the staged files\' upload time at 256 KiB/s.'],
  ['Publishing names a "foreign asset" or an asset "held with different content"', 'Something other than this release set put assets on the release. Look at them first; then rerun with BLLVM_REPLACE_ASSETS=1 (the publish option `replaceAssets`): it deletes the foreign assets, re-uploads the wrong ones and verifies the release against what was staged.'],
  ['"published <tag>; deploy signal failed: ..."', 'The release is public and complete and last-release has moved. Fix the cause (deploy token, the deploy repository), then run the command printed, `npx nx run release-set:release --tag=<tag> --deployOnly --excludeTaskDependencies` (add `--dryRun` to see what it would send): it sends only the deploy signal.'],
  ['The disk filled up (ENOSPC)', 'Free space (old `dist/release/*`, `$BLLVM_WORK_DIR/target`, `docker image prune`), then rerun. Staging writes into a temporary sibling folder and renames it only when complete, so no half-staged release is ever uploaded.'],
  ['cargo was killed mid-build (OOM killer, timeout)', 'Rerun. The failed task\'s dist/<component>/<command> was cleared before cargo started and Nx never caches a failure, so the rerun builds it from the pinned commit; its dependents were skipped, not built against stale outputs.'],
  ['The docker socket is gone', 'Start the engine (or `podman system service`) and check DOCKER_HOST points at its socket (`docker version` must answer), then rerun; only the image task and what depends on it failed.'],
  ['A component repository cannot be reached (moved, deleted, network)', 'Nothing was moved. Check BLLVM_GIT_BASE_URL and the `repository` in the component\'s pin.toml; if the repository was renamed, update the pin\'s repository in a reviewed commit. Rerun once `git ls-remote <url>` works.'],
  ['The orchestrator\'s own push was rejected (branch protection, hook)', 'Fix the cause git printed (the hook\'s message). Then, because the unpushed pin commit is still checked out (known defect), run `git fetch origin && git reset --hard origin/main` in the orchestrator checkout and rerun; in Actions a rerun starts from a fresh checkout anyway.'],
  ['handle-event says "could not push the pin move after 6 attempts"', 'Its push lost the race to other runs six times (only possible outside the workflows\' `orchestrator-pins` concurrency group, e.g. many manual runs at once). Nothing reached origin: `git fetch origin && git reset --hard origin/main` in that checkout (the unpushed attempt is still checked out, see the known defect), then rerun the same event; it lands once or is refused as older than a newer pin.'],
  ['Two nightlies ran at once', 'The second run\'s pin push loses the race and re-applies on top, so one pin commit lands; both publish the same tag. Every asset, the image included, is byte-identical wherever it is built (docs/architecture.md, reproducible releases), so the second run finds the same bytes and converges. If one run still fails with `asset_conflict` (another engine or toolchain version on that runner), the release is the first run\'s and complete: verify it (`npm run cli -- verify <tag> --keys <dir>`) and do not rerun the failed run with BLLVM_REPLACE_ASSETS=1.'],
];

function load(suite: string): SuiteResult {
  const file = join(RESULTS, `${suite}.json`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx vitest run test/reliability\` first (it writes dist/reliability/*.json)`);
  const result = JSON.parse(readFileSync(file, 'utf8')) as SuiteResult;
  if (result.workspaceRoot && !ROOTS.includes(result.workspaceRoot)) ROOTS.push(result.workspaceRoot);
  return result;
}

/** Workspace roots to strip from messages: this one, and wherever the results were produced. */
const ROOTS = [ROOT];

const count = (cases: CaseResult[], ...outcomes: Outcome[]) => cases.filter((c) => outcomes.includes(c.outcome)).length;
const cell = (s: string | undefined) =>
  ROOTS.reduce((text, root) => text.split(`${root}/`).join(''), s ?? '')
    .replace(/\/tmp\/bllvm-[A-Za-z0-9-]+/g, '<tmp>')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
const secs = (ms: number | undefined) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);

export function render(results: Record<(typeof SUITES)[number], SuiteResult>): string {
  const corpus = results.corpus.cases;
  const bad = corpus.filter((c) => c.outcome !== 'accepted');
  const faults = results.faults.cases;
  const conc = results.concurrency.cases;
  const events = conc.find((c) => c.group === 'handle-event');
  const nightly = conc.find((c) => c.group === 'nightly' && c.outcome !== 'defect');
  const defects = [...corpus, ...faults, ...conc].filter((c) => c.outcome === 'defect');
  const groups = [...new Set(bad.map((c) => c.group))];
  // A fault's follow-up run is recorded as "<fault> (rerun)"; the fault itself is the row without it.
  const injected = faults.filter((c) => c.outcome !== 'defect' && !c.name.endsWith(' (rerun)'));
  const rerunOf = (c: CaseResult) => faults.find((r) => r.name === `${c.name} (rerun)`);
  const failedThenConverged = injected.filter((c) => c.outcome === 'failed-cleanly' && rerunOf(c)?.outcome === 'converged');

  const out: string[] = [];
  const line = (s = '') => out.push(s);
  line('# Reliability: bad inputs, injected faults, concurrency');
  line();
  line('<!-- Generated by `npx tsx tools/dev/reliability/src/report.ts` from dist/reliability/*.json (written by `npx vitest run test/reliability`). Do not edit by hand. -->');
  line();
  line(`Results of the suites in \`test/reliability/\` (${SUITES.map((s) => `${s} ${results[s].finishedAt.slice(0, 16).replace('T', ' ')} UTC`).join(', ')}).`);
  line('Every case runs the real entry points against the sandbox org, real git, cargo and docker (podman),');
  line('and the local GitHub API. A bad input counts as rejected only if it was refused with its expected');
  line('message **and** left no pin, HEAD or origin moved, no GitHub write, no process and no temporary');
  line('folder behind. Known defects are `it.fails` tests: the suites stay green while they exist and turn');
  line('red when one is fixed (then flip the test to `it`).');
  line();
  line('## Summary');
  line();
  line('| what was tried | how many | outcome |');
  line('|---|---:|---|');
  line(`| bad inputs (corpus: ${groups.map((g) => `${g} ${bad.filter((c) => c.group === g).length}`).join(', ')}) | ${bad.length} | ${count(bad, 'rejected')} rejected cleanly, ${count(bad, 'defect')} known defects |`);
  line(`| valid inputs as controls (must be accepted) | ${count(corpus, 'accepted')} | ${count(corpus, 'accepted')} accepted |`);
  line(
    `| faults injected (${[...new Set(injected.map((c) => c.group))].join(', ')}) | ${injected.length} | ` +
      `${count(injected, 'converged')} converged (retries within the run, or the run's own rerun), ` +
      `${count(injected, 'failed-cleanly')} failed cleanly first (${failedThenConverged.length} of them then converged on the documented rerun), ${count(injected, 'skipped')} skipped |`,
  );
  if (events?.figures)
    line(`| concurrent \`handle-event --push\` runs, one clone each | ${events.figures.events} | ${events.figures.moved} pin moves landed exactly once in ${events.figures.commits} linear commits, ${events.figures.superseded} older events refused as superseded, ${events.figures.lost} lost |`);
  if (nightly?.figures)
    line(`| nightlies started together (two clones, one GitHub API) | ${nightly.figures.nightlies} | ${nightly.figures.releases} release published, ${nightly.figures.exitZero} of ${nightly.figures.nightlies} runs exited 0 |`);
  line(`| known defects (it.fails, fix proposed below) | ${defects.length} | |`);
  line();
  line('| suite | cases | wall time |');
  line('|---|---:|---:|');
  for (const s of SUITES) line(`| \`test/reliability/${s}.test.ts\` | ${results[s].cases.length} | ${secs(results[s].wallMs)} |`);
  line();
  line('Beside them, `test/reliability/reproducible-image.test.ts` builds one build record\'s image four times on a fresh');
  line('engine and requires one image id: a defect found by CI (podman writes the `--label` steps in Go\'s map order, so');
  line('two nightlies of the same pins gave two ids), fixed in `canonical-image.ts`.');
  line();

  line('## Known defects');
  line();
  if (!defects.length) {
    line('None open. The twelve these suites found were fixed at their cause (see the git history: each');
    line('was an `it.fails` test that is now an ordinary passing one).');
  } else {
    line('| # | case | what happens | where to fix | proposed fix |');
    line('|---:|---|---|---|---|');
    defects.forEach((d, i) => {
      const fix = FIXES[`${d.group}/${d.name}`];
      line(`| ${i + 1} | ${cell(`${d.group}: ${d.name}`)} | ${cell(d.detail)} | ${cell(fix?.where ?? '?')} | ${cell(fix?.fix ?? 'see the test')} |`);
    });
  }
  line();

  line('## Recovery procedures');
  line();
  line('| after | the operator |');
  line('|---|---|');
  for (const [after, what] of RECOVERY) line(`| ${cell(after)} | ${cell(what)} |`);
  line();

  line('## Faults injected');
  line();
  line('| component | fault | outcome | observed | time |');
  line('|---|---|---|---|---:|');
  for (const c of faults) line(`| ${c.group} | ${cell(c.name)} | ${c.outcome} | ${cell(c.detail)} | ${secs(c.durationMs)} |`);
  line();

  line('## Concurrency');
  line();
  line('| what | outcome | observed | time |');
  line('|---|---|---|---:|');
  for (const c of conc) line(`| ${cell(c.name)} | ${c.outcome} | ${cell(c.detail)} | ${secs(c.durationMs)} |`);
  line();

  line('## Bad-input corpus');
  line();
  line('Files and expected messages live in `test/corpus/<kind>/` (`cases.json` beside the files).');
  for (const g of groups) {
    const cases = corpus.filter((c) => c.group === g);
    line();
    line(`### ${g} (${cases.filter((c) => c.outcome !== 'accepted').length} bad, ${count(cases, 'accepted')} control)`);
    line();
    line('| case | input | outcome | message |');
    line('|---|---|---|---|');
    for (const c of cases) line(`| ${cell(c.name)} | ${cell(c.why)} | ${c.outcome} | ${cell(c.outcome === 'defect' ? (c.detail?.split('Observed: ').at(-1) ?? '') : c.detail)} |`);
  }
  line();
  return out.join('\n');
}

function main(): number {
  let text: string;
  try {
    text = render(Object.fromEntries(SUITES.map((s) => [s, load(s)])) as Record<(typeof SUITES)[number], SuiteResult>);
  } catch (e) {
    console.error(`reliability report: ${(e as Error).message}`);
    return 1;
  }
  writeFileSync(DOC, text);
  console.log(`wrote ${DOC}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
