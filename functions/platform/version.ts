/** The app's name, version and root folder, found from the package.json above this file (source or compiled). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'player-accounts';

function findPackage(start: string): { root: string; version: string } {
  for (let dir = dirname(start); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === APP_NAME) return { root: dir, version: pkg.version ?? '0.0.0' };
    }
  }
  throw new Error(`no package.json named ${APP_NAME} above ${start}`);
}

const found = findPackage(fileURLToPath(import.meta.url));
export const APP_VERSION = found.version;
export const PROJECT_ROOT = found.root;
