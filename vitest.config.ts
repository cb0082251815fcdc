import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // One embedded PostgreSQL server per run; each test file creates its own databases on it (test/support/postgres.ts).
    globalSetup: ['test/support/postgres-server.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The Okta SDK reads OKTA_CLIENT_* variables and ./okta.yaml; keep the developer's own out of tests.
    env: { OKTA_CLIENT_ORGURL: '', OKTA_CLIENT_TOKEN: '' },
  },
});
