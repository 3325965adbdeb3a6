import { CACHE_READ_TOKEN, CACHE_WRITE_TOKEN, componentCode, type RunnerRequest, runnerRequest, secretsIn, writeScopes } from '../job-facts';
import type { Finding } from '../finding';
import { finding, type Rule } from '../rule';
import { get, jobs, type JobNode, type WorkflowFile } from '../workflow-file';

/**
 * A self-hosted runner keeps its disk, its caches and whatever processes a job left between jobs.
 * A job that runs component code (cargo, tests, proofs, image builds; even in the sandbox) can
 * leave something behind, so a job that holds a token able to publish, push or sign must never be
 * given a runner such a job could have had. secret-beside-build keeps tokens out of the code's
 * job; this keeps them off its runners.
 *
 * Which tokens: every secret but the Nx cache's. The write token sits beside the builds by design
 * (secret-beside-build allows it there, the cache server checks each entry, only the protected
 * branch's environment has it) and the read token reads; neither publishes, pushes or signs. Any
 * other secret is presumed able to (ORCHESTRATOR_TOKEN pushes pins and dispatches deployments, the
 * release keys sign). The job token counts when the job may write with it (contents: write
 * publishes, id-token: write signs through Sigstore), or when nothing limits it.
 *
 * "Could share": GitHub gives a job to any online runner that has every label the job asks for
 * (and is in its group, if it names one). Two jobs can share a runner when some runner has the
 * union of their labels, and an operator can register any labels, so the workflow alone can only
 * make sharing a mistake the operator would have to make on purpose. It does so when:
 *   1. the token job asks for a label that no component-code job, in any workflow of the
 *      repository, asks for (a runner that has it was registered for token jobs: `release`); and
 *   2. every component-code job asks for a label the token job does not (so a runner registered
 *      with exactly the token job's labels, as docs/operations.md says, is never given one).
 * 1 alone is not enough: a job asking for [self-hosted, Linux, X64] runs on the release runner.
 * 2 alone is not enough: with no label of its own, the token job runs on a builds runner that has
 * one more label. Jobs in different runner groups cannot share (a runner is in one group); a
 * GitHub-hosted job gets a fresh machine and shares nothing. Labels chosen by an expression
 * cannot be checked, so a token job or component-code job with them is refused.
 */

/** A label a token job could use; only a suggestion in the message. */
const SUGGESTED_LABEL = 'release';
const CACHE_TOKENS = new RegExp(`^secrets\\.(${CACHE_WRITE_TOKEN}|${CACHE_READ_TOKEN})$`);
const JOB_TOKEN = /^(secrets\.GITHUB_TOKEN|github\.token)$/;

interface CodeJob {
  file: string;
  id: string;
  runner: RunnerRequest;
}

/** What in the job can publish, push or sign, with its line; undefined when nothing can. */
function heldToken(wf: WorkflowFile, job: JobNode): { what: string; line: number; column: number } | undefined {
  const writes = writeScopes(wf, job);
  const jobTokenWrites = !writes || writes.scopes.length > 0;
  const secrets = [...secretsIn(wf, get(wf.doc.contents, 'env')), ...secretsIn(wf, job.node)];
  const held = secrets.find((s) => !CACHE_TOKENS.test(s.text) && (!JOB_TOKEN.test(s.text) || jobTokenWrites));
  if (held) return { what: held.text, line: held.line, column: held.column };
  if (!writes) return { what: 'the job token with the repository\'s default permissions', ...wf.positionOf(job.idNode) };
  if (writes.scopes.length) return { what: `the job token with ${writes.scopes.map((s) => (s === '*' ? 'write-all' : `${s}: write`)).join(', ')}`, line: writes.line, column: writes.column };
  return undefined;
}

const show = (labels: readonly string[]) => `[${labels.join(', ')}]`;
const union = (a: readonly string[], b: readonly string[]) => [...a, ...b.filter((l) => !a.includes(l))];
/** Labels of the runner classes that run component code (libs/manifest/src/runner-classes.ts). */
const CLASS_LABELS = ['builds', 'perf', 'docker'];
const covers = (have: readonly string[], want: readonly string[]) => want.every((l) => have.includes(l));
const separateGroups = (a: RunnerRequest, b: RunnerRequest) => a.group !== undefined && b.group !== undefined && a.group !== b.group;

