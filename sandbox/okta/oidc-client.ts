// The OIDC client apps registered with the sandbox's authorization server (an Okta "Web" app integration).
import { randomBytes } from 'node:crypto';

/**
 * One registered client: what an Okta admin sets on a Web app integration. `redirectUris` are the "Sign-in redirect
 * URIs" and `postLogoutRedirectUris` the "Sign-out redirect URIs", both compared exactly (no wildcards). The client
 * authenticates at the token endpoint with client_secret_basic or client_secret_post.
 */
export interface OidcClientRegistration {
  /** The app's label, shown on the sign-in page (default: the client id). */
  name?: string;
  clientId: string;
  clientSecret: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
}

/** The console's callback and sign-out paths (served by the daemon): the sandbox registers them under the console's base URL. */
export const CONSOLE_CALLBACK_PATH = '/auth/callback';
export const CONSOLE_SIGNED_OUT_PATH = '/signed-out';
/** Where the demo's daemon serves the console by default. */
export const DEFAULT_CONSOLE_URL = 'http://127.0.0.1:8080';

/**
 * The dialsync console's registration for a console served at `consoleUrl` (default http://127.0.0.1:8080):
 * redirect URI `<consoleUrl>/auth/callback`, post-logout URI `<consoleUrl>/signed-out`. The client id and secret
 * are random (Okta's shapes: `0oa` + 17 characters, a 40-character secret) unless given.
 */
export function consoleClient(options: { consoleUrl?: string; clientId?: string; clientSecret?: string } = {}): OidcClientRegistration {
  const base = (options.consoleUrl ?? DEFAULT_CONSOLE_URL).replace(/\/+$/, '');
  return {
    name: 'dialsync console',
    clientId: options.clientId ?? `0oa${randomBytes(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 17)}`,
    clientSecret: options.clientSecret ?? randomBytes(30).toString('base64url'),
    redirectUris: [`${base}${CONSOLE_CALLBACK_PATH}`],
    postLogoutRedirectUris: [`${base}${CONSOLE_SIGNED_OUT_PATH}`],
  };
}
