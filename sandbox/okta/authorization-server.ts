// Okta's custom authorization server `default` (issuer <org>/oauth2/default), enough of it to sign an admin in with
// the authorization code flow and PKCE: discovery, /v1/authorize with a hosted sign-in form, /v1/token, /v1/keys,
// /v1/userinfo and /v1/logout. Sources: Okta's OpenID Connect & OAuth 2.0 API reference (custom authorization
// servers), OpenID Connect Core 1.0, RFC 6749, RFC 7636 (PKCE), RFC 6750 (bearer tokens) and OpenID Connect RP-Initiated
// Logout 1.0. Users, their status and their groups come from the sandbox's directory, so an admin method
// (addToGroup, setStatus) changes what the next sign-in yields.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { compactVerify, SignJWT } from 'jose';
import type { SandboxRequest, SandboxResponse } from '../http/request.js';
import type { OktaUserStatus } from './user-status.js';
import type { OktaProfile } from './directory.js';
import { groupsClaimValue, type GroupsClaim } from './groups-claim.js';
import { OAuthError } from './oauth-error.js';
import type { OidcClientRegistration } from './oidc-client.js';
import { isPkceValue, s256Challenge } from './pkce.js';
import { errorPage, PAGE_HEADERS, signedOutPage, signInPage } from './sign-in-page.js';
import { generateSigningKey, type SigningKey } from './signing-key.js';

/** The authorization server's id in every path: Okta's pre-configured custom authorization server. */
export const AUTHORIZATION_SERVER_ID = 'default';
/** Where every route of the authorization server lives, under the org's URL. */
export const AUTHORIZATION_SERVER_PATH = `/oauth2/${AUTHORIZATION_SERVER_ID}`;

/** The scopes of the default authorization server this sandbox grants (refresh tokens are not simulated). */
const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'groups'] as const;
/**
 * The Okta session cookie (Okta calls it `sid`): renamed and scoped to the authorization server's path, because
 * cookies ignore the port and the console on the same host (127.0.0.1) keeps cookies of its own.
 */
const SESSION_COOKIE = 'okta_sandbox_sid';
const SESSION_COOKIE_ATTRIBUTES = `Path=${AUTHORIZATION_SERVER_PATH}; HttpOnly; SameSite=Lax`;

/** What the authorization server reads about a person signing in. */
export interface SignInUser {
  id: string;
  status: OktaUserStatus;
  profile: OktaProfile;
}

/** The sandbox's directory as the authorization server sees it: users by login, their groups, their password. */
export interface SignInDirectory {
  /** The user whose login is `login` (case-insensitive), or undefined. */
  userByLogin(login: string): SignInUser | undefined;
  /** The user with this id, or undefined once deleted. */
  userById(id: string): SignInUser | undefined;
  /** The names of the Okta groups the user is a member of (without Everyone). */
  groupNamesOf(userId: string): string[];
  /** True when `password` is the user's password. */
  passwordMatches(userId: string, password: string): boolean;
}

export interface OktaAuthorizationServerOptions {
  /** The org's URL (the sandbox's base URL), read per request: the sandbox knows its port only once started. */
  orgUrl: () => string;
  /** The org's id: the `idp` claim of tokens of users Okta itself authenticated. */
  orgId: string;
  clients: readonly OidcClientRegistration[];
  groupsClaim: GroupsClaim;
  directory: SignInDirectory;
  now: () => Date;
  /** Lifetime of an authorization code, seconds (Okta: 300). */
  codeLifetimeSeconds?: number;
  /** Lifetime of ID and access tokens, seconds (the default access policy: 3600). */
  tokenLifetimeSeconds?: number;
  /** Lifetime of an Okta session (the `sid` cookie), seconds (Okta's default policy: 2 hours). */
  sessionLifetimeSeconds?: number;
}

/** A validated authorization request, waiting for its user to sign in (or reused from an Okta session). */
interface AuthorizationRequest {
  client: OidcClientRegistration;
  redirectUri: string;
  scopes: string[];
  state: string;
  nonce: string | undefined;
  codeChallenge: string;
  expiresAt: number;
}

