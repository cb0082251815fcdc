// The console's cookies: the session cookie carries only the random session id (signed with the session secret,
// so a forged or altered id is refused before the store is asked); the sign-in cookie carries the OIDC state,
// nonce and PKCE code verifier between /auth/login and /auth/callback; the ID token cookie carries the sign-in's
// ID token to POST /auth/logout only, as Okta's end-session endpoint needs it (id_token_hint) and a credential
// belongs in no stored row.
import { createHmac, randomBytes } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';

/** The cookies' names and attributes for a console served at `publicUrl`. */
export interface ConsoleCookies {
  session: string;
  signIn: string;
  /**
   * The ID token cookie's name: `dialsync_id_token`, on https `__Secure-dialsync_id_token`. Not `__Host-`: that
   * prefix demands Path=/, and this cookie is Path=/auth/logout so that no other request carries the token;
   * `__Secure-` still keeps it from being set over http (RFC 6265bis section 4.1.3.1).
   */
  idToken: string;
  /** As `options` but Path=/auth/logout. */
  idTokenOptions: CookieSerializeOptions;
  /** HttpOnly, SameSite=Lax (the callback is a top-level GET from Okta), Secure on https, Path=/, signed. */
  options: CookieSerializeOptions;
}

/**
 * The cookie names and attributes: on https the names take the `__Host-` prefix, which browsers accept only
 * with Secure, Path=/ and no Domain, so no other host or path can set or shadow them (RFC 6265bis section 4.1.3.2).
 */
export function consoleCookies(publicUrl: string): ConsoleCookies {
  const secure = new URL(publicUrl).protocol === 'https:';
  const prefix = secure ? '__Host-' : '';
  const options: CookieSerializeOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/', signed: true };
  return {
    session: `${prefix}dialsync_session`,
    signIn: `${prefix}dialsync_sign_in`,
    idToken: `${secure ? '__Secure-' : ''}dialsync_id_token`,
    idTokenOptions: { ...options, path: ID_TOKEN_COOKIE_PATH },
    options,
  };
}

/** The only path the ID token cookie is sent to: the sign-out. */
export const ID_TOKEN_COOKIE_PATH = '/auth/logout';

/** The longest cookie (name=value) kept: browsers keep at least 4096 bytes of name, value and attributes (RFC 6265 section 6.1). */
export const MAX_COOKIE_BYTES = 3800;

/** A new random session id (256 bits, base64url). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The CSRF secret of a session: an HMAC of its id under the session secret, so it is bound to the session,
 * differs per session, and needs no storage (a token minted for one session fails in another).
 */
export function csrfSecretOf(sessionId: string, sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update(`csrf:${sessionId}`, 'utf8').digest('base64url');
}
