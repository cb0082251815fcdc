// The service app's access token: the SDK's OAuth (client credentials with a signed client assertion, POST
// /oauth2/v1/token, Okta's "Implement OAuth for Okta with a service app" guide), made safe in two ways.
//
// - Each client assertion and access token is registered with the redactor the moment it exists.
// - A refused token request is final. As loaded by dialsync, the SDK's OAuth resolves with Okta's error body
//   ({"error":"invalid_client",...}) instead of rejecting, caches it as the token, and its Http then sends
//   "Bearer undefined", gets a 401, drops the cache and asks the token endpoint again: refused credentials
//   went out twice, and the refusal's reason was lost. Here the error body becomes an OktaError without an HTTP
//   status (the SDK's 401 retry does not match it), and nothing is cached.
import { OAuth } from '@okta/okta-sdk-nodejs/src/oauth.js';
import { z } from 'zod';
import type { Redactor } from '../log/redactor.js';
import { OktaError } from './errors.js';

/** What the token endpoint answers: a token, or an OAuth error (RFC 6749, section 5.2). */
const tokenSchema = z.object({ access_token: z.string().min(1) }).loose();
const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
type OAuthErrorBody = z.infer<typeof oauthErrorSchema>;

type TokenAnswer = Awaited<ReturnType<OAuth['getAccessToken']>>;
type OAuthClient = ConstructorParameters<typeof OAuth>[0];

/** The OAuth the OktaClient hands the SDK's Http in PrivateKey mode (see the top of this file). */
export class ServiceAppOAuth extends OAuth {
  constructor(
    client: OAuthClient,
    private readonly redactor: Redactor | undefined,
  ) {
    super(client);
  }

  /** The SDK's signed client assertion for `endpoint`, registered with the redactor before it is used. */
  override async getJwt(endpoint: string): Promise<string> {
    const assertion = await super.getJwt(endpoint);
    this.redactor?.register(assertion, { minted: true });
    return assertion;
  }

  /**
   * The cached access token, or a new one. Rejects with an OktaError (code unauthorized, or forbidden for scopes
   * not granted) when the token endpoint refuses, and as the SDK does otherwise (a key it cannot read, no network).
   */
  // The SDK calls itself again with a DPoP nonce when Okta asks for one: the arguments are passed on as they come.
  override async getAccessToken(...args: unknown[]): Promise<TokenAnswer> {
    let answer: unknown;
    try {
      answer = await (super.getAccessToken as (...rest: unknown[]) => Promise<TokenAnswer>).apply(this, args);
    } catch (error) {
      throw refusal(error, this.clientId);
    }
    const token = tokenSchema.safeParse(answer);
    if (token.success) {
      this.redactor?.register(token.data.access_token, { minted: true });
      return answer as TokenAnswer;
    }
    this.clearCachedAccessToken();
    const oauthError = oauthErrorSchema.safeParse(answer);
    throw refusedTokenRequest(this.clientId, oauthError.success ? oauthError.data : null, 'its answer held no access token');
  }

  private get clientId(): string {
    const id: unknown = Reflect.get(this.client, 'clientId');
    return typeof id === 'string' ? id : '(unknown)';
  }
}

function refusedTokenRequest(clientId: string, oauthError: OAuthErrorBody | null, otherwise: string, cause?: unknown): OktaError {
  const detail = oauthError ? `${oauthError.error}${oauthError.error_description ? `: ${oauthError.error_description}` : ''}` : otherwise;
  const extra = cause === undefined ? {} : { cause };
  if (oauthError?.error === 'invalid_scope') {
    return new OktaError({
      code: 'forbidden',
      message: `Okta refused the scopes asked for by service app ${clientId} (${detail}): grant them to the app in the Okta Admin Console (Okta API Scopes)`,
      oktaErrorCode: oauthError.error,
      errorSummary: oauthError.error_description ?? null,
      ...extra,
    });
  }
  return new OktaError({
    code: 'unauthorized',
    message: `Okta's token endpoint refused the credentials of service app ${clientId} (${detail}): check the client id, that the app's public key matches the private key (and key id), and that the app uses public/private key authentication`,
    oktaErrorCode: oauthError?.error ?? null,
    errorSummary: oauthError?.error_description ?? null,
    ...extra,
  });
}

/** A rejection carrying a 400 or 401 (should the SDK reject one) is final too; anything else is passed on. */
function refusal(error: unknown, clientId: string): unknown {
  const status: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'status') : undefined;
  if (status !== 400 && status !== 401 && status !== 403) return error;
  const refused = refusedTokenRequest(clientId, null, `HTTP ${status}`, error);
  return status === 403 ? new OktaError({ code: 'forbidden', message: refused.message, cause: error }) : refused;
}