interface IssuedCode {
  request: AuthorizationRequest;
  userId: string;
  authTime: number;
  expiresAt: number;
  used: boolean;
  /** Access tokens issued for this code: revoked when the code is presented again (RFC 6749 section 4.1.2). */
  accessTokens: string[];
}

interface IssuedAccessToken {
  userId: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

interface OktaSession {
  userId: string;
  authTime: number;
  expiresAt: number;
}

/** One answer before serialization: a page, a redirect or JSON. */
type Reply = SandboxResponse;

/**
 * The authorization server. `handle` answers every request under /oauth2/default; the Okta sandbox routes them
 * here before its API-token check (these endpoints are public or authenticate the client themselves).
 */
export class OktaAuthorizationServer {
  private readonly codeLifetimeMs: number;
  private readonly tokenLifetimeSeconds: number;
  private readonly sessionLifetimeMs: number;
  private readonly pending = new Map<string, AuthorizationRequest>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly accessTokens = new Map<string, IssuedAccessToken>();
  private readonly sessions = new Map<string, OktaSession>();
  private signingKey: Promise<SigningKey> | undefined;

  constructor(private readonly options: OktaAuthorizationServerOptions) {
    this.codeLifetimeMs = (options.codeLifetimeSeconds ?? 300) * 1000;
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.sessionLifetimeMs = (options.sessionLifetimeSeconds ?? 7200) * 1000;
  }

  /** `<org>/oauth2/default`: the `iss` of every token and the base of every endpoint. */
  get issuer(): string {
    return `${this.options.orgUrl()}${AUTHORIZATION_SERVER_PATH}`;
  }

  /** The registered clients (the sandbox prints the console's). */
  get clients(): readonly OidcClientRegistration[] {
    return this.options.clients;
  }

  /** The key that signs ID and access tokens, generated on first use. */
  key(): Promise<SigningKey> {
    this.signingKey ??= generateSigningKey();
    return this.signingKey;
  }

  /** Answers one request whose path starts with /oauth2/default; anything else under it is Okta's 404. */
  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const route = `${request.method} ${request.path.slice(AUTHORIZATION_SERVER_PATH.length)}`;
    try {
      switch (route) {
        case 'GET /.well-known/openid-configuration':
        case 'GET /.well-known/oauth-authorization-server':
          return json(200, this.metadata());
        case 'GET /v1/authorize':
          return this.authorize(request);
        case 'POST /v1/authorize/sign-in':
          return this.signIn(request);
        case 'POST /v1/token':
          return await this.token(request);
        case 'GET /v1/keys':
          return json(200, { keys: [(await this.key()).jwk] }, { 'Cache-Control': 'max-age=3600' });
        case 'GET /v1/userinfo':
        case 'POST /v1/userinfo':
          return this.userinfo(request);
        case 'GET /v1/logout':
          return await this.logout(request);
        default:
          return json(404, { errorCode: 'E0000022', errorSummary: `The endpoint does not support the provided HTTP method or does not exist: ${request.path}`, errorLink: 'E0000022', errorId: randomId(), errorCauses: [] });
      }
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      // Okta answers a failed client authentication with the JSON body alone (no WWW-Authenticate challenge).
      return json(error.status, { error: error.error, error_description: error.description });
    }
  }

  /** The discovery document (OpenID Connect Discovery 1.0 section 3; Okta lists the same for the oauth-authorization-server path). */
  private metadata(): Record<string, unknown> {
    const issuer = this.issuer;
    return {
      issuer,
      authorization_endpoint: `${issuer}/v1/authorize`,
      token_endpoint: `${issuer}/v1/token`,
      userinfo_endpoint: `${issuer}/v1/userinfo`,
      jwks_uri: `${issuer}/v1/keys`,
      end_session_endpoint: `${issuer}/v1/logout`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: [...SUPPORTED_SCOPES],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      claims_supported: ['iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name', 'given_name', 'family_name', 'preferred_username', 'email', 'at_hash', this.options.groupsClaim.name],
      code_challenge_methods_supported: ['S256'],
      request_parameter_supported: false,
    };
  }

