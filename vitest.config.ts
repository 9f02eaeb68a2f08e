import { defineConfig } from 'vitest/config';

export default defineConfig({
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
