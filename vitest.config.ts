import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start their own redis-server and HTTP servers; two cores, so keep it modest.
    maxWorkers: 2,
  },
});
