/**
 * NCRONTAB, the six-field schedule the Functions timer trigger uses:
 * "{second} {minute} {hour} {day} {month} {day-of-week}", each `*`, a number, a range `a-b`, a list
 * `a,b`, or a step `* /n` / `a-b/n` (without the space). Times are UTC, as in Azure by default.
 */
const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
] as const;

export interface Schedule {
  expression: string;
  next(afterMs: number): number;
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number;
    let to: number;
    if (range === '*') {
      from = field.min;
      to = field.max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-').map(Number);
      from = a ?? NaN;
      to = b ?? NaN;
    } else {
      from = Number(range);
      to = stepText === undefined ? from : field.max;
    }
    if (field.name === 'day-of-week' && to === 7) to = 6; // 7 is Sunday too
    const valid = [from, to, step].every(Number.isInteger) && step > 0 && from >= field.min && to <= field.max && from <= to;
    if (!valid) throw new Error(`"${part}" is not a valid ${field.name} in an NCRONTAB schedule`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseSchedule(expression: string): Schedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new Error(`Timer schedule "${expression}" must have six fields: second minute hour day month day-of-week`);
  }
  const [seconds, minutes, hours, days, months, weekdays] = FIELDS.map((field, i) => parseField(parts[i] ?? '', field)) as [
    Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>,
  ];
  return {
    expression,
    next(afterMs: number): number {
      // Walk second by second with coarse skips; schedules here fire at least once a year.
      const t = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
      const limit = afterMs + 366 * 24 * 3600 * 1000;
      while (t.getTime() <= limit) {
        if (!months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0);
        } else if (!days.has(t.getUTCDate()) || !weekdays.has(t.getUTCDay())) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0);
        } else if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0);
        } else if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0);
        } else if (!seconds.has(t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1);
        } else {
          return t.getTime();
        }
      }
      throw new Error(`Timer schedule "${expression}" never fires`);
    },
  };
}
