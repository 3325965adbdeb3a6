export * from './names';
export * from './openpgp';
export * from './dsse';
export * from './provenance';
export * from './cargo-lock';
export * from './sbom';
export * from './keys';
export * from './verify-release';
