// Every e2e test's world, set up once: both sandboxes started, the small company of seedOffices in Dialpad, a
// fresh database, all stopped after the test. A file (or a describe block) states only what differs: the sandbox
// options, as changesets' test state builder does.
import { afterEach } from 'vitest';
import type { DialpadSandboxOptions } from '../../sandbox/dialpad/sandbox.js';
import type { OktaSandboxOptions } from '../../sandbox/okta/sandbox.js';
import { perTest } from '../per-test.js';
import { seedOffices, World } from './world.js';

/** The offices seedOffices made: their Dialpad office ids. */
export type Offices = ReturnType<typeof seedOffices>;

/** A started world and the offices seeded in its Dialpad company. */
export interface GivenWorld {
  world: World;
  offices: Offices;
}

/** Options for the two sandboxes (an Okta profile schema without dialpadPhone, injected faults, page sizes, ...). */
export interface WorldOptions {
  okta?: OktaSandboxOptions;
  dialpad?: DialpadSandboxOptions;
}

/**
 * Registers the hooks that start a world before each test of the file or describe block it is called in (with
 * `options`, then seedOffices) and stop it after, and returns the accessor to the running one. The accessor throws
 * outside a test (at collection time, or in a describe block without useWorld).
 */
export function useWorld(options: WorldOptions = {}): () => GivenWorld {
  return perTest('useWorld', () => startWorld(options), ({ world }) => world.stop());
}

/**
 * useWorld for tests whose sandboxes differ test by test (a fault, a callback that closes over the test's own
 * state): registers the hook that stops the world after each test and returns the function a test calls, once,
 * to start its world with `differs` over `defaults` (merged key by key per sandbox), then seedOffices.
 * A test that never calls it starts nothing. Throws when called a second time in the same test.
 */
export function useWorldPerTest(defaults: WorldOptions = {}): (differs?: WorldOptions) => Promise<GivenWorld> {
  let current: Promise<GivenWorld> | undefined;

  afterEach(async () => {
    const stopping = current;
    current = undefined;
    await stopping?.then(({ world }) => world.stop(), () => undefined);
  });

  return (differs = {}) => {
    if (current) throw new Error('useWorldPerTest: this test has already started its world');
    current = startWorld({ okta: { ...defaults.okta, ...differs.okta }, dialpad: { ...defaults.dialpad, ...differs.dialpad } });
    return current;
  };
}

async function startWorld(options: WorldOptions): Promise<GivenWorld> {
  const world = await new World(options).start();
  return { world, offices: seedOffices(world.dialpad) };
}
