// API tokens: `dsk_` and 43 base64url characters (32 random bytes), sent as `Authorization: Bearer dsk_...`.
// The prefix tells a dialsync token apart in a secret scanner or a log; only its SHA-256 is stored.
import { randomBytes } from 'node:crypto';

/** What every API token starts with. */
export const API_TOKEN_PREFIX = 'dsk_';

/** A new random API token (256 bits); `random` is for tests. */
export function mintApiToken(random: (bytes: number) => Buffer = randomBytes): string {
  return `${API_TOKEN_PREFIX}${random(32).toString('base64url')}`;
}

/**
 * The API token in an Authorization header (`Bearer dsk_...`, scheme case-insensitive, RFC 6750 section 2.1);
 * undefined when the header is absent or is not a bearer token; `null` when it is a bearer credential that is not
 * shaped like a dialsync token (refused without a look-up).
 */
export function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return undefined;
  const token = match[1] as string;
  return /^dsk_[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}
