import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDockerfile } from './dockerfile';
import { formatStepProblems, isolatedBuild, onbuildProblems, substitute } from './isolated-steps';

const check = (text: string, buildArgs?: Record<string, string>) => isolatedBuild(readDockerfile(text), buildArgs);
const problems = (text: string, buildArgs?: Record<string, string>) => check(text, buildArgs).problems.map((p) => `${p.line} ${p.keyword}: ${p.reason}`);
const lines = (text: string) => check(text).problems.map((p) => `${p.line} ${p.keyword}`);

describe('isolatedBuild', () => {
  it.each([
    ['apps/governance-app/Dockerfile'],
    ['tools/doubles/demo/profiles/seed/governance-app/Dockerfile'],
    ['tools/doubles/demo/profiles/real/governance-app/Dockerfile'],
  ])('accepts the orchestrator-owned %s, which starts from scratch', (file) => {
    const result = check(readFileSync(join(import.meta.dirname, '../../../../../..', file), 'utf8'));
    expect(result).toEqual({ problems: [], bases: [] });
  });

  it('accepts every instruction that runs nothing at build time', () => {
    const text = [
      'ARG BASE=scratch',
      'FROM ${BASE} AS build',
      'COPY --chown=1:1 --chmod=0755 a b /opt/',
      'ADD c.tar /opt/c/',
      'ADD ["d", "/opt/d"]',
      'LABEL org.example.a="x y" b=c',
      'ENV PATH=/opt:$PATH',
      'ARG LATE=1',
      'WORKDIR /opt',
      'USER 65532:65532',
      'EXPOSE 8080/tcp',
      'VOLUME ["/data"]',
      'STOPSIGNAL SIGTERM',
      'SHELL ["/bin/sh", "-c"]',
      'HEALTHCHECK --interval=30s CMD ["/opt/a", "health"]',
      'ENTRYPOINT ["/opt/a"]',
      'CMD ["--help"]',
      'FROM scratch',
      'COPY --from=build /opt /opt',
      'COPY --from=0 /opt/a /a',
    ].join('\n');
    expect(check(text)).toEqual({ problems: [], bases: [] });
  });

  it('refuses RUN in every form, saying the engine cannot keep it off the network', () => {
    for (const run of ['RUN cargo build --release', 'run echo hi', '  Run ["/bin/sh", "-c", "x"]', 'RUN --network=none true', 'RUN <<EOF\ncurl x\nEOF'])
      expect(problems(`FROM scratch\n${run}\n`), run).toEqual([
        expect.stringMatching(/^2 RUN: runs a command during the build, and the image engine cannot keep a RUN step off the network \(under --network=none one reached a server on 127\.0\.0\.1\)/),
      ]);
  });

  it('refuses ONBUILD and any keyword it does not know to run nothing', () => {
    expect(lines('FROM scratch\nONBUILD COPY a /a\nMAINTAINER x\nFOO bar\n')).toEqual(['2 ONBUILD', '3 MAINTAINER', '4 FOO']);
    expect(problems('FROM scratch\nfoo bar\n')[0]).toMatch(/^2 FOO: is not an instruction known to run nothing at build time \(allowed: FROM, COPY, ADD,/);
  });

  it('refuses ADD and COPY of a URL or a git remote, and a source with a variable', () => {
    const text = [
      'FROM scratch',
      'ADD http://127.0.0.1:8080/x /x',
      'ADD --checksum=sha256:abc https://example.com/y /y',
      'ADD git@github.com:org/repo.git /src',
      'ADD https://github.com/org/repo.git#v1 /src',
      'ADD github.com/org/repo /src',
      'ADD ["ftp://example.com/z", "/z"]',
      'COPY http://example.com/w /w',
      'ARG URL=http://example.com/v',
      'ADD $URL /v',
      'ADD local.tar /l/',
    ].join('\n');
    expect(lines(text)).toEqual(['2 ADD', '3 ADD', '4 ADD', '5 ADD', '6 ADD', '7 ADD', '8 COPY', '10 ADD']);
    expect(problems('FROM scratch\nADD http://127.0.0.1:8080/x /x\n')).toEqual([
      '2 ADD: fetches http://127.0.0.1:8080/x during the build (ADD follows URLs and git remotes); an image is made of the build context only: put the file there',
    ]);
    expect(problems('FROM scratch\nARG U=x\nCOPY ${U} /v\n')).toEqual(['3 COPY: has a source with a variable (${U}), which names what it fetches only at build time; write the path out']);
  });

  it('refuses COPY --from of an image, or of a stage that is not an earlier one', () => {
    const text = [
      'FROM scratch AS one',
      'COPY --from=docker.io/library/busybox /bin/sh /sh',
      'COPY --from=two /a /a',
      'COPY --from=1 /a /a',
      'COPY --from=one /a /a',
      'FROM scratch AS two',
      'COPY --from=ONE /a /a',
      'COPY --from=0 /a /a',
      'COPY --from=two /a /a',
      'COPY --from=${X} /a /a',
    ].join('\n');
    expect(lines(text)).toEqual(['2 COPY', '3 COPY', '4 COPY', '5 COPY', '9 COPY', '10 COPY']);
    expect(problems('FROM scratch\nCOPY --from=alpine /a /a\n')).toEqual([
      '2 COPY: --from=alpine is not an earlier stage of this Dockerfile, so the engine would fetch it as an image during the build; name an earlier stage (FROM … AS <name>)',
    ]);
  });

  it('refuses a heredoc in COPY and ADD: readers disagree on whether its lines are content or instructions', () => {
    expect(problems('FROM scratch\nCOPY <<EOF /etc/x\nRUN curl http://example.com\nEOF\n')).toEqual([
      "2 COPY: writes a heredoc, whose lines BuildKit reads as the file's content and older readers (podman's legacy builder among them) as instructions of their own; put the file in the build context instead",
    ]);
    expect(lines('FROM scratch\nADD <<EOF /x\nEOF\n')).toEqual(['2 ADD']);
  });

  it('refuses a continuation line that starts with RUN or ONBUILD, which another reader may run', () => {
    expect(problems('FROM scratch\nLABEL a=b \\\n# comment\nRUN curl x\n')).toEqual([
      '4 LABEL: continues onto a line that starts with RUN, which a reader that ends the instruction there would run; write it on one line or reword it',
    ]);
    expect(lines('# escape=`\nFROM scratch\nLABEL a=`\n  onbuild x\n')).toEqual(['4 LABEL']);
  });

  it('refuses a syntax directive (BuildKit would run the frontend image it names) and a file the engines cannot read', () => {
    expect(problems('# syntax=docker/dockerfile:1\nFROM scratch\n')).toEqual([
      "1 # syntax: names a frontend image (docker/dockerfile:1) that BuildKit would fetch and run to read this file; the file must be read by the engine's own reader",
    ]);
    expect(lines('# escape=x\nFROM scratch\n')).toEqual(['1 (file)']);
    expect(problems('FROM scratch\nRUN <<X\n')).toContain('2 (file): the heredoc <<X opened here is never terminated; the engines refuse or misread it');
  });

  it('names every problem of the file at once, in line order, as file:line: KEYWORD why', () => {
    const result = check('FROM scratch\nADD https://x/y /y\nRUN a\nONBUILD RUN b\n');
    expect(formatStepProblems('apps/x/Dockerfile', result.problems).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'apps/x/Dockerfile:2: ADD',
      'apps/x/Dockerfile:3: RUN',
      'apps/x/Dockerfile:4: ONBUILD',
    ]);
  });
});