  // ---- /v1/authorize and the sign-in form ----

  private authorize(request: SandboxRequest): Reply {
    const q = request.query;
    // RFC 6749 section 4.1.2.1: without a known client and its registered redirect URI, nothing is sent back to the client.
    const client = this.options.clients.find((c) => c.clientId === q.get('client_id'));
    if (client === undefined) return htmlPage(400, errorPage('invalid_client', 'The client_id is not registered with this authorization server.'));
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client.redirectUris.includes(redirectUri)) {
      return htmlPage(400, errorPage('invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."));
    }
    const state = q.get('state') ?? '';
    const refuse = (error: string, description: string): Reply => redirect(redirectUri, { error, error_description: description, ...(state === '' ? {} : { state }) });

    if (q.get('response_type') !== 'code') return refuse('unsupported_response_type', "The response type is not supported by the authorization server. Use 'code'.");
    const responseMode = q.get('response_mode');
    if (responseMode !== null && responseMode !== 'query') return refuse('invalid_request', "The response mode is not supported by this authorization server. Use 'query'.");
    if (state === '') return refuse('invalid_request', "The 'state' parameter is required.");
    const scopes = (q.get('scope') ?? '').split(' ').filter((s) => s !== '');
    if (!scopes.includes('openid')) return refuse('invalid_scope', "The 'openid' scope is required.");
    if (scopes.some((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s))) {
      return refuse('invalid_scope', 'One or more scopes are not configured for the authorization server resource.');
    }
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method');
    if (challenge === null || challenge === '') return refuse('invalid_request', 'PKCE code challenge is required for this client.');
    if (method !== 'S256') return refuse('invalid_request', "PKCE code challenge method is not supported; use 'S256'.");
    if (!isPkceValue(challenge)) return refuse('invalid_request', 'PKCE code challenge contains illegal characters or has the wrong length.');

    const nowMs = this.options.now().getTime();
    const authorization: AuthorizationRequest = {
      client,
      redirectUri,
      scopes,
      state,
      nonce: q.get('nonce') ?? undefined,
      codeChallenge: challenge,
      expiresAt: nowMs + 10 * 60_000,
    };
    const prompt = (q.get('prompt') ?? '').split(' ');
    const session = prompt.includes('login') ? undefined : this.sessionOf(request, nowMs);
    if (session !== undefined) {
      const user = this.options.directory.userById(session.userId);
      if (user?.status === 'ACTIVE') return this.issueCode(authorization, user.id, session.authTime);
    }
    if (prompt.includes('none')) return refuse('login_required', 'The client specified not to prompt, but the user is not logged in.');
    const transaction = randomId();
    this.forgetExpired(nowMs);
    this.pending.set(transaction, authorization);
    const loginHint = q.get('login_hint') ?? undefined;
    return htmlPage(200, signInPage({ action: `${this.issuer}/v1/authorize/sign-in`, transaction, clientName: client.name ?? client.clientId, ...(loginHint === undefined ? {} : { username: loginHint }) }));
  }

  private signIn(request: SandboxRequest): Reply {
    const form = new URLSearchParams(request.bodyText);
    const transaction = form.get('transaction') ?? '';
    const authorization = this.pending.get(transaction);
    const nowMs = this.options.now().getTime();
    if (authorization === undefined || authorization.expiresAt <= nowMs) {
      this.pending.delete(transaction);
      return htmlPage(400, errorPage('Sign-in expired', 'This sign-in is no longer valid. Go back to the application and sign in again.'));
    }
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    const user = this.options.directory.userByLogin(username);
    // One message for every refusal, as Okta's sign-in page: it does not tell which logins exist.
    if (user === undefined || user.status !== 'ACTIVE' || !this.options.directory.passwordMatches(user.id, password)) {
      const page = signInPage({ action: `${this.issuer}/v1/authorize/sign-in`, transaction, clientName: authorization.client.name ?? authorization.client.clientId, username, error: 'Unable to sign in: the username or password is wrong.' });
      return htmlPage(401, page);
    }
    this.pending.delete(transaction);
    const sessionId = randomId();
    this.sessions.set(sessionId, { userId: user.id, authTime: Math.floor(nowMs / 1000), expiresAt: nowMs + this.sessionLifetimeMs });
    const reply = this.issueCode(authorization, user.id, Math.floor(nowMs / 1000));
    return { ...reply, headers: { ...reply.headers, 'Set-Cookie': `${SESSION_COOKIE}=${sessionId}; ${SESSION_COOKIE_ATTRIBUTES}` } };
  }

  private issueCode(authorization: AuthorizationRequest, userId: string, authTime: number): Reply {
    const code = randomBytes(32).toString('base64url');
    const nowMs = this.options.now().getTime();
    this.codes.set(code, { request: authorization, userId, authTime, expiresAt: nowMs + this.codeLifetimeMs, used: false, accessTokens: [] });
    return redirect(authorization.redirectUri, { code, state: authorization.state });
  }

  /** Drops expired sign-in transactions, codes, access tokens and sessions, so a long-running sandbox stays small. */
  private forgetExpired(nowMs: number): void {
    for (const [id, pending] of this.pending) if (pending.expiresAt <= nowMs) this.pending.delete(id);
    // A code is kept a while after it expires: presented again, it still revokes what it issued.
    for (const [code, issued] of this.codes) if (issued.expiresAt + this.tokenLifetimeSeconds * 1000 <= nowMs) this.codes.delete(code);
    for (const [token, issued] of this.accessTokens) if (issued.expiresAt <= nowMs) this.accessTokens.delete(token);
    for (const [id, session] of this.sessions) if (session.expiresAt <= nowMs) this.sessions.delete(id);
  }

  private sessionOf(request: SandboxRequest, nowMs: number): OktaSession | undefined {
    const id = cookieValue(request, SESSION_COOKIE);
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined || session.expiresAt <= nowMs) return undefined;
    return session;
  }

