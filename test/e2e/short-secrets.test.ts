// Secrets too short to be real (a test value, a mistyped key) are blanked only where they stand alone: with
// OKTA_API_TOKEN=y and DIALPAD_API_KEY=x, `dialsync status` still reads "dry run" and "nobody@example.com".
import { expect, it } from 'vitest';
import { useWorld } from './use-world.js';
import { hire } from './world.js';

const given = useWorld();

it('dialsync status with one-character secrets: output intact', async () => {
  const { world: w } = given();
  hire(w.okta, { login: 'nobody@example.com', firstName: 'Yuki', lastName: 'Xu' }, { officeName: 'New York' });
  expect((await w.reconcile()).code).toBe(0);

  w.extraEnv.OKTA_API_TOKEN = 'y';
  w.extraEnv.DIALPAD_API_KEY = 'x';
  const run = await w.cli('status');
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('dry run');
  expect(run.stdout).not.toContain('[redacted]');
  // status uses no credential, so it does not warn about them (reconcile does: test/config/load.test.ts).
  expect(run.stderr).not.toContain('character long');
});
