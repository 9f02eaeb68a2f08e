/** The app's version, read once from the package.json above this file (source or compiled). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageVersion(start: string): string {
  for (let dir = dirname(start); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'player-accounts') return pkg.version ?? '0.0.0';
    }
  }
  return '0.0.0';
}

export const APP_NAME = 'player-accounts';
export const APP_VERSION = findPackageVersion(fileURLToPath(import.meta.url));
