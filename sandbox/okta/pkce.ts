// PKCE (RFC 7636) as Okta enforces it: only the S256 method, challenges and verifiers of 43 to 128 unreserved characters.
import { createHash } from 'node:crypto';

/** RFC 7636 section 4.1/4.2: 43 to 128 characters of ALPHA / DIGIT / "-" / "." / "_" / "~". */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** True when `value` has the shape RFC 7636 requires of a code verifier or an S256 code challenge. */
export function isPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

/** The S256 code challenge of a code verifier: BASE64URL(SHA256(ASCII(verifier))), RFC 7636 section 4.2. */
export function s256Challenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}