export const tokenRunnerApart: Rule = {
  id: 'token-runner-apart',
  why: 'a job holding a token that can publish, push or sign must run on runners no job running component code can be given',
  check(wf, { workflows, owner }) {
    const codeJobs: CodeJob[] = workflows.flatMap((w) => jobs(w).flatMap((j) => (componentCode(w, j, owner) ? [{ file: w.name, id: j.id, runner: runnerRequest(w, j) }] : [])));
    const findings: Finding[] = [];
    for (const job of jobs(wf)) {
      // A token job that runs component code itself is secret-beside-build's finding.
      if (componentCode(wf, job, owner)) continue;
      const token = heldToken(wf, job);
      if (!token) continue;
      const mine = runnerRequest(wf, job);
      // GitHub-hosted: a fresh machine per job. No labels: a reusable-workflow call, whose jobs are checked in their file.
      if (mine.githubHosted || (!mine.labels.length && mine.group === undefined)) continue;
      const holds = `job "${job.id}" holds ${token.what} (line ${token.line})`;
      const say = (message: string, fix: string) => findings.push(finding(wf, this.id, mine, `${holds} ${message}`, fix));
      // Without the class labels: a runner that has them as well as release could be given class jobs.
      const ownLabel = `runs-on: ${show(union(mine.labels.filter((l) => !l.includes('${{') && !CLASS_LABELS.includes(l)), [SUGGESTED_LABEL]))} for job "${job.id}" (a label no component-code job asks for, and none of theirs), and register the runners that take it with exactly those labels`;
      if (mine.dynamic) {
        say('and an expression chooses its runner, so whether a component-code job can be given the same runner cannot be checked; name its labels', `name the labels: ${ownLabel}`);
        continue;
      }
      const others = codeJobs.filter((c) => !c.runner.githubHosted && !separateGroups(mine, c.runner));
      // One finding per set of labels, naming every component-code job that asks for it.
      const bySet = new Map<string, CodeJob[]>();
      for (const c of others) {
        const key = `${c.runner.group ?? ''}\0${c.runner.dynamic ? '${{ }}' : show([...c.runner.labels].sort())}`;
        bySet.set(key, [...(bySet.get(key) ?? []), c]);
      }
      let shared = false;
      for (const group of bySet.values()) {
        const runner = group[0]!.runner;
        const names = `${group.length > 1 ? 'jobs' : 'job'} ${group.map((c) => `"${c.id}"${c.file === wf.name ? '' : ` (${c.file})`}`).join(', ')}`;
        // A class label the token job does not ask for, so a runner registered for it never has one.
        const label = CLASS_LABELS.find((l) => !mine.labels.includes(l)) ?? 'builds';
        const classLabel = `give component-code ${names} a class label job "${job.id}" does not ask for, e.g. runs-on: ${show(union(runner.labels.filter((l) => !l.includes('${{')), [label]))}`;
        if (runner.dynamic) say(`and component-code ${names} ${group.length > 1 ? 'have their' : 'has its'} runner chosen by an expression, so it could be this job's; name its labels`, classLabel);
        else if (!runner.labels.length) say(`and component-code ${names} ${group.length > 1 ? 'ask' : 'asks'} only for the runner group "${runner.group}", so any runner in it, one registered for this job included, can be given ${group.length > 1 ? 'those jobs' : 'that job'}; give component-code jobs the labels of their class`, classLabel);
        else if (covers(runner.labels, mine.labels)) say(`on ${show(mine.labels)}, and a runner of component-code ${names} ${show(runner.labels)} has all of those labels, so it can be given this job; give the token jobs a label no component-code job has (e.g. ${SUGGESTED_LABEL})`, ownLabel);
        else if (covers(mine.labels, runner.labels)) say(`on ${show(mine.labels)}, which has every label component-code ${names} ${group.length > 1 ? 'ask' : 'asks'} for ${show(runner.labels)}, so a runner registered for this job can be given ${group.length > 1 ? 'those jobs' : 'that job'}; make every component-code job ask for a label of its class`, classLabel);
        else continue;
        shared = true;
      }
      const own = mine.labels.filter((l) => !others.some((c) => c.runner.labels.includes(l)));
      if (!own.length && !shared)
        say(`on ${show(mine.labels)}, each of which a component-code job also asks for, so a runner registered for those jobs can be given this one; give the token jobs a label no component-code job has (e.g. ${SUGGESTED_LABEL})`, ownLabel);
    }
    return findings;
  },
};
