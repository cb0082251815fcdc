// One line for a failure, safe to log and store: typed errors carry no secrets, anything else is cut short. Used by
// every layer that reports a failure (apply, reconcile, the daemon, the command line), so it belongs to none of them.
import { ConfigError } from '../config/load.js';
import { DialpadError } from '../dialpad/errors.js';
import { OktaError } from '../okta/errors.js';

/**
 * One line for any error, safe to log and to store: a Dialpad or Okta failure prefixed with its side, a
 * ConfigError as written, anything else cut to 500 characters (its text is not ours to vouch for).
 */
export function describeError(error: unknown): string {
  if (error instanceof DialpadError) return prefixed('Dialpad', error.message);
  if (error instanceof OktaError) return prefixed('Okta', error.message);
  if (error instanceof ConfigError) return error.message;
  if (error instanceof Error) return error.message.slice(0, 500);
  return String(error).slice(0, 500);
}

function prefixed(side: string, message: string): string {
  return message.startsWith(side) ? message : `${side}: ${message}`;
}
