/**
 * No SDK is imported with the app: loading dist/functions/index.js (what the Functions host does
 * at a cold start) must leave every cloud SDK and heavy framework unloaded until a function
 * needs it. Checked in a fresh node process by the module list, not by timing.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_DEFAULTS, STAND_IN_PLACEHOLDERS } from '../../infra/local/settings.js';
import { ROOT } from '../support/stack.js';

/** Each adapter (or route) imports these on first use. */
const LOADED_ON_FIRST_USE = [
  '@azure/cosmos',
  '@azure/identity',
  '@azure/service-bus',
  'redis',
  '@redis/client',
  '@redis/entraid',
  '@azure/keyvault-secrets',
  'openai',
  '@azure/web-pubsub',
  '@azure/communication-email',
  '@azure/monitor-opentelemetry',
  'graphql',
  'graphql-yoga',
  '@asteasolutions/zod-to-openapi',
];

/** Complete settings, so the app's start-up validation passes; nothing is contacted at import. */
const SETTINGS = {
  ...LOCAL_DEFAULTS,
  ...STAND_IN_PLACEHOLDERS,
  WEBPUBSUB_HUB: 'game',
};

function packagesLoadedBy(entry: string): string[] {
  const output = execFileSync(process.execPath, [join(ROOT, 'dist/bench/app-import.js'), entry, '--packages'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...SETTINGS },
    encoding: 'utf8',
  });
  return (JSON.parse(output.trim().split('\n').at(-1) as string) as { packages: string[] }).packages;
}

describe('the cold start', () => {
  it('imports no SDK with the app: each waits for the function that first needs it', () => {
    const loaded = packagesLoadedBy(join(ROOT, 'dist/functions/index.js'));
    // The list is real: what the app cannot register its functions without is in it.
    expect(loaded).toEqual(expect.arrayContaining(['@azure/functions', 'zod']));
    expect(LOADED_ON_FIRST_USE.filter((name) => loaded.includes(name))).toEqual([]);
  });
});