  // ---- /v1/token ----

  private async token(request: SandboxRequest): Promise<Reply> {
    const form = new URLSearchParams(request.bodyText);
    const client = this.authenticateClient(request, form);
    if (form.get('grant_type') !== 'authorization_code') {
      throw new OAuthError('unsupported_grant_type', "The authorization grant type is not supported by the authorization server. Configured grant types: [authorization_code].");
    }
    const invalidCode = new OAuthError('invalid_grant', 'The authorization code is invalid or has expired.');
    const code = this.codes.get(form.get('code') ?? '');
    if (code === undefined || code.request.client.clientId !== client.clientId) throw invalidCode;
    if (code.used) {
      // A code presented twice: refuse, and revoke what the first redemption issued (RFC 6749 section 4.1.2).
      for (const token of code.accessTokens) {
        const issued = this.accessTokens.get(token);
        if (issued !== undefined) issued.revoked = true;
      }
      throw invalidCode;
    }
    code.used = true;
    const nowMs = this.options.now().getTime();
    if (code.expiresAt <= nowMs) throw invalidCode;
    if (form.get('redirect_uri') !== code.request.redirectUri) {
      throw new OAuthError('invalid_grant', "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
    }
    const verifier = form.get('code_verifier');
    if (verifier === null || verifier === '') throw new OAuthError('invalid_request', 'PKCE verification failed: the code_verifier is missing.');
    if (!isPkceValue(verifier) || !safeEqual(s256Challenge(verifier), code.request.codeChallenge)) {
      throw new OAuthError('invalid_grant', 'PKCE verification failed.');
    }
    const user = this.options.directory.userById(code.userId);
    if (user === undefined || user.status !== 'ACTIVE') throw invalidCode;

    const key = await this.key();
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.tokenLifetimeSeconds;
    const scopes = code.request.scopes;
    const login = stringOf(user.profile.login);
    const accessToken = await new SignJWT({ ver: 1, jti: `AT.${randomId()}`, cid: client.clientId, uid: user.id, scp: scopes, auth_time: code.authTime })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'application/okta-internal-at+jwt' })
      .setIssuer(this.issuer)
      .setAudience('api://default')
      .setSubject(login ?? user.id)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    this.accessTokens.set(accessToken, { userId: user.id, clientId: client.clientId, scopes, expiresAt: exp * 1000, revoked: false });
    code.accessTokens.push(accessToken);

