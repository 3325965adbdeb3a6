// The reliability report's public entry: the case-result format the suites in test/reliability write.
export type { CaseResult, Outcome } from './report';
