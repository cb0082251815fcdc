// The start-up check of both credentials, before a command reads anything.
import type { Gateways } from '../wiring/build.js';

/**
 * A failure of the start-up check (code `access`; the CLI exits 3): bad credentials, a wrong app id, or an API that
 * cannot be reached. `side` names the API; the message carries the client's, and `cause` its error.
 */
export class AccessCheckError extends Error {
  readonly code = 'access';
  constructor(readonly side: 'Okta' | 'Dialpad', cause: unknown) {
    super(`${side} access check failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'AccessCheckError';
  }
}

/**
 * Checks both credentials before anything is read (the Okta SDK would otherwise hide a bad token). Throws an
 * AccessCheckError naming the side that failed (the CLI exits 3).
 */
export async function checkAccess(gateways: Gateways): Promise<void> {
  await Promise.all([
    gateways.okta.checkAccess().catch((error: unknown) => {
      throw new AccessCheckError('Okta', error);
    }),
    gateways.dialpad.checkAccess().catch((error: unknown) => {
      throw new AccessCheckError('Dialpad', error);
    }),
  ]);
}
