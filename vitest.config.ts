import { defineConfig } from 'vitest/config';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Tests talk to a real PostgreSQL; a shared cluster, one database per test file.
    // Processes the tests start on DATABASE_URL need a stories key (a real deployment must set one):
    // the same test key test/support/app.ts gives the apps in the tests.
    env: { LOG_LEVEL: 'silent', STORIES_KEY: Buffer.from('chorus-test-stories-key-32-bytes').toString('base64') },
  },
});
