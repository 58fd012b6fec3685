import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/ once: the CLI tests spawn bin/budget-extract, which runs the compiled code.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // The machine running CI may have two cores; PDF runs are CPU-bound.
    maxWorkers: 2,
  },
});
