import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteBranchHead } from './mirror';
import { packagesAt } from './packages-at';

// A renamed repository answering at its old name, both ways an org is reached: a file:// org whose
// old name is a symlink to the renamed folder (the sandbox's stand-in for GitHub), and an HTTP
// server that redirects the old name to the new, as GitHub does (git's dumb protocol, files served
// from the bare repositories).
let dir: string;
let server: Server;
let httpBase: string;
let head: string;
const env = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd, env })).stdout.trim();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redirect-'));
  const org = join(dir, 'org', 'Org');
  await mkdir(org, { recursive: true });
  const work = join(dir, 'work');
  await git(dir, 'init', '-q', '-b', 'main', work);
  await mkdir(join(work, 'blvm-commons', 'src'), { recursive: true });
  await mkdir(join(work, 'examples', 'x'), { recursive: true });
  await writeFile(join(work, 'Cargo.toml'), '[workspace]\nmembers = ["blvm-commons"]\n');
  await writeFile(join(work, 'blvm-commons', 'Cargo.toml'), '[package]\nname = "blvm-commons"\nversion = "0.1.0"\n');
  await writeFile(join(work, 'examples', 'x', 'Cargo.toml'), '[package]\nname = "x-example"\n');
  await writeFile(join(work, 'examples', 'Cargo.toml'), 'not toml [');
  await git(work, 'add', '-A');
  await git(work, 'commit', '-q', '-m', 'renamed');
  head = await git(work, 'rev-parse', 'HEAD');
  await git(dir, 'clone', '-q', '--bare', work, join(org, 'new.git'));
  await git(join(org, 'new.git'), 'update-server-info');
  await symlink('new.git', join(org, 'old.git'));
  // GitHub's answer to the old name: a permanent redirect to the same path under the new one.
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/Org/old.git/')) {
      res.writeHead(301, { location: url.replace('/Org/old.git/', '/Org/new.git/') }).end();
      return;
    }
    const path = decodeURIComponent(new URL(url, 'http://x').pathname);
    const file = normalize(join(dir, 'org', path));
    if (!file.startsWith(join(dir, 'org'))) return void res.writeHead(403).end();
    stat(file).then(
      (s) => (s.isFile() ? (res.writeHead(200), createReadStream(file).pipe(res)) : res.writeHead(404).end()),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('remoteBranchHead names the repository that answered', () => {
  it('over HTTP: the redirect git followed', async () => {
    expect(await remoteBranchHead({ gitBaseUrl: httpBase, workDir: dir }, 'Org/old', 'main')).toEqual({ commit: head, repository: 'Org/new' });
    expect(await remoteBranchHead({ gitBaseUrl: httpBase, workDir: dir }, 'Org/new', 'main')).toEqual({ commit: head, repository: 'Org/new' });
  });

  it('in a file:// org: the folder the old name links to', async () => {
    const gitBaseUrl = `${pathToFileURL(join(dir, 'org')).href}/`;
    expect(await remoteBranchHead({ gitBaseUrl, workDir: dir }, 'Org/old', 'main')).toEqual({ commit: head, repository: 'Org/new' });
    expect(await remoteBranchHead({ gitBaseUrl, workDir: dir }, 'Org/new', 'main')).toEqual({ commit: head, repository: 'Org/new' });
    await expect(remoteBranchHead({ gitBaseUrl, workDir: dir }, 'Org/gone', 'main')).rejects.toThrow(/cannot reach file:\/\/.*Org\/gone\.git/);
  });
});

describe('packagesAt', () => {
  it('lists the [package] manifests of a commit from the objects, and no manifest that is not one', async () => {
    expect(await packagesAt(join(dir, 'org', 'Org', 'new.git'), head)).toEqual([
      { dir: 'blvm-commons', name: 'blvm-commons' },
      { dir: 'examples/x', name: 'x-example' },
    ]);
    await expect(packagesAt(join(dir, 'org', 'Org', 'new.git'), 'c'.repeat(40))).rejects.toThrow(/cannot list the files of c{40}/);
  });
});
