import { createRequire } from 'node:module';
import { platform, release } from 'node:os';
import { Http } from '@okta/okta-sdk-nodejs/src/http.js';
import { OAuth } from '@okta/okta-sdk-nodejs/src/oauth.js';
import { configDefaults } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Redactor } from '../log/redactor.js';
import { OktaRatePacer, type OktaRateBucket } from './rate-pacer.js';
import { ServiceAppOAuth } from './service-app-oauth.js';

const sdkPackage = createRequire(import.meta.url)('@okta/okta-sdk-nodejs/package.json') as { name: string; version: string };

/** How to reach the org: its URL, dialsync's app, the credentials (an API token or a service app's key), and limits. */
export interface OktaSettings {
  /** https://<org>.okta.com (a trailing slash is dropped). */
  orgUrl: string;
  /** dialsync's Okta app id (0oa…). */
  appId: string;
  /** token: an API token sent as SSWS; privateKey: a service app's client credentials (OAuth 2.0, signed JWT). */
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
  /** Retries of a 429 (after X-Rate-Limit-Reset), a 5xx, a network failure or timeout; 0 disables them. Default okta.maxRetries's. */
  maxRetries?: number;
  /** Milliseconds per attempt; 0 disables it. Default okta.requestTimeoutMs's. */
  requestTimeoutMs?: number;
  /** Share (0..1] of each Okta rate-limit bucket dialsync may use; default okta.rateLimitShare's. */
  rateLimitShare?: number;
  /** Called when a request waits for its rate-limit bucket to reset (metrics). */
  onRateLimitWait?: (bucket: OktaRateBucket, ms: number) => void;
  /** Called for each 429 answer from Okta, retried ones included, with its rate-limit bucket. */
  onThrottled?: (bucket: OktaRateBucket) => void;
}

/** For a client built without config (tests, tools): the config file's defaults (config/schema.ts). */
const DEFAULTS = configDefaults().okta;

/**
 * Paces requests under the configured share of each rate-limit bucket, and retries transient failures. `signal`
 * stops it (see OktaRatePacerOptions.signal). Throws a RangeError for a share outside (0, 1].
 */
export function createOktaPacer(settings: OktaSettings, logger?: Logger, signal?: AbortSignal, writeGate?: () => void): OktaRatePacer {
  return new OktaRatePacer({
    ...(signal ? { signal } : {}),
    ...(writeGate ? { writeGate } : {}),
    maxRetries: settings.maxRetries ?? DEFAULTS.maxRetries,
    requestTimeout: settings.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    ...(settings.rateLimitShare === undefined ? {} : { share: settings.rateLimitShare }),
    ...(settings.onRateLimitWait ? { onWait: settings.onRateLimitWait } : {}),
    ...(settings.onThrottled ? { onThrottled: settings.onThrottled } : {}),
    ...(logger ? { logger } : {}),
  });
}

/** Sent before the SDK's own user agent, so Okta's System Log and support can tell dialsync's calls apart. */
const USER_AGENT = 'dialsync';
/** The user agent the SDK's Client sends (client.js), after dialsync's own. */
const SDK_USER_AGENT = `${sdkPackage.name}/${sdkPackage.version} node/${process.versions.node} ${platform()}/${release()}`;

/** What one Okta call answers: node-fetch's Response, as far as dialsync reads it. */
export interface OktaResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/**
 * dialsync's Okta client: the SDK's Http (authentication, the request executor, OktaApiError/HttpError for
 * failures) and OAuth (the service app's token), with dialsync's settings and nothing else.
 *
 * The SDK's Client is not used: it builds every generated API and model of the Management API (about 95 MB of
 * memory before the first request, a third of a 100,000-user run's peak), and dialsync calls seven endpoints whose
 * answers it parses with its own schemas anyway. Nor is its ConfigLoader: it merges ~/.okta/okta.yaml, ./okta.yaml
 * and OKTA_CLIENT_* variables into the settings, so a stray file or variable could redirect requests, switch the
 * auth mode or add a token. The SDK's response cache is off too: it serves single-resource GETs from memory
 * forever (admin changes would stay invisible to a daemon) and hangs on responses above ~16 KB. HTTPS_PROXY is
 * still honoured, as Node tools do. The constructor throws a RangeError for an API token holding whitespace or a
 * control character; requests reject as the SDK does (toOktaError turns that into an OktaError).
 */
