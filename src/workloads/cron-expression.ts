/**
 * @internal
 * Checks a CronJob schedule the way the Kubernetes API server parses it (the
 * standard 5-field syntax of robfig/cron, and its macros).
 */

/** The macros the API server accepts in place of the five fields. */
export const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** `@every <duration>`, with a Go duration such as 1h30m. */
const EVERY = /^@every (\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

interface CronField { readonly name: string; readonly min: number; readonly max: number; readonly names?: string[]; readonly anyMark?: boolean }

const FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, anyMark: true },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], anyMark: true },
];

/** What is wrong with a schedule, or undefined when the API server accepts it. */
export function cronProblem(expression: string): string | undefined {
  const e = expression.trim();
  if (e.startsWith('@')) {
    if (CRON_MACROS.includes(e) || EVERY.test(e)) return undefined;
    const first = e.split(/\s+/)[0];
    if (CRON_MACROS.includes(first)) return `the macro ${first} stands for all five fields, so nothing may follow it`;
    return `${JSON.stringify(e)} is not a macro Kubernetes knows (${CRON_MACROS.join(', ')}, @every <duration>)`;
  }
  const parts = e.split(/\s+/);
  if (parts.length !== 5) return `a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has ${parts.length}`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i], FIELDS[i]);
    if (problem) return `the ${FIELDS[i].name} field ${JSON.stringify(parts[i])} ${problem}`;
  }
  return undefined;
}

function fieldProblem(text: string, f: CronField): string | undefined {
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) return 'has more than one "/"';
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return `has a step ${JSON.stringify(step)} that is not a positive integer`;
    if (range === '*' || (f.anyMark && range === '?')) continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `has a range ${JSON.stringify(range)} with more than one "-"`;
    const values: number[] = [];
    for (const b of bounds) {
      const v = valueOf(b, f);
      if (v === undefined) return `has ${JSON.stringify(b)}, which is not a number from ${f.min} to ${f.max}${f.names ? ` or a name (${f.names[0]}...)` : ''}`;
      values.push(v);
    }
    if (values.length === 2 && values[0] > values[1]) return `has a range ${JSON.stringify(range)} whose start is after its end`;
  }
  return undefined;
}

function valueOf(text: string, f: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= f.min && n <= f.max ? n : undefined;
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  return i < 0 ? undefined : f.min + i;
}
