/**
 * Runs every benchmark, one after another (each starts and stops its own stack), with shorter
 * durations than their defaults, and prints one table: each figure, its same-run baseline, the
 * ratio and the target. `--only ingest,refresh` runs a subset; anything after `--` goes to each one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResult } from './results.js';
import { machine, round } from './support.js';

/** Each benchmark with the arguments that keep the whole run to a few minutes. */
const BENCHES: Record<string, string[]> = {
  'cold-start': ['--runs', '3', '--skip-packages'],
  login: ['--seconds', '10'],
  refresh: ['--seconds', '10'],
  ingest: [],
  'active-users': [],
  sync: ['--count', '20000'],
};

const { values } = parseArgs({ options: { only: { type: 'string' }, help: { type: 'boolean', default: false } } });
if (values.help) {
  console.log(`Usage: npm run bench:all -- [--only ${Object.keys(BENCHES).join(',')}]\n\nRuns each benchmark and prints one table of figures beside their same-run baselines.`);
  process.exit(0);
}
const chosen = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(BENCHES);
for (const name of chosen) if (!(name in BENCHES)) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);

const dir = mkdtempSync(join(tmpdir(), 'bench-all-'));
const file = join(dir, 'results.jsonl');
const failed: string[] = [];
try {
  for (const name of chosen) {
    console.log(`\n== ${name} ==`);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [join(import.meta.dirname, `${name}.js`), ...(BENCHES[name] ?? [])], {
        stdio: 'inherit',
        env: { ...process.env, BENCH_RESULTS: file },
      });
      child.on('exit', resolve);
    });
    if (code !== 0) failed.push(name);
  }
  const results: BenchResult[] = (() => {
    try {
      return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as BenchResult);
    } catch {
      return [];
    }
  })();
  console.log(`\n${machine()}\n`);
  console.log('| measured | app | same-run baseline | ratio | target |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of results) {
    const ratio = r.baseline ? r.figure / r.baseline.figure : undefined;
    const target =
      r.target !== undefined && ratio !== undefined
        ? `≥ ${round(100 * r.target)}% ${ratio >= r.target ? '(met)' : '(not met)'}`
        : r.atMost !== undefined
          ? `≤ ${round(r.atMost)} ${r.unit} ${r.figure <= r.atMost ? '(met)' : '(not met)'}`
          : '';
    console.log(
      `| ${r.name} | ${round(r.figure, r.figure < 100 ? 1 : 0)} ${r.unit}${r.detail ? `, ${r.detail}` : ''} | ${r.baseline ? `${round(r.baseline.figure, r.baseline.figure < 100 ? 1 : 0)} (${r.baseline.what})` : ''} | ${ratio === undefined ? '' : r.atMost !== undefined ? `${round(ratio, 1)}x` : `${round(100 * ratio)}%`} | ${target} |`,
    );
  }
  if (failed.length > 0) {
    console.error(`\nfailed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
