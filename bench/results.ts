/**
 * One benchmark's figure beside its same-run baseline, for `npm run bench:all`'s table. Each
 * benchmark prints its own lines as before; when `BENCH_RESULTS` names a file, it also appends one
 * JSON line per figure there.
 */
import { appendFileSync } from 'node:fs';

export interface BenchResult {
  /** What was measured, e.g. "ingest, batch 1". */
  name: string;
  /** The app's figure and its unit, e.g. 2,000 "requests/s". */
  figure: number;
  unit: string;
  /** What the same run measured without the app, and what that was. */
  baseline?: { figure: number; what: string };
  /** The target for figure / baseline.figure, e.g. 0.35 for "at least 35% of the baseline". */
  target?: number;
  /** Or a target for the figure itself where less is better, e.g. 500 (ms). */
  atMost?: number;
  /** Anything else the table should say: p99, failures. */
  detail?: string;
}

export function report(result: BenchResult): void {
  const file = process.env.BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
}
