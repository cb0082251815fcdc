// The one shape of every per-test set-up (a world, the daemon's sandboxes, the synced scenario): made before each
// test of the block that asks for it, disposed of after, read through an accessor.
import { afterEach, beforeEach } from 'vitest';

/**
 * Registers the hooks that `make` a fresh value before each test of the file or describe block it is called in and
 * `dispose` of it after, and returns the accessor to the current value. The accessor throws (naming `what`)
 * outside a test of that block. Register further set-up after this call: vitest runs a block's beforeEach hooks in
 * order and its afterEach hooks in reverse, so the value is there for them and disposed of last.
 */
export function perTest<T>(what: string, make: () => Promise<T>, dispose: (value: T) => Promise<void>): () => T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await make();
  });
  afterEach(async () => {
    const disposing = current;
    current = undefined;
    if (disposing !== undefined) await dispose(disposing);
  });
  return () => {
    if (current === undefined) throw new Error(`${what}: nothing is set up here (only inside a test of the block that called ${what})`);
    return current;
  };
}