    const idToken = await new SignJWT({
      ver: 1,
      jti: `ID.${randomId()}`,
      amr: ['pwd'],
      idp: this.options.orgId,
      auth_time: code.authTime,
      at_hash: createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'),
      ...(code.request.nonce === undefined ? {} : { nonce: code.request.nonce }),
      ...this.identityClaims(user, scopes),
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(this.issuer)
      .setAudience(client.clientId)
      .setSubject(user.id)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return json(
      200,
      { token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds, access_token: accessToken, scope: scopes.join(' '), id_token: idToken },
      { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    );
  }

  /**
   * client_secret_basic (RFC 6749 section 2.3.1: id and secret form-encoded, then Basic) or client_secret_post; using
   * both at once is refused (section 2.3). Any failure is Okta's 401 invalid_client.
   */
  private authenticateClient(request: SandboxRequest, form: URLSearchParams): OidcClientRegistration {
    const header = request.headers.authorization;
    let clientId: string | null;
    let secret: string | null;
    if (header !== undefined && header.toLowerCase().startsWith('basic ')) {
      if (form.has('client_secret')) throw new OAuthError('invalid_request', 'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.');
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw clientAuthenticationFailed();
      clientId = formDecode(decoded.slice(0, colon));
      secret = formDecode(decoded.slice(colon + 1));
      const bodyId = form.get('client_id');
      if (bodyId !== null && bodyId !== clientId) throw clientAuthenticationFailed();
    } else {
      clientId = form.get('client_id');
      secret = form.get('client_secret');
    }
    if (clientId === null || secret === null) {
      throw new OAuthError('invalid_client', 'Client authentication failed. Either the client or the client credentials are invalid.', 401);
    }
    const client = this.options.clients.find((c) => c.clientId === clientId);
    if (client === undefined || !safeEqual(secret, client.clientSecret)) throw clientAuthenticationFailed();
    return client;
  }

  private identityClaims(user: SignInUser, scopes: readonly string[]): Record<string, unknown> {
    const profile = user.profile;
    const claims: Record<string, unknown> = {};
    if (scopes.includes('profile')) {
      const name = [stringOf(profile.firstName), stringOf(profile.lastName)].filter((part) => part !== undefined).join(' ');
      if (name !== '') claims.name = name;
      if (stringOf(profile.firstName) !== undefined) claims.given_name = profile.firstName;
      if (stringOf(profile.lastName) !== undefined) claims.family_name = profile.lastName;
      if (stringOf(profile.login) !== undefined) claims.preferred_username = profile.login;
    }
    if (scopes.includes('email') && stringOf(profile.email) !== undefined) {
      claims.email = profile.email;
      claims.email_verified = true;
    }
    // Every Okta user is a member of Everyone; a filter that matches it lists it first.
    const groups = groupsClaimValue(this.options.groupsClaim, ['Everyone', ...this.options.directory.groupNamesOf(user.id)], scopes);
    if (groups !== undefined) claims[this.options.groupsClaim.name] = groups;
    return claims;
  }

  // ---- /v1/userinfo ----

  private userinfo(request: SandboxRequest): Reply {
    const header = request.headers.authorization;
    const bearer = header !== undefined && header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
    const form = request.method === 'POST' ? new URLSearchParams(request.bodyText) : undefined;
    const token = bearer ?? form?.get('access_token') ?? undefined;
    const issued = token === undefined ? undefined : this.accessTokens.get(token);
    const nowMs = this.options.now().getTime();
    const user = issued === undefined ? undefined : this.options.directory.userById(issued.userId);
    if (issued === undefined || issued.revoked || issued.expiresAt <= nowMs || user === undefined || user.status !== 'ACTIVE') {
      // RFC 6750 section 3.1: the refusal is in the WWW-Authenticate header; Okta sends no body.
      const challenge = `Bearer authorization_uri="${this.issuer}/v1/authorize", realm="${this.issuer}", scope="openid", error="invalid_token", error_description="The access token is invalid."`;
      return { status: 401, headers: { 'WWW-Authenticate': challenge } };
    }
    if (!issued.scopes.includes('openid')) {
      return { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - profile, email, address or phone"' } };
    }
    const profile = user.profile;
    return json(200, {
      sub: user.id,
      ...this.identityClaims(user, issued.scopes),
      ...(issued.scopes.includes('profile') ? { updated_at: Math.floor(nowMs / 1000), zoneinfo: 'America/Los_Angeles', locale: stringOf(profile.locale) ?? 'en_US' } : {}),
    });
  }

  // ---- /v1/logout ----

  private async logout(request: SandboxRequest): Promise<Reply> {
    const q = request.query;
    const hint = q.get('id_token_hint');
    const postLogout = q.get('post_logout_redirect_uri');
    // Okta's /v1/logout requires id_token_hint (Okta's OpenID Connect API reference, logout; Okta's support
    // article on the purpose of id_token_hint): an ID token this server issued, whose audience names the client.
    // An expired one is still a valid hint (OpenID Connect RP-Initiated Logout section 2): only signature, issuer
    // and audience count. A client_id sent alongside must be that audience.
    if (hint === null) return htmlPage(400, errorPage('invalid_request', "The 'id_token_hint' parameter is required."));
    const claims = await this.verifiedClaims(hint);
    const client = claims === undefined ? undefined : this.options.clients.find((c) => c.clientId === claims.aud);
    if (client === undefined) return htmlPage(400, errorPage('invalid_request', "The 'id_token_hint' parameter is not a valid ID token of this authorization server."));
    const clientId = q.get('client_id');
    if (clientId !== null && clientId !== client.clientId) return htmlPage(400, errorPage('invalid_request', "The 'client_id' parameter does not match the 'id_token_hint'."));
    if (postLogout !== null && !client.postLogoutRedirectUris.includes(postLogout)) {
      return htmlPage(400, errorPage('invalid_request', "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings."));
    }
    const sessionId = cookieValue(request, SESSION_COOKIE);
    if (sessionId !== undefined) this.sessions.delete(sessionId);
    const clearCookie = { 'Set-Cookie': `${SESSION_COOKIE}=; ${SESSION_COOKIE_ATTRIBUTES}; Max-Age=0` };
    if (postLogout === null) return { ...htmlPage(200, signedOutPage()), headers: { ...PAGE_HEADERS, ...clearCookie } };
    const state = q.get('state');
    const reply = redirect(postLogout, state === null ? {} : { state });
    return { ...reply, headers: { ...reply.headers, ...clearCookie } };
  }

  private async verifiedClaims(jwt: string): Promise<{ aud: unknown } | undefined> {
    try {
      const { payload } = await compactVerify(jwt, (await this.key()).publicKey);
      const claims = JSON.parse(new TextDecoder().decode(payload)) as { iss?: unknown; aud?: unknown };
      return claims.iss === this.issuer ? { aud: claims.aud } : undefined;
    } catch {
      return undefined;
    }
  }
}

function clientAuthenticationFailed(): OAuthError {
  return new OAuthError('invalid_client', 'The client secret supplied for a confidential client is invalid.', 401);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function htmlPage(status: number, html: string): Reply {
  return { status, headers: { ...PAGE_HEADERS }, body: html };
}

/** A 302 to `uri` with `params` added to its query (RFC 6749 section 4.1.2: the client's own query is kept). */
function redirect(uri: string, params: Record<string, string>): Reply {
  const target = new URL(uri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return { status: 302, headers: { Location: target.toString(), 'Cache-Control': 'no-store' } };
}

function cookieValue(request: SandboxRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Decodes one application/x-www-form-urlencoded value ('+' is a space). */
function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

function stringOf(value: OktaProfile[string] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function randomId(): string {
  return randomBytes(18).toString('base64url');
}
