import { Client } from '@okta/okta-sdk-nodejs';
import type { Logger } from '../log/logger.js';
import { OktaRatePacer, type OktaRateBucket } from './rate-pacer.js';

export interface OktaSettings {
  orgUrl: string;
  appId: string;
  auth:
    | { kind: 'token'; token: string }
    | {
        kind: 'privateKey';
        clientId: string;
        /** PEM (PKCS#1, PKCS#8 or EC) or a JWK as JSON text. */
        privateKey: string;
        /** The JWT kid, needed when the service app has several keys and the JWK carries none. */
        keyId?: string;
        scopes: string[];
      };
  /** Retries of a 429 (after X-Rate-Limit-Reset), a 5xx, a network failure or timeout; 0 disables them. Default 3. */
  maxRetries?: number;
  /** Per attempt; 0 disables it. Default 30000. */
  requestTimeoutMs?: number;
  /** Share (0..1] of each Okta rate-limit bucket dialsync may use; default 0.5. */
  rateLimitShare?: number;
  /** Called when a request waits for its rate-limit bucket to reset (metrics). */
  onRateLimitWait?: (bucket: OktaRateBucket, ms: number) => void;
}

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Paces requests under the configured share of each rate-limit bucket, and retries transient failures. */
export function createOktaPacer(settings: OktaSettings, logger?: Logger): OktaRatePacer {
  return new OktaRatePacer({
    maxRetries: settings.maxRetries ?? DEFAULT_MAX_RETRIES,
    requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ...(settings.rateLimitShare === undefined ? {} : { share: settings.rateLimitShare }),
    ...(settings.onRateLimitWait ? { onWait: settings.onRateLimitWait } : {}),
    ...(logger ? { logger } : {}),
  });
}

/** Sent before the SDK's own user agent, so Okta's System Log and support can tell dialsync's calls apart. */
const USER_AGENT = 'dialsync';

/** The SDK's V2Configuration (not exported by name), plus userAgent, which client.js reads but the type omits. */
type ClientConfiguration = NonNullable<ConstructorParameters<typeof Client>[0]> & { userAgent: string };

/**
 * Builds the SDK client with dialsync's settings and nothing else.
 *
 * The SDK's ConfigLoader merges ~/.okta/okta.yaml, then ./okta.yaml, then OKTA_CLIENT_* environment
 * variables, then the constructor's object (lodash merge: a key given as undefined keeps the earlier
 * value, a key given as '' replaces it). So every key the loader knows (authorizationMode, orgUrl, token,
 * clientId, scopes, privateKey, keyId) is passed explicitly, the unused ones as '': no stray variable or
 * YAML file can redirect requests, switch the auth mode or add a token. The SDK still reads those YAML
 * files (a malformed one makes this throw), and still honours HTTPS_PROXY, as Node tools do.
 *
 * The default cache middleware is turned off: it serves single-resource GETs from memory forever (admin
 * changes would stay invisible to a daemon) and hangs on responses above ~16 KB.
 */
export function createOktaClient(settings: OktaSettings, options: { pacer?: OktaRatePacer; logger?: Logger } = {}): Client {
  // One pacer per org and process (pass it in to share it): Okta's buckets are org-wide.
  const requestExecutor = options.pacer ?? createOktaPacer(settings, options.logger);
  const common = { orgUrl: settings.orgUrl, cacheMiddleware: null, requestExecutor, userAgent: USER_AGENT };
  const { auth } = settings;
  const config: ClientConfiguration =
    auth.kind === 'token'
      ? { ...common, authorizationMode: 'SSWS', token: auth.token, clientId: '', scopes: [], privateKey: '', keyId: '' }
      : {
          ...common,
          authorizationMode: 'PrivateKey',
          token: '',
          clientId: auth.clientId,
          scopes: auth.scopes,
          privateKey: auth.privateKey,
          keyId: auth.keyId ?? '',
        };
  return new Client(config);
}
