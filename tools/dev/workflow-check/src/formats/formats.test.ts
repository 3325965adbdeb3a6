import { describe, expect, it } from 'vitest';
import type { Finding } from '../finding';
import { escapeData, escapeProperty, formatGithub } from './github';
import { formatSarif, type SarifLog } from './sarif';
import { formatText } from './text';

const finding = (over: Partial<Finding> = {}): Finding => ({
  file: 'ci.yml',
  line: 12,
  column: 7,
  rule: 'swallowed-failure',
  message: 'job "release" ignores a failure with "|| true"',
  fix: 'delete "|| true"',
  ...over,
});

describe('text', () => {
  it('prints file:line:col rule message, and the fix indented under it', () => {
    expect(formatText([finding(), finding({ line: 0, column: 0, rule: 'parser', message: 'm', fix: 'f' })])).toBe(
      'ci.yml:12:7 swallowed-failure job "release" ignores a failure with "|| true"\n  fix: delete "|| true"\nci.yml:0:0 parser m\n  fix: f',
    );
    expect(formatText([])).toBe('');
  });
});

describe('GitHub annotations', () => {
  it('escape %, CR and LF in the message, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('dir,with:odd%\nname.yml')).toBe('dir%2Cwith%3Aodd%25%0Aname.yml');
  });

  it('put file, line, col and title in properties and the fix on a second line of the message', () => {
    expect(formatGithub([finding({ file: 'a,b:c.yml', message: 'uses 50% of: x, y' })])).toBe(
      '::error file=a%2Cb%3Ac.yml,line=12,col=7,title=workflow-check swallowed-failure::uses 50%25 of: x, y%0Afix: delete "|| true"',
    );
  });

  it('leave line and col out for a finding about the whole file', () => {
    expect(formatGithub([finding({ line: 0, column: 0 })])).toMatch(/^::error file=ci\.yml,title=workflow-check swallowed-failure::/);
  });
});

describe('SARIF', () => {
  const rules = [
    { id: 'swallowed-failure', why: 'failures must fail' },
    { id: 'parser', why: "GitHub's parser" },
  ];

  it('is a 2.1.0 log with one run, every rule described, and results pointing at their rule', () => {
    const log = JSON.parse(formatSarif([finding(), finding({ rule: 'parser', line: 3, column: 1 })], rules)) as SarifLog;
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    expect(run!.tool.driver.name).toBe('workflow-check');
    expect(run!.tool.driver.rules).toEqual([
      {
        id: 'swallowed-failure',
        name: 'SwallowedFailure',
        shortDescription: { text: 'failures must fail' },
        fullDescription: { text: 'failures must fail' },
        help: { text: 'failures must fail. Each result says what to change.', markdown: '**swallowed-failure**: failures must fail. Each result says what to change.' },
        defaultConfiguration: { level: 'error' },
      },
      expect.objectContaining({ id: 'parser', name: 'Parser' }),
    ]);
    expect(run!.results).toEqual([
      {
        ruleId: 'swallowed-failure',
        ruleIndex: 0,
        level: 'error',
        message: { text: 'job "release" ignores a failure with "|| true"\nFix: delete "|| true"' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'ci.yml' }, region: { startLine: 12, startColumn: 7 } } }],
        properties: { fix: 'delete "|| true"' },
      },
      expect.objectContaining({ ruleId: 'parser', ruleIndex: 1 }),
    ]);
  });

  it('gives every result a region, a file-wide one its first line, and encodes paths as URIs', () => {
    const log = JSON.parse(formatSarif([finding({ file: 'my workflows/ci#1.yml', line: 0, column: 0 })], rules)) as SarifLog;
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'my%20workflows/ci%231.yml' }, region: { startLine: 1 } });
  });

  it('describes a rule it was not told about by its id rather than dropping the result', () => {
    const log = JSON.parse(formatSarif([finding({ rule: 'new-rule' })], rules)) as SarifLog;
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(['swallowed-failure', 'parser', 'new-rule']);
    expect(log.runs[0]!.results[0]!.ruleIndex).toBe(2);
  });
});
