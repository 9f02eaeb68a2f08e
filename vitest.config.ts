import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships CommonJS (main) and ESM (module) builds; Node (and so graphql-yoga) loads the
    // CommonJS one, and a second copy of its classes breaks its instanceof checks. Tests load the same.
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e files each start their own stand-ins on free ports, so they can run side
    // by side; two at a time keeps a 2-core CI box from thrashing.
    maxWorkers: 2,
  },
});