export class OktaClient {
  /** The org URL without a trailing slash. */
  readonly baseUrl: string;
  /** SSWS: an API token; PrivateKey: a service app's access token. */
  readonly authorizationMode: 'SSWS' | 'PrivateKey';
  /** The API token; '' in PrivateKey mode. */
  readonly apiToken: string;
  /** PrivateKey mode: the service app and its key, read by the SDK's OAuth. */
  readonly clientId: string | undefined;
  readonly scopes: string[];
  readonly privateKey: string | undefined;
  readonly keyId: string | undefined;
  /** The pacer every request goes through (named as the SDK's Http expects). */
  readonly requestExecutor: OktaRatePacer;
  readonly http: Http;
  /** PrivateKey mode: the service app's token source (ServiceAppOAuth); undefined with an API token. */
  readonly oauth: OAuth | undefined;

  constructor(settings: OktaSettings, options: OktaClientOptions = {}) {
    this.baseUrl = settings.orgUrl.replace(/\/$/, '');
    // One pacer per org and process (pass it in to share it): Okta's buckets are org-wide.
    this.requestExecutor = options.pacer ?? createOktaPacer(settings, options.logger, options.signal, options.writeGate);
    const { auth } = settings;
    // node-fetch would refuse such a header value with a message quoting it, before Okta is reached.
    if (auth.kind === 'token' && /[\s\p{Cc}]/u.test(auth.token)) throw new RangeError('the Okta API token contains whitespace or a control character');
    options.redactor?.register(auth.kind === 'token' ? auth.token : auth.privateKey);
    this.authorizationMode = auth.kind === 'token' ? 'SSWS' : 'PrivateKey';
    this.apiToken = auth.kind === 'token' ? auth.token : '';
    this.clientId = auth.kind === 'privateKey' ? auth.clientId : undefined;
    this.scopes = auth.kind === 'privateKey' ? [...auth.scopes] : [];
    this.privateKey = auth.kind === 'privateKey' ? auth.privateKey : undefined;
    this.keyId = auth.kind === 'privateKey' && auth.keyId ? auth.keyId : undefined;
    // The SDK's OAuth reads the client's baseUrl, clientId, scopes, privateKey, keyId and requestExecutor.
    this.oauth = auth.kind === 'privateKey' ? new ServiceAppOAuth(this as unknown as ConstructorParameters<typeof OAuth>[0], options.redactor) : undefined;
    this.http = new Http({ requestExecutor: this.requestExecutor, oauth: this.oauth as OAuth, cacheMiddleware: null });
    if (auth.kind === 'token') this.http.defaultHeaders['Authorization'] = `SSWS ${auth.token}`;
    this.http.defaultHeaders['User-Agent'] = `${USER_AGENT} ${SDK_USER_AGENT}`;
  }

  /** An absolute URL on the org: the path's variable parts must come encoded (see pathSegment). */
  url(path: string, query: Record<string, string | number> = {}): string {
    const search = new URLSearchParams(Object.entries(query).map(([name, value]): [string, string] => [name, String(value)])).toString();
    return `${this.baseUrl}${path}${search === '' ? '' : `?${search}`}`;
  }

  /** A GET of an org URL (a next link included). Rejects as the SDK does: OktaApiError, HttpError, FetchError. */
  get(url: string): Promise<OktaResponse> {
    return this.http.http(url, { method: 'GET', headers: { Accept: 'application/json' } } as HttpRequest) as Promise<OktaResponse>;
  }

  /** A POST of a JSON body to an org URL. Rejects as get() does. */
  post(url: string, body: unknown): Promise<OktaResponse> {
    const request = { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    return this.http.http(url, request as HttpRequest) as Promise<OktaResponse>;
  }
}

/** How an OktaClient is built besides its settings. */
export interface OktaClientOptions {
  /** Share one pacer per org and process. */
  pacer?: OktaRatePacer;
  logger?: Logger;
  /** Learns the service app's client assertions and access tokens as they are minted. */
  redactor?: Redactor;
  /** Stops the client's own pacer at shutdown (see OktaRatePacerOptions.signal); not used with `pacer`. */
  signal?: AbortSignal;
  /** The client's own pacer asks it before each write (see OktaRatePacerOptions.writeGate); not used with `pacer`. */
  writeGate?: () => void;
}

/** node-fetch's RequestInit (the SDK's RequestOptions), which has no types installed here. */
type HttpRequest = Parameters<Http['http']>[1];

/** A path segment from a value (an id, or a login such as a.b@example.com). */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

/** Builds dialsync's Okta client (see OktaClient). */
export function createOktaClient(settings: OktaSettings, options: OktaClientOptions = {}): OktaClient {
  return new OktaClient(settings, options);
}
