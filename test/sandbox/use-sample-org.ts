// Both sandboxes with the sample org, started before a test file's tests and stopped after them.
import { afterAll, beforeAll } from 'vitest';
import { DialpadSandbox } from '../../sandbox/dialpad/sandbox.js';
import { OktaSandbox, type OktaSandboxOptions } from '../../sandbox/okta/sandbox.js';
import { seedSampleOrg } from '../../sandbox/sample-org.js';

/** The Okta sandbox (built with `oktaOptions`) and the Dialpad sandbox, seeded with the sample org once both are up. */
export function useSampleOrg(oktaOptions: OktaSandboxOptions = {}): { okta: OktaSandbox; dialpad: DialpadSandbox } {
  const okta = new OktaSandbox(oktaOptions);
  const dialpad = new DialpadSandbox();
  beforeAll(async () => {
    await Promise.all([okta.start(), dialpad.start()]);
    seedSampleOrg(okta, dialpad);
  });
  afterAll(async () => {
    await Promise.all([okta.stop(), dialpad.stop()]);
  });
  return { okta, dialpad };
}
