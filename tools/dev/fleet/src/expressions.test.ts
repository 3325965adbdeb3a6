import { describe, expect, it } from 'vitest';
import { type ExpressionContext, condition, interpolate } from './expressions';

const ctx = (over: Partial<ExpressionContext> = {}): ExpressionContext => ({
  secrets: { NX_CACHE_WRITE_TOKEN: 'w' },
  vars: { NX_CACHE_URL: 'http://127.0.0.1:1' },
  inputs: {},
  github: { ref: 'refs/heads/main', event_name: 'schedule' },
  runner: { temp: '/tmp/r' },
  env: {},
  needs: { plan: { result: 'success', outputs: { builds: 'true', perf: 'false' } } },
  steps: {},
  status: 'success',
  ...over,
});

describe('workflow expressions', () => {
  it('reads the contexts a job sees', () => {
    expect(interpolate('${{ vars.NX_CACHE_URL }}/v1', ctx())).toBe('http://127.0.0.1:1/v1');
    expect(interpolate('${{ secrets.NX_CACHE_WRITE_TOKEN }}', ctx())).toBe('w');
    expect(interpolate('${{ secrets.MISSING }}', ctx())).toBe('');
    expect(interpolate('${{ runner.temp }}/dist.tar', ctx())).toBe('/tmp/r/dist.tar');
  });

  it('decides if: as GitHub does, success() implied', () => {
    expect(condition("needs.plan.outputs.builds == 'true'", ctx())).toBe(true);
    expect(condition("${{ needs.plan.outputs.perf == 'true' }}", ctx())).toBe(false);
    expect(condition("needs.plan.outputs.builds == 'true'", ctx({ status: 'failure' }))).toBe(false);
    expect(condition('always()', ctx({ status: 'failure' }))).toBe(true);
    expect(condition("!cancelled() && !failure()", ctx())).toBe(true);
    expect(condition(undefined, ctx({ status: 'failure' }))).toBe(false);
    expect(condition("github.ref == 'refs/heads/main'", ctx())).toBe(true);
  });
});
