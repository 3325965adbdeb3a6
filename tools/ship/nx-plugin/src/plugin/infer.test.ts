import { describe, expect, it } from 'vitest';
import { inferComponent } from './infer';

describe('inferComponent', () => {
  it('makes the pin.toml folder a project with the targets its kinds give', () => {
    const p = inferComponent('apps/app/pin.toml', { tags: ['component', 'kind:binary', 'kind:image'] });
    expect(Object.keys(p)).toEqual(['apps/app']);
    expect(Object.keys(p['apps/app']!.targets)).toEqual(['compile', 'build', 'test', 'release']);
  });

  it('infers nothing for a folder whose project.json is missing or is no component', () => {
    expect(inferComponent('apps/x/pin.toml', undefined)).toEqual({});
    expect(inferComponent('apps/x/pin.toml', { tags: ['release-set'] })).toEqual({});
  });
});