describe('the base images a build starts from', () => {
  it('lists the images the stages start from, with global ARGs and build arguments substituted, not scratch or earlier stages', () => {
    const text = 'ARG REG=docker.io\nARG TAG\nFROM $REG/library/debian:${TAG:-bookworm}@sha256:' + 'a'.repeat(64) + ' AS base\nFROM base\nFROM scratch\nFROM Base\n';
    expect(check(text).bases).toEqual([{ line: 3, ref: `docker.io/library/debian:bookworm@sha256:${'a'.repeat(64)}` }]);
    expect(check(text, { TAG: 'trixie', REG: 'ghcr.io' }).bases).toEqual([{ line: 3, ref: `ghcr.io/library/debian:trixie@sha256:${'a'.repeat(64)}` }]);
    // A build argument reaches FROM only through an ARG the file declares.
    expect(check('FROM ${RUNTIME_BASE:-scratch}\n', { RUNTIME_BASE: 'debian' }).bases).toEqual([]);
    expect(check('ARG RUNTIME_BASE=scratch\nFROM ${RUNTIME_BASE}\n', { RUNTIME_BASE: 'localhost/base:1' }).bases).toEqual([{ line: 2, ref: 'localhost/base:1' }]);
  });

  it('refuses a FROM whose image it cannot tell before the build', () => {
    expect(lines('ARG X\nFROM ${X:?unset}\nFROM $(x)\nFROM $X\nFROM a b c d\n')).toEqual(['2 FROM', '3 FROM', '4 FROM', '5 FROM']);
  });

  it('refuses each ONBUILD trigger of a base image, naming the FROM line', () => {
    expect(onbuildProblems({ line: 3, ref: 'localhost/base:1' }, ['RUN curl x', 'COPY . /'])).toEqual([
      { line: 3, keyword: 'FROM', reason: 'starts from localhost/base:1, whose config holds the ONBUILD trigger "RUN curl x", which would run in this build; start from an image without triggers' },
      { line: 3, keyword: 'FROM', reason: 'starts from localhost/base:1, whose config holds the ONBUILD trigger "COPY . /", which would run in this build; start from an image without triggers' },
    ]);
    expect(onbuildProblems({ line: 1, ref: 'x' }, null)).toEqual([]);
  });
});

describe('substitute', () => {
  const vars = new Map<string, string | undefined>([
    ['A', 'a'],
    ['E', ''],
    ['U', undefined],
  ]);
  it.each([
    ['$A/x', 'a/x'],
    ['${A}x', 'ax'],
    ['${E:-d}', 'd'],
    ['${E-d}', ''],
    ['${U-d}', 'd'],
    ['${A:+alt}', 'alt'],
    ['${E:+alt}', ''],
    ['${E+alt}', 'alt'],
    ['${MISSING}', ''],
  ])('%s → %s', (word, want) => expect(substitute(word, vars)).toBe(want));

  it.each(['${A:?x}', '$(cmd)', 'x$', '${A#a}'])('cannot follow %s', (word) => expect(substitute(word, vars)).toBeUndefined());
});
