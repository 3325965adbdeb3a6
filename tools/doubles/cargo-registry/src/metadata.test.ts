import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors';
import { validatePublishMetadata } from './metadata';

function detail(json: unknown): string {
  try {
    validatePublishMetadata(json);
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return (error as RegistryError).detail;
  }
  throw new Error('accepted');
}

describe('validatePublishMetadata', () => {
  it('fills what the web API says a missing field means', () => {
    const m = validatePublishMetadata({ name: 'leaf', vers: '1.0.0', deps: [{ name: 'mid', version_req: '^0.3' }], unknown_field: 1 });
    expect(m.features).toEqual({});
    expect(m.description).toBeNull();
    expect(m.deps[0]).toEqual({
      name: 'mid',
      version_req: '^0.3',
      features: [],
      optional: false,
      default_features: true,
      target: null,
      kind: 'normal',
      registry: null,
      explicit_name_in_toml: null,
    });
  });

  it('names the field that is wrong', () => {
    expect(detail([])).toMatch(/`metadata` must be an object/);
    expect(detail({ vers: '1.0.0' })).toMatch(/`name` is missing/);
    expect(detail({ name: 'leaf', vers: '1.0' })).toMatch(/`vers` `1.0` is not a semantic version/);
    expect(detail({ name: '9leaf', vers: '1.0.0' })).toMatch(/must start with an ASCII letter/);
    expect(detail({ name: 'leaf', vers: '1.0.0', deps: {} })).toMatch(/`deps` must be an array/);
    expect(detail({ name: 'leaf', vers: '1.0.0', deps: [{ name: 'a', version_req: '1', kind: 'weird' }] })).toMatch(/`deps\[0\]\.kind` must be one of normal, build, dev/);
    expect(detail({ name: 'leaf', vers: '1.0.0', deps: [{ name: 'a' }] })).toMatch(/`deps\[0\]\.version_req` is missing/);
    expect(detail({ name: 'leaf', vers: '1.0.0', deps: [{ name: 'a', version_req: '1', optional: 'yes' }] })).toMatch(/`deps\[0\]\.optional` must be a boolean/);
    expect(detail({ name: 'leaf', vers: '1.0.0', features: { f: 'dep:x' } })).toMatch(/`features\.f` must be an array of strings/);
    expect(detail({ name: 'leaf', vers: '1.0.0', license: 3 })).toMatch(/`license` must be a string or null/);
  });

  it('keeps a feature named __proto__ as a feature', () => {
    const m = validatePublishMetadata(JSON.parse('{"name":"leaf","vers":"1.0.0","features":{"__proto__":["x"]}}'));
    expect(Object.keys(m.features)).toEqual(['__proto__']);
  });
});
