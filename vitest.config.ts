import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // DuckDB and the site build are heavy: two workers on a 2-core machine.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
