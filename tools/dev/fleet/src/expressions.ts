import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';

// `${{ }}` and `if:` evaluated by GitHub's own expression engine (@actions/expressions, the one
// the Actions language server uses), so the rehearsal decides what runs exactly as GitHub would.

/** What a job's expressions can read: the contexts GitHub gives a self-hosted job. */
export interface ExpressionContext {
  secrets: Record<string, string>;
  vars: Record<string, string>;
  inputs: Record<string, string | boolean>;
  github: Record<string, unknown>;
  runner: Record<string, string>;
  env: Record<string, string>;
  needs: Record<string, { result: JobResult; outputs: Record<string, string> }>;
  steps: Record<string, { outcome: StepResult; conclusion: StepResult; outputs: Record<string, string> }>;
  /**
   * The job's status so far, for success() / failure(): an earlier failure in the job or its
   * needs; `needs-skipped` when a job it needs was skipped (then neither success() nor failure()).
   */
  status: 'success' | 'failure' | 'cancelled' | 'needs-skipped';
}

export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';
export type StepResult = 'success' | 'failure' | 'cancelled' | 'skipped';

const CONTEXTS = ['secrets', 'vars', 'inputs', 'github', 'runner', 'env', 'needs', 'steps', 'job', 'matrix', 'strategy'];

function statusFunctions(ctx: ExpressionContext): FunctionDefinition[] {
  const fn = (name: string, value: () => boolean): FunctionDefinition => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) });
  return [
    fn('success', () => ctx.status === 'success'),
    fn('failure', () => ctx.status === 'failure'),
    fn('cancelled', () => ctx.status === 'cancelled'),
    fn('always', () => true),
  ];
}

/** Evaluates one expression (the text inside `${{ }}`, or an `if:` without them). */
export function evaluate(expression: string, ctx: ExpressionContext): data.ExpressionData {
  const fns = statusFunctions(ctx);
  const tokens = new Lexer(expression).lex();
  const tree = new Parser(tokens.tokens, CONTEXTS, fns).parse();
  const { status: _status, ...contexts } = ctx;
  const dict = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, dict, new Map(fns.map((f) => [f.name, f]))).evaluate();
}

/**
 * An `if:` as GitHub decides it: without a status function in it, `success() && (...)` is
 * implied; with `${{ }}` around it, the inside.
 */
export function condition(text: string | undefined, ctx: ExpressionContext): boolean {
  if (text === undefined || text === '') return ctx.status === 'success';
  const inner = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  const implied = /\b(success|failure|always|cancelled)\s*\(/.test(inner) ? inner : `success() && (${inner})`;
  return truthy(evaluate(implied, ctx));
}

/** A string with `${{ }}` parts replaced by their values (a step's `env:` value, `with:`, outputs). */
export function interpolate(text: string, ctx: ExpressionContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, inner: string) => evaluate(inner, ctx).coerceString());
}
