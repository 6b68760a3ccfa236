import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The database suites share two real servers; running files in parallel on 2 cores
    // only adds contention, and each file creates its own scratch databases anyway.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
