/**
 * NCRONTAB, the six-field schedule of the Functions timer trigger ("{second} {minute} {hour} {day}
 * {month} {day-of-week}", UTC), read by croner. Names (`Jan`, `MON-FRI`), ranges, lists and steps
 * work as in Azure; day and day-of-week must both match, as NCrontab has it.
 */
import { Cron } from 'croner';

export interface Schedule {
  expression: string;
  /** The first firing strictly after the given time, in ms since the epoch. */
  next(afterMs: number): number;
  /** The latest firing at or before the given time, or null if it never fired before it. */
  latest(atOrBeforeMs: number): number | null;
}

/** What NCrontab accepts in a field; croner's extensions (L, W, #, ?) would not run in Azure. */
const NCRONTAB_ITEM = /^(\*|(\d+|[A-Za-z]{3})(-(\d+|[A-Za-z]{3}))?)(\/\d+)?$/;
const isNcrontabField = (field: string) => field.split(',').every((item) => NCRONTAB_ITEM.test(item));

export function parseSchedule(expression: string): Schedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`must be an NCRONTAB schedule with six fields (second minute hour day month day-of-week), e.g. "*/30 * * * * *"; "${expression}" has ${fields.length}`);
  }
  const foreign = fields.find((f) => !isNcrontabField(f));
  if (foreign !== undefined) throw new Error(`"${foreign}" is not an NCRONTAB field (numbers, names, *, ranges a-b, lists a,b and steps /n)`);
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), { paused: true, timezone: 'UTC', mode: '6-part', domAndDow: true });
  } catch (error) {
    throw new Error(`"${expression}" is not a valid NCRONTAB schedule: ${(error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '')}`);
  }
  return {
    expression,
    next(afterMs) {
      const next = cron.nextRun(new Date(afterMs));
      if (!next) throw new Error(`Timer schedule "${expression}" never fires`);
      return next.getTime();
    },
    latest(atOrBeforeMs) {
      // croner's previousRuns is strictly before its reference.
      return cron.previousRuns(1, new Date(atOrBeforeMs + 1))[0]?.getTime() ?? null;
    },
  };
}
