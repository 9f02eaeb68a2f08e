// @ts-check
// azd prepackage hook of the api service: builds the app and stages what runs in Azure into
// .deploy/, the folder azure.yaml names as the service's `dist`, which azd zips (minus .funcignore)
// and deploys. It builds first itself: azd's Node service runs `npm run build` inside its package
// step, after the `prepackage` hook, so without this a fresh clone has no dist/ yet and an old one
// would be staged stale. azd itself would zip the project folder with every devDependency in
// node_modules; here only production ones go in.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Files copied as they are from the project root. */
export const ROOT_FILES = ['host.json', 'package.json', 'package-lock.json', '.funcignore'];
/** The compiled app: everything functions/ compiles to, and nothing else from dist/. */
export const APP_DIR = join('dist', 'functions');
/** The admin console's built files (Vite writes them; functions/http/console serves them at /console/). */
export const CONSOLE_DIR = join('dist', 'console');

/** Compiled JavaScript only: no source maps or declaration files. @param {string} path */
const shipped = (path) => !/\.(map|d\.ts)$/.test(path);

/** @param {string} command @param {string} cwd @param {string} what */
function run(command, cwd, what) {
  // shell: npm is npm.cmd on Windows.
  const result = spawnSync(command, { cwd, shell: true, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error || result.status !== 0) throw new Error(`${what} failed`);
}

/**
 * Fills `out` (emptied first) from the project at `root`: with `build`, runs `npm run build` there
 * first, so what is staged is what the sources say now; with `install`, runs `npm ci --omit=dev`
 * in `out` so node_modules holds production dependencies only.
 * @param {{ root: string, out: string, build?: boolean, install?: boolean }} options
 */
export function stagePackage({ root, out, build = true, install = true }) {
  if (build) {
    // Emptied first: tsc leaves behind what a deleted source once compiled to.
    rmSync(join(root, APP_DIR), { recursive: true, force: true });
    run('npm run build', root, '`npm run build`');
  }
  if (!existsSync(join(root, APP_DIR, 'index.js'))) {
    throw new Error(`${join(root, APP_DIR, 'index.js')} is missing after \`npm run build\``);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(root, APP_DIR), join(out, APP_DIR), { recursive: true, filter: shipped });
  if (existsSync(join(root, CONSOLE_DIR))) cpSync(join(root, CONSOLE_DIR), join(out, CONSOLE_DIR), { recursive: true, filter: shipped });
  for (const file of ROOT_FILES) copyFileSync(join(root, file), join(out, file));
  // --ignore-scripts: no production dependency needs one.
  if (install) run('npm ci --omit=dev --ignore-scripts --no-audit --no-fund', out, 'npm ci --omit=dev in the staged package');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  try {
    stagePackage({ root, out: join(root, '.deploy') });
    console.log('stage-package: built; .deploy/ holds dist/functions, dist/console, host.json, package.json and production node_modules');
  } catch (error) {
    console.error(`stage-package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
