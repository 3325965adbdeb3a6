/**
 * GitHub's five-field POSIX cron (no seconds, no `?`, `L`, `W` or `#`). Returns what is wrong in
 * words, or undefined when the schedule is valid: a bad schedule is not an error anywhere else,
 * the workflow just never runs.
 */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) return `has ${parts.length} field${parts.length === 1 ? '' : 's'}; GitHub wants 5 (minute hour day-of-month month day-of-week)`;
  for (const [i, part] of parts.entries()) {
    const problem = fieldProblem(part, FIELDS[i]!);
    if (problem) return `${FIELDS[i]!.name} field "${part}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(part: string, field: Field): string | undefined {
  for (const item of part.split(',')) {
    if (!item) return 'empty list item';
    const problem = itemProblem(item, field);
    if (problem) return problem;
  }
  return undefined;
}

function itemProblem(item: string, field: Field): string | undefined {
  const [range, step, ...extra] = item.split('/');
  if (extra.length) return `"${item}" has more than one step`;
  if (step !== undefined) {
    if (!/^\d+$/.test(step)) return `step "${step}" is not a number`;
    const n = Number(step);
    if (n < 1 || n > field.max) return `step ${n} is outside 1-${field.max}`;
  }
  if (range === '*') return undefined;
  const ends = range!.split('-');
  if (ends.length > 2 || ends.some((e) => !e)) return `"${range}" is not a value or a range`;
  const values: number[] = [];
  for (const end of ends) {
    const value = valueOf(end, field);
    if (value === undefined) return `"${end}" is not a number${field.names ? ' or a name' : ''}`;
    if (value < field.min || value > field.max) return `${end} is outside ${field.min}-${field.max}`;
    values.push(value);
  }
  if (values.length === 2 && values[0]! > values[1]!) return `range ${range} runs backwards`;
  return undefined;
}

function valueOf(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index < 0) return undefined;
  return field.name === 'month' ? index + 1 : index;
}
