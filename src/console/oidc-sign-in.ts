// Okta sign-in with OpenID Connect: the authorization code flow with PKCE (S256), state and nonce, through
// openid-client (OpenID Connect Core 1.0 section 3.1; RFC 7636). The authorization server's metadata is
// discovered on first use, not at start, so the daemon starts (and its probes answer) while Okta is unreachable.
import * as oidc from 'openid-client';
import type { Logger } from '../log/logger.js';

/** What a sign-in needs of the console settings. */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** publicUrl + '/auth/callback', as registered in the Okta app's sign-in redirect URIs. */
  redirectUri: string;
}

/** What /auth/login keeps (in a signed cookie) for /auth/callback to check the answer against. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where the browser goes once signed in: a path of the console. */
  returnTo: string;
}

/** The ID token's claims a sign-in reads (OpenID Connect Core 1.0 section 2 and 5.1). */
export interface SignedInUser {
  subject: string;
  email: string;
  name: string | null;
  /** The claims, for the groups claim (its name is a setting). */
  claims: Record<string, unknown>;
  /** The ID token itself (a JWT), for Okta's end-session endpoint (id_token_hint); kept in a cookie, never stored. */
  idToken: string;
}

/** A sign-in that cannot finish (code `sign_in_failed`): Okta's error answer, a bad state, a token refused. */
export class SignInError extends Error {
  readonly code = 'sign_in_failed';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SignInError';
  }
}

/**
 * The relying party of the console. Scopes: openid, profile and email; on Okta's org authorization server (an
 * issuer without /oauth2/ in its path) `groups` too, which that server needs to send the groups claim (a custom
 * authorization server sends it from a claim set to any scope).
 */
export class OidcSignIn {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly settings: OidcClientSettings,
    private readonly logger: Logger,
  ) {}

  /** The scopes asked for. */
  get scope(): string {
    return new URL(this.settings.issuer).pathname.includes('/oauth2/') ? 'openid profile email' : 'openid profile email groups';
  }

  /**
   * Where to send the browser to sign in, and what to keep for the callback.
   * @throws what discovery throws (Okta unreachable, not an OIDC issuer).
   */
  async start(returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier, returnTo };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * Redeems the authorization code in `query` (the callback's query string) and checks the ID token (signature,
   * issuer, audience, expiry, nonce) and the state.
   * @throws SignInError when Okta answered an error, the state or nonce do not match, or the token is refused.
   */
  async finish(query: string, pending: PendingSignIn): Promise<SignedInUser> {
    const config = await this.config();
    const current = new URL(this.settings.redirectUri);
    current.search = query;
    let tokens;
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    } catch (error) {
      throw new SignInError(describeOidcError(error), { cause: error });
    }
    const claims = tokens.claims();
    if (!claims) throw new SignInError('Okta sent no ID token');
    const email = typeof claims.email === 'string' ? claims.email : typeof claims.preferred_username === 'string' ? claims.preferred_username : null;
    if (!email) throw new SignInError('the ID token has no email claim (ask for the email scope in the Okta app)');
    const idToken = tokens.id_token;
    if (idToken === undefined) throw new SignInError('Okta sent no ID token');
    return { subject: claims.sub, email, name: typeof claims.name === 'string' ? claims.name : null, claims: claims as Record<string, unknown>, idToken };
  }

  /**
   * Okta's end-session endpoint (OpenID Connect RP-Initiated Logout 1.0 section 2) returning to
   * `postLogoutRedirectUri`, with `idTokenHint` (the ID token of the sign-in) as id_token_hint, which Okta's
   * /v1/logout requires (Okta's OpenID Connect API reference, logout); client_id is sent too, and alone when no
   * ID token is at hand (Okta may then answer with an error page and keep its own session). Null when the issuer
   * has no end-session endpoint or its metadata cannot be read now.
   */
  async endSessionUrl(postLogoutRedirectUri: string, idTokenHint: string | null): Promise<URL | null> {
    try {
      const config = await this.config();
      if (!config.serverMetadata().end_session_endpoint) return null;
      return oidc.buildEndSessionUrl(config, {
        ...(idTokenHint ? { id_token_hint: idTokenHint } : {}),
        client_id: this.settings.clientId,
        post_logout_redirect_uri: postLogoutRedirectUri,
      });
    } catch {
      return null;
    }
  }

  private config(): Promise<oidc.Configuration> {
    if (this.configuration === null) {
      const { issuer, clientId, clientSecret } = this.settings;
      const insecure = new URL(issuer).protocol === 'http:';
      this.configuration = oidc.discovery(new URL(issuer), clientId, { client_secret: clientSecret }, oidc.ClientSecretBasic(clientSecret), {
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      });
      // A failed discovery is tried again on the next sign-in.
      this.configuration.catch((error: unknown) => {
        this.configuration = null;
        this.logger.warn({ err: { message: describeOidcError(error) }, issuer }, 'could not read the OIDC issuer metadata');
      });
    }
    return this.configuration;
  }
}

/** A message for an openid-client error: its text and, for an authorization server's answer, the OAuth error code. */
function describeOidcError(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}
