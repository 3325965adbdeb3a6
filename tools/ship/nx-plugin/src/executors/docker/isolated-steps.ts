import { type Instruction, type ReadDockerfile, argumentList, splitFlags } from './dockerfile';

// Why image builds may run nothing: the engine does not keep a build step off the network. On
// podman's Docker API (the engine here and on the docker runners), `docker build --network=none`
// ran a RUN step that connected to a server on the host's 127.0.0.1, and `ADD <url>` fetched
// the URL (test/e2e/image-network.e2e.test.ts measures both). A step that runs could also reach the
// engine's socket, the runner's cache server or anything else on the runner's network, which the
// cargo sandbox (libs/hermetic) never lets component code see. So the executor accepts only
// Dockerfiles whose every instruction runs nothing at build time: it copies files from the
// context, writes metadata, and starts from a base image whose config runs nothing either
// (no ONBUILD triggers, checked against the engine by the executor). What the image needs is
// built by the cargo executor, in its sandbox, and copied in.

/** Instructions that only copy from the context or set metadata: nothing of them runs during the build. */
const RUNS_NOTHING = new Set(['FROM', 'COPY', 'ADD', 'LABEL', 'ENV', 'ARG', 'WORKDIR', 'USER', 'EXPOSE', 'ENTRYPOINT', 'CMD', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

/** Refused, with why (the rest of the keywords are refused as unknown). */
const REFUSED: Readonly<Record<string, string>> = {
  RUN: 'runs a command during the build, and the image engine cannot keep a RUN step off the network (under --network=none one reached a server on 127.0.0.1); build it with the cargo executor, in its sandbox, and COPY the result',
  ONBUILD: 'adds a trigger that runs in every image built from this one; an image built here must run nothing at build time, and neither may what is built on it',
};

/**
 * Where a source is fetched from rather than read from the context: a URL (any scheme), a git
 * remote as scp writes it (`git@host:org/repo`), and what BuildKit's ADD also clones (a
 * `github.com/` path, a `.git` repository with or without `#ref`). A context file named so is
 * refused too: the orchestrator's contexts are the recorded binaries.
 */
const REMOTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[^/\s]+@[^/\s]+:|^github\.com\/|\.git(#.*)?$/;

export interface StepProblem {
  line: number;
  keyword: string;
  reason: string;
}

/** A base image the build starts from, which the executor checks for ONBUILD triggers. */
export interface BaseImage {
  line: number;
  /** The image reference after ARG substitution. */
  ref: string;
}

export interface IsolatedBuild {
  problems: StepProblem[];
  /** Images the stages start from (not `scratch`, not an earlier stage), in order, once each. */
  bases: BaseImage[];
}

/**
 * Whether the engine can build this Dockerfile without running anything, and the base images it
 * starts from. `buildArgs` are the executor's --build-arg values (they override ARG defaults in
 * FROM). Every problem of the file at once. Pure.
 */
export function isolatedBuild(file: ReadDockerfile, buildArgs: Readonly<Record<string, string>> = {}): IsolatedBuild {
  const problems: StepProblem[] = file.errors.map((e) => ({ line: e.line, keyword: '(file)', reason: `${e.message}; the engines refuse or misread it` }));
  for (const d of file.directives)
    if (d.name === 'syntax')
      problems.push({ line: d.line, keyword: '# syntax', reason: `names a frontend image (${d.value}) that BuildKit would fetch and run to read this file; the file must be read by the engine's own reader` });
  const stages: string[] = [];
  const globalArgs = new Map<string, string | undefined>();
  const bases: BaseImage[] = [];
  for (const ins of file.instructions) {
    const refuse = (reason: string) => problems.push({ line: ins.line, keyword: ins.keyword, reason });
    // A line that starts with RUN or ONBUILD inside another instruction's continuation: engines'
    // readers have differed on continuation lines (comments, the escape character), and one that
    // ends the instruction there would run it.
    for (const c of ins.continuations)
      if (/^[ \t]*(RUN|ONBUILD)(\s|$)/i.test(c.text))
        problems.push({ line: c.line, keyword: ins.keyword, reason: `continues onto a line that starts with ${c.text.trim().split(/\s/)[0]!.toUpperCase()}, which a reader that ends the instruction there would run; write it on one line or reword it` });
    if (REFUSED[ins.keyword]) {
      refuse(REFUSED[ins.keyword]!);
      continue;
    }
    if (!RUNS_NOTHING.has(ins.keyword)) {
      refuse(`is not an instruction known to run nothing at build time (allowed: ${[...RUNS_NOTHING].join(', ')})`);
      continue;
    }
    if (ins.keyword === 'ARG' && stages.length === 0) for (const [name, value] of argDeclarations(ins.args)) globalArgs.set(name, buildArgs[name] ?? value);
    if (ins.keyword === 'FROM') {
      const from = fromImage(ins.args, globalArgs);
      if ('problem' in from) {
        refuse(from.problem);
        stages.push('');
        continue;
      }
      if (from.ref.toLowerCase() !== 'scratch' && !stages.includes(from.ref.toLowerCase()) && !bases.some((b) => b.ref === from.ref)) bases.push({ line: ins.line, ref: from.ref });
      stages.push(from.as?.toLowerCase() ?? '');
    }
    if (ins.keyword === 'COPY' || ins.keyword === 'ADD') for (const reason of copyProblems(ins, stages)) refuse(reason);
  }
  return { problems: problems.sort((a, b) => a.line - b.line), bases };
}

/** What is wrong with a COPY or ADD: a heredoc, a remote source, an image that is not a stage. */
function copyProblems(ins: Instruction, stages: readonly string[]): string[] {
  const out: string[] = [];
  if (ins.heredocs.length || ins.args.includes('<<'))
    out.push(
      "writes a heredoc, whose lines BuildKit reads as the file's content and older readers (podman's legacy builder among them) as instructions of their own; put the file in the build context instead",
    );
  const { flags, rest } = splitFlags(ins.args);
  const from = flags.find((f) => f.name === 'from');
  if (from) {
    const v = from.value ?? '';
    // Earlier stages only: the legacy builder reads any other name, a later stage's included, as an image to pull.
    const current = stages.length - 1;
    const stage = /^\d+$/.test(v) ? Number(v) < current : stages.slice(0, current).includes(v.toLowerCase()) && v !== '';
    if (!stage) out.push(`--from=${v} is not an earlier stage of this Dockerfile, so the engine would fetch it as an image during the build; name an earlier stage (FROM … AS <name>)`);
  }
  if (ins.heredocs.length) return out;
  const words = argumentList(rest);
  for (const src of words.slice(0, -1)) {
    if (REMOTE.test(src)) out.push(`fetches ${src} during the build${ins.keyword === 'ADD' ? ' (ADD follows URLs and git remotes)' : ''}; an image is made of the build context only: put the file there`);
    else if (src.includes('$')) out.push(`has a source with a variable (${src}), which names what it fetches only at build time; write the path out`);
  }
  if (words.length < 2) out.push('needs a source and a destination');
  return out;
}

/** `ARG a[=x] [b[=y] …]`: each name with its default, quotes removed. */
function argDeclarations(args: string): [string, string | undefined][] {
  return argumentList(args).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, undefined] : [w.slice(0, eq), w.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2')];
  });
}

/** `FROM [--platform=…] <image> [AS <name>]`, the image with the global ARGs substituted. */
function fromImage(args: string, globalArgs: ReadonlyMap<string, string | undefined>): { ref: string; as?: string } | { problem: string } {
  const words = argumentList(splitFlags(args).rest);
  if (words.length !== 1 && !(words.length === 3 && words[1]!.toLowerCase() === 'as')) return { problem: `reads as "FROM ${args}"; expected FROM <image> [AS <name>]` };
  const ref = substitute(words[0]!, globalArgs);
  if (ref === undefined) return { problem: `names its image with a substitution this reader does not follow (${words[0]}); use $NAME, \${NAME} or \${NAME:-default} of an ARG before the first FROM` };
  if (!ref) return { problem: `names an empty image (${words[0]} is unset)` };
  return words.length === 3 ? { ref, as: words[2]! } : { ref };
}

/** `$NAME`, `${NAME}`, `${NAME:-w}`, `${NAME-w}`, `${NAME:+w}`, `${NAME+w}` from `vars`; undefined for any other form. */
export function substitute(word: string, vars: ReadonlyMap<string, string | undefined>): string | undefined {
  let failed = false;
  const out = word.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}$]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|(.?))/g, (_all, braced?: string, op?: string, alt?: string, bare?: string, other?: string) => {
    if (other !== undefined) {
      failed = true;
      return '';
    }
    const name = braced ?? bare!;
    const value = vars.get(name);
    const set = vars.has(name) && value !== undefined;
    const nonEmpty = set && value !== '';
    if (!op) return value ?? '';
    if (op === ':-') return nonEmpty ? value! : alt!;
    if (op === '-') return set ? value! : alt!;
    if (op === ':+') return nonEmpty ? alt! : '';
    return set ? alt! : '';
  });
  return failed ? undefined : out;
}

/** The ONBUILD triggers of a base image's config: each is refused, naming the FROM line. Pure. */
export function onbuildProblems(base: BaseImage, triggers: readonly string[] | null | undefined): StepProblem[] {
  return (triggers ?? []).map((t) => ({
    line: base.line,
    keyword: 'FROM',
    reason: `starts from ${base.ref}, whose config holds the ONBUILD trigger "${t}", which would run in this build; start from an image without triggers`,
  }));
}

/** One line per problem: `<file>:<line>: <KEYWORD> <reason>`. Pure. */
export function formatStepProblems(file: string, problems: readonly StepProblem[]): string[] {
  return problems.map((p) => `${file}:${p.line}: ${p.keyword} ${p.reason}`);
}
