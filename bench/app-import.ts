/**
 * Imports the app's entry point in this fresh process the way the local host does (through its
 * core API seam) and prints one JSON line: how long the import took (and the CPU time the process
 * used by then) and, with --packages, which
 * npm packages it loaded (ESM resolutions seen by a module hook, CommonJS ones from the require
 * cache). Settings come from the environment; the parent gives a complete set.
 *
 *   node dist/bench/app-import.js <entry.js> [--packages]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installCoreApi } from '../infra/local/core-api.js';

export interface AppImport {
  ms: number;
  /** CPU time (user + system) this process used from its start to the import's end: what a busy machine does not inflate. */
  cpuMs: number;
  packages?: string[];
}

/** `/x/node_modules/@azure/cosmos/dist/...` → `@azure/cosmos`: the innermost package of a path. */
export function packageOf(path: string): string | undefined {
  const rest = path.split('/node_modules/').at(-1);
  if (rest === undefined || rest === path) return undefined;
  const [first, second] = rest.split('/');
  return first?.startsWith('@') ? `${first}/${second}` : first;
}

const [entry, flag] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node dist/bench/app-import.js <entry.js> [--packages]');
  process.exit(2);
}
const listPackages = flag === '--packages';
const dir = listPackages ? mkdtempSync(join(tmpdir(), 'app-import-')) : undefined;
const resolved = dir ? join(dir, 'resolved.txt') : '';
if (dir) register(new URL('./resolve-hook.js', import.meta.url), { data: { file: resolved } });

installCoreApi(() => {}, '4.0.0-local');
const started = performance.now();
await import(pathToFileURL(entry).href);
const cpu = process.cpuUsage();
const result: AppImport = { ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };

if (dir) {
  const esm = readFileSync(resolved, { encoding: 'utf8', flag: 'a+' }).split('\n').filter(Boolean).map((url) => new URL(url).pathname);
  const cjs = Object.keys(createRequire(import.meta.url).cache);
  result.packages = [...new Set([...esm, ...cjs].map(packageOf).filter((p): p is string => p !== undefined))].sort();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
// The app may have opened nothing, but a timer or handle must not keep this measurement alive.
process.exit(0);
