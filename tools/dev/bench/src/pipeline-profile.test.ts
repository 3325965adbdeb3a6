import { describe, expect, it } from 'vitest';
import { REAL_SECTION, parseBenchProfile, pipelineResultsFile, profiledComponents, repositoriesByComponent } from './pipeline-profile';
import { extractSection, spliceSection } from './sections';

describe('parseBenchProfile', () => {
  it('defaults to the seed and takes seed or real', () => {
    expect(parseBenchProfile(undefined)).toBe('seed');
    expect(parseBenchProfile('seed')).toBe('seed');
    expect(parseBenchProfile('real')).toBe('real');
  });

  it('refuses anything else, naming the choices', () => {
    expect(() => parseBenchProfile('generated')).toThrow('--profile must be seed or real, not "generated"');
    expect(() => parseBenchProfile('')).toThrow('--profile must be seed or real');
  });
});

describe('pipelineResultsFile', () => {
  it('keeps results.json for the seed and gives the real profile its own file', () => {
    expect(pipelineResultsFile('seed')).toBe('results.json');
    expect(pipelineResultsFile('real')).toBe('results-real.json');
  });
});

describe('repositoriesByComponent', () => {
  it('maps each component id to its repository name without the owner', () => {
    expect(
      repositoriesByComponent([
        { repository: 'BTCDecoded/blvm-consensus', id: 'bllvm-consensus' },
        { repository: 'BTCDecoded/blvm-commons', id: 'governance-app' },
        { repository: 'BTCDecoded/blvm-primitives', id: 'blvm-primitives' },
      ]),
    ).toEqual({ 'bllvm-consensus': 'blvm-consensus', 'governance-app': 'blvm-commons', 'blvm-primitives': 'blvm-primitives' });
  });

  it('refuses a repository without a name', () => {
    expect(() => repositoriesByComponent([{ repository: 'BTCDecoded/', id: 'x' }])).toThrow('profile component x');
  });
});

describe('REAL_SECTION', () => {
  it('is replaced in place by a later real run and appended when missing', () => {
    const body = (s: string) => `${REAL_SECTION.heading}\n\n${s}\n\n${REAL_SECTION.end}`;
    const doc = spliceSection('# Benchmarks\n', REAL_SECTION, body('first'));
    expect(extractSection(doc, REAL_SECTION)).toBe(body('first'));
    const again = spliceSection(`${doc}\n## After\n`, REAL_SECTION, body('second'));
    expect(again).toContain(body('second'));
    expect(again).not.toContain('first');
    expect(again.indexOf('## After')).toBeGreaterThan(again.indexOf(REAL_SECTION.end));
  });
});

describe('profiledComponents', () => {
  it('on the seed graph: consensus (no upstreams) and governance-app (the most)', () => {
    const graph = {
      components: ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app'],
      dependencies: {
        'bllvm-protocol': ['bllvm-consensus'],
        'bllvm-node': ['bllvm-protocol'],
        bllvm: ['bllvm-node'],
        'bllvm-sdk': ['bllvm-node'],
        'governance-app': ['bllvm-sdk'],
      },
    };
    const tasks = graph.components.map((c) => `${c}:build`);
    expect(profiledComponents(graph, tasks)).toEqual({ leaf: 'bllvm-consensus', deepest: 'governance-app' });
  });

  it('skips a root without a build task and counts upstreams transitively, not direct edges', () => {
    const graph = {
      components: ['a', 'b', 'c', 'd', 'e'],
      dependencies: { c: ['a', 'b'], d: ['c'], e: ['a', 'b'] },
    };
    // d reaches a, b, c through c; e names two directly.
    expect(profiledComponents(graph, ['b:build', 'c:build', 'd:build', 'e:build', 'a:verify'])).toEqual({ leaf: 'b', deepest: 'd' });
  });

  it('refuses a graph where no root builds', () => {
    expect(() => profiledComponents({ components: ['a'], dependencies: {} }, ['a:verify'])).toThrow('no component without upstreams');
  });
});
