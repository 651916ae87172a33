import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files start their own servers on port 0 and their own database schemas, so they can run
    // side by side; the two cores of the CI machine are the limit.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
