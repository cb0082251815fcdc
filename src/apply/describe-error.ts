// One line for a failed action, safe to log and store: typed errors carry no secrets, anything else is cut short.
import { ConfigError } from '../config/load.js';
import { DialpadError } from '../dialpad/errors.js';
import { OktaError } from '../okta/errors.js';

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
