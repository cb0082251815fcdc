// Okta's rate limits are per org and per endpoint group, shared with every other integration of the org. The SDK
// only reacts to a 429; this executor paces before it gets there: it reads X-Rate-Limit-Limit/Remaining/Reset from
// every answer and, when sending would take the bucket's used share above the configured share (half by default),
// waits until the bucket resets. It also retries what the SDK does not: 5xx answers, dropped connections,
// timeouts and garbled JSON, for requests that are safe to repeat, with exponential backoff and jitter.
// The headers only tell where a bucket stood when Okta answered: another integration can drain it between two of
// our requests, and the next one meets a 429. So each bucket's share adapts too (AIMD, timing/adaptive-rate.ts):
// a 429 cuts it and holds every request of the bucket until X-Rate-Limit-Reset, answers without one let it recover.
import { DefaultRequestExecutor } from '@okta/okta-sdk-nodejs/src/default-request-executor.js';
import { configDefaults } from '../config/schema.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { graceAfter, realSleep, sleepUnlessAborted, type Sleep } from '../timing/abortable-sleep.js';
import { AdaptiveRate, DEFAULT_DECREASE, DEFAULT_NEAR_LIMIT, DEFAULT_NEAR_LIMIT_SLOWDOWN, type AdaptiveRateState } from '../timing/adaptive-rate.js';
import { OktaError } from './errors.js';

/** Okta's endpoint groups, as far as dialsync uses them. */
export const OKTA_RATE_BUCKETS = ['apps', 'user_writes', 'user_reads', 'logs', 'other'] as const;

/** One of OKTA_RATE_BUCKETS. */
export type OktaRateBucket = (typeof OKTA_RATE_BUCKETS)[number];

/** How an OktaRatePacer paces and retries; only the retries and the timeout are required. */
export interface OktaRatePacerOptions {
  /** Retries after the first attempt (429, 5xx, network, timeout, garbled JSON); 0 disables them. */
  maxRetries: number;
  /** Per attempt, in ms; 0 disables it. */
  requestTimeout: number;
  /**
   * The share (0..1] of each bucket dialsync may use, the ceiling of each bucket's adaptive share; default
   * okta.rateLimitShare's (config/schema.ts).
   */
  share?: number;
  /** Called each time a request waits for its bucket to reset (for metrics). */
  onWait?: (bucket: OktaRateBucket, ms: number) => void;
  /** Called for each 429 (Too Many Requests) answer, retried ones included (a run's count of them), with its bucket. */
  onThrottled?: (bucket: OktaRateBucket) => void;
  logger?: Logger;
  /** The clock, in epoch ms (tests pass their own). */
  now?: () => number;
  sleep?: Sleep;
  /** [0, 1); drives the backoff jitter. */
  random?: () => number;
  /**
   * The process's stop (the daemon's shutdown). Once aborted no request is sent any more: one waiting for its
   * bucket, for a 429's reset or between retries fails at once (OktaError `aborted`); a read in flight is cut off;
   * a write in flight gets `writeGraceMs` to be answered.
   */
  signal?: AbortSignal;
  /** How long a write in flight may still take after `signal` is aborted; default 5000 ms. */
  writeGraceMs?: number;
  /**
   * Called right before each write is sent, after its bucket's wait: throws (LeaseLostError) when this process may
   * no longer write, and the write is not sent.
   */
  writeGate?: () => void;
}

/** The SDK's request options; node-fetch's own fields are untyped in its typings, so the ones used are named here. */
type ExecutorRequest = Parameters<DefaultRequestExecutor['fetch']>[0] & { method?: string; headers?: Record<string, unknown>; timeout?: number; signal?: AbortSignal };

/** The parts of node-fetch's Response used here (the SDK's typings leave it untyped). */
interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

interface BucketState {
  limit: number;
  remaining: number;
  /** Local clock. */
  resetAtMs: number;
}

const BACKOFF_BASE_MS = 500;
/** Parsed listing pages waiting for their reader; one is read at a time, so a few are plenty. */
const MAX_KEPT_PAGES = 2;
const BACKOFF_MAX_MS = 15_000;
/**
 * The lowest a bucket's share is cut to, as a part of the configured share: a tenth (0.05 of a bucket at the
 * default half), and never less than one request per window (see pace).
 */
const SHARE_FLOOR = 0.1;
/**
 * How fast a cut share recovers, as a part of the configured share per second without a 429: 1 %, so one cut
 * (to 70 %) is made good in 30 s, half of Okta's usual one-minute window: the bucket's next window is tried at
 * little more than the share that met the 429, as the integration that drained it may well drain it again.
 */
const SHARE_RECOVERY_PER_SECOND = 0.01;
/**
 * A 429 cuts a share ×0.7 even though it holds the bucket until X-Rate-Limit-Reset (unlike Dialpad's limiter, which
 * cuts gently after a Retry-After): the reset empties Okta's bucket for every integration, the one that drained it
 * too, so the pause says nothing of how much of the next window is left; and the headers already pace each window,
 * so the share is a guard against that drain, not a probe of a limit. The near-limit band keeps AdaptiveRate's
 * defaults (a share recovers over half a minute; there is no sawtooth of 429s to stretch).
 */
const SHARE_DECREASE_AFTER_RESET = DEFAULT_DECREASE;
/** Within the daemon's 10 s to exit, with room for the journal and the store to close. */
const DEFAULT_WRITE_GRACE_MS = 5_000;

/**
 * The SDK's request executor with pacing (see the top of this file): the OktaClient's Http sends every request
 * through fetch(). Rate-limit state comes from the X-Rate-Limit-Limit, X-Rate-Limit-Remaining and
 * X-Rate-Limit-Reset headers of each answer, per endpoint group (OktaRateBucket). The constructor throws a
 * RangeError for a share outside (0, 1].
 */
export class OktaRatePacer extends DefaultRequestExecutor {
  /** How many times a request waited for its bucket (a count). */
  waits = 0;
  /** How long requests waited for their buckets, in all (ms). */
  waitedMs = 0;
  private readonly share: number;
  private readonly buckets = new Map<OktaRateBucket, BucketState>();
  /** Page text → its parsed JSON, until the page's reader takes it (see takeParsed). */
  private readonly parsedPages = new Map<string, unknown>();
  private readonly onWait: ((bucket: OktaRateBucket, ms: number) => void) | undefined;
  private readonly onThrottled: ((bucket: OktaRateBucket) => void) | undefined;
  /** Each bucket's adaptive share, once it has answered. */
  private readonly shares = new Map<OktaRateBucket, AdaptiveRate>();
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly stop: AbortSignal | undefined;
  private readonly writeGate: (() => void) | undefined;
  /** Aborted writeGraceMs after `stop`: ends the writes still in flight. */
  private readonly abandon: AbortSignal | undefined;

  constructor(options: OktaRatePacerOptions) {
    super({ maxRetries: options.maxRetries, requestTimeout: options.requestTimeout });
    const share = options.share ?? configDefaults().okta.rateLimitShare;
    if (!(share > 0 && share <= 1)) throw new RangeError(`the Okta rate-limit share must be within (0, 1], got ${share}`);
    this.share = share;
    this.onWait = options.onWait;
    this.onThrottled = options.onThrottled;
    this.logger = options.logger ?? silentLogger();
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.stop = options.signal;
    this.writeGate = options.writeGate;
    this.abandon = options.signal ? graceAfter(options.signal, options.writeGraceMs ?? DEFAULT_WRITE_GRACE_MS) : undefined;
  }

  /**
   * Each bucket that answered: the configured share (ceiling), the share used now (current) and its 429s (see
   * the top of this file).
   */
  shareStates(): Partial<Record<OktaRateBucket, AdaptiveRateState>> {
    return Object.fromEntries([...this.shares].map(([bucket, rate]) => [bucket, rate.state()]));
  }

  /** What the pacer knows of a bucket (tests and diagnostics). */
  bucketState(bucket: OktaRateBucket): Readonly<BucketState> | undefined {
    return this.buckets.get(bucket);
  }

  /**
   * Sends one request once its bucket allows, retrying a 5xx, a dropped connection, a timeout or garbled JSON for a
   * request safe to repeat (backoff doubling from 500 ms up to 15 s, half of it jittered). Resolves with node-fetch's Response
   * (typed `never` as in the SDK); rejects with OktaError `aborted` once the stop signal has fired, else as
   * node-fetch does.
   */
  override async fetch(request: ExecutorRequest): Promise<never> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = request.url ?? '';
    const bucket = bucketOf(method, url);
    await this.pace(bucket, method, url);
    if (this.stop?.aborted) throw notSent(method, url);
    // Checked after the bucket's wait: a process paused or demoted meanwhile sends nothing.
    if (method !== 'GET' && method !== 'HEAD') this.writeGate?.();
    const stop = method === 'GET' || method === 'HEAD' ? this.stop : this.abandon;
    if (stop) request.signal = request.signal ? AbortSignal.any([request.signal, stop]) : stop;
    let response: FetchResponse;
    try {
      // The SDK's fetch handles a 429 (waiting for X-Rate-Limit-Reset) by calling this.fetch again: paced too.
      response = (await super.fetch(request)) as FetchResponse;
    } catch (error) {
      if (isTransportFailure(error) && isSafeToRepeat(method, url) && this.retriesLeft(request)) {
        return this.retry(request, `${describeTransportFailure(error)}`);
      }
      throw error;
    }
    if (response.status >= 500 && isSafeToRepeat(method, url) && this.retriesLeft(request)) {
      return this.retry(request, `HTTP ${response.status}`);
    }
    if (response.status >= 200 && response.status < 300 && (response.headers.get('content-type') ?? '').includes('json')) {
      const text = await response.text();
      const parsed = text.trim() === '' ? EMPTY : parseJson(text);
      if (parsed === GARBLED && isSafeToRepeat(method, url) && this.retriesLeft(request)) {
        return this.retry(request, 'the answer is not valid JSON');
      }
      if (parsed !== GARBLED && parsed !== EMPTY && isAssignmentListing(method, url)) this.keepParsed(text, parsed);
      rebindBody(response, text);
    }
    return response as never;
  }

  /**
   * The JSON value of a listing page this pacer has already parsed (to check it), for the reader of that page, so
   * a 100,000-user listing is parsed once and not twice. Each value is handed out once; undefined when not kept.
   */
  takeParsed(text: string): unknown {
    const value = this.parsedPages.get(text);
    if (value !== undefined) this.parsedPages.delete(text);
    return value;
  }

  private keepParsed(text: string, value: unknown): void {
    this.parsedPages.set(text, value);
    // A page nobody takes (its reader failed) must not keep its objects alive: only the latest few are kept.
    for (const oldest of this.parsedPages.keys()) {
      if (this.parsedPages.size <= MAX_KEPT_PAGES) break;
      this.parsedPages.delete(oldest);
    }
  }

  /** Every raw answer passes here first (the SDK's 429 handling included): record its rate-limit headers. */
  override parseResponse(request: ExecutorRequest, response: Parameters<DefaultRequestExecutor['parseResponse']>[1]): ReturnType<DefaultRequestExecutor['parseResponse']> {
    const method = (request.method ?? 'GET').toUpperCase();
    const bucket = bucketOf(method, request.url ?? '');
    const { status } = response as FetchResponse;
    this.record(bucket, response as FetchResponse);
    if (status === 429) this.throttled(bucket);
    else if (status < 500) this.shareOf(bucket).succeed();
    return super.parseResponse(request, response);
  }

  private async pace(bucket: OktaRateBucket, method: string, url: string): Promise<void> {
    for (;;) {
      const state = this.buckets.get(bucket);
      const now = this.now();
      if (state === undefined || now >= state.resetAtMs) {
        // Unknown, or a new window: the answer to this request tells us where the bucket stands.
        this.buckets.delete(bucket);
        return;
      }
      const allowed = Math.max(1, Math.floor(state.limit * this.shareOf(bucket).current));
      if (state.limit - state.remaining + 1 <= allowed) {
        state.remaining -= 1;
        return;
      }
      const waitMs = state.resetAtMs - now;
      this.waits += 1;
      this.waitedMs += waitMs;
      this.logger.debug({ bucket, waitMs, limit: state.limit, remaining: state.remaining }, 'Okta rate-limit bucket above its share: waiting for its reset');
      try {
        this.onWait?.(bucket, waitMs);
      } catch (error) {
        this.logger.warn({ err: error }, 'onWait hook failed');
      }
      await this.wait(waitMs, method, url);
    }
  }

  /** Sleeps, unless the stop signal ends the wait: then the request is not sent. */
  private async wait(ms: number, method: string, what: string, sleep: Sleep = this.sleep): Promise<void> {
    try {
      await sleepUnlessAborted(sleep, ms, this.stop);
    } catch {
      throw notSent(method, what);
    }
  }

  /**
   * The SDK's wait for a 429's X-Rate-Limit-Reset, which the stop signal ends too (the SDK's own is a bare
   * setTimeout). Events and the retried request are as the SDK makes them.
   */
  override async retryRequest(request: ExecutorRequest, response: FetchResponse, delayMs: number): Promise<never> {
    const requestId = this.getOktaRequestId(response as Parameters<DefaultRequestExecutor['getOktaRequestId']>[0]);
    this.emit('backoff', request, response, requestId, delayMs);
    await this.wait(delayMs, (request.method ?? 'GET').toUpperCase(), pathOf(request.url ?? ''), realSleep);
    const next = this.buildRetryRequest(request, requestId, delayMs);
    this.emit('resume', next, requestId);
    return this.fetch(next);
  }

  /** The SDK deep-copies a request to retry it: a signal does not survive that, and fetch sets it again anyway. */
  override buildRetryRequest(request: ExecutorRequest, requestId: string, delayMs: number): ExecutorRequest {
    const { signal: _signal, ...rest } = request;
    return super.buildRetryRequest(rest, requestId, delayMs) as ExecutorRequest;
  }

  private shareOf(bucket: OktaRateBucket): AdaptiveRate {
    let rate = this.shares.get(bucket);
    if (rate === undefined) {
      rate = new AdaptiveRate({
        ceiling: this.share,
        floor: this.share * SHARE_FLOOR,
        decrease: DEFAULT_DECREASE,
        decreaseAfterPause: SHARE_DECREASE_AFTER_RESET,
        nearLimit: DEFAULT_NEAR_LIMIT,
        nearLimitSlowdown: DEFAULT_NEAR_LIMIT_SLOWDOWN,
        increasePerSecond: this.share * SHARE_RECOVERY_PER_SECOND,
        now: this.now,
      });
      this.shares.set(bucket, rate);
    }
    return rate;
  }

  /**
   * A 429 in `bucket`: its share is cut (once per window: the 429s of one window are one signal), and every
   * request of the bucket waits for X-Rate-Limit-Reset, whatever the headers said of it before.
   */
  private throttled(bucket: OktaRateBucket): void {
    const state = this.buckets.get(bucket);
    const now = this.now();
    const pauseMs = state === undefined ? 0 : Math.max(0, state.resetAtMs - now);
    if (state !== undefined) state.remaining = 0;
    if (this.shareOf(bucket).throttle(now, pauseMs)) {
      this.logger.info({ bucket, share: this.shareOf(bucket).current, resetInMs: pauseMs }, 'Okta answered 429: this bucket\'s share is cut until requests succeed again');
    }
    this.onThrottled?.(bucket);
  }

  private record(bucket: OktaRateBucket, response: FetchResponse): void {
    const limit = Number.parseInt(response.headers.get('x-rate-limit-limit') ?? '', 10);
    const remaining = Number.parseInt(response.headers.get('x-rate-limit-remaining') ?? '', 10);
    const reset = Number.parseInt(response.headers.get('x-rate-limit-reset') ?? '', 10);
    if (!(limit > 0) || !(remaining >= 0) || !(reset > 0)) return;
    const now = this.now();
    // Reset is in Okta's clock: measure it from Okta's Date header, so a skewed local clock does not matter.
    const serverNow = Date.parse(response.headers.get('date') ?? '');
    const resetAtMs = now + Math.max(0, reset * 1000 - (Number.isNaN(serverNow) ? now : serverNow));
    const known = this.buckets.get(bucket);
    if (known !== undefined && Math.abs(known.resetAtMs - resetAtMs) < 1_000) {
      // Same window: answers arrive out of order, and our own reservations are not in Okta's count yet.
      known.limit = limit;
      known.remaining = Math.min(known.remaining, remaining);
      return;
    }
    this.buckets.set(bucket, { limit, remaining, resetAtMs });
  }

  private retriesLeft(request: ExecutorRequest): boolean {
    return !this.maxRetriesReached(request);
  }

  private async retry(request: ExecutorRequest, why: string): Promise<never> {
    const attempt = Number(request.headers?.[this.retryCountHeader]) || 0;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
    const delayMs = Math.round(ceiling / 2 + (ceiling / 2) * this.random());
    this.logger.warn({ method: request.method, path: pathOf(request.url ?? ''), why, attempt: attempt + 1, delayMs }, 'Okta request failed; retrying');
    await this.wait(delayMs, (request.method ?? 'GET').toUpperCase(), pathOf(request.url ?? ''));
    const next: ExecutorRequest = this.buildRetryRequest(request, '', delayMs);
    if (next.headers?.[this.retryForHeader] === '') delete next.headers[this.retryForHeader];
    // Each attempt gets the whole timeout again: the SDK's budget covers only its own 429 waits.
    next.startTime = new Date();
    next.timeout = this.requestTimeout;
    return this.fetch(next);
  }
}

/** A request the stop signal kept from being sent (or from being sent again). */
function notSent(method: string, what: string): OktaError {
  return new OktaError({ code: 'aborted', message: `Okta request ${method} ${pathOf(what)} not sent: dialsync is shutting down` });
}

/** The endpoint group (rate-limit bucket) a request counts against, from its method and path. */
export function bucketOf(method: string, url: string): OktaRateBucket {
  const path = pathOf(url);
  if (path.startsWith('/api/v1/apps')) return 'apps';
  if (path.startsWith('/api/v1/logs')) return 'logs';
  if (/^\/api\/v1\/users\/[^/]+$/.test(path)) return method.toUpperCase() === 'GET' ? 'user_reads' : 'user_writes';
  return 'other';
}

/**
 * Reads, and the profile updates dialsync sends (setting an attribute to a value gives the same result however
 * often it is sent). Anything else may have taken effect before failing and is not repeated.
 */
function isSafeToRepeat(method: string, url: string): boolean {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD') return true;
  if (upper !== 'POST') return false;
  const path = pathOf(url);
  return /^\/api\/v1\/users\/[^/]+$/.test(path) || /^\/api\/v1\/apps\/[^/]+\/users\/[^/]+$/.test(path);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

/** node-fetch's FetchError for a refused or dropped connection or a timeout. */
function isTransportFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const type = (error as { type?: unknown }).type;
  return (error as { name?: unknown }).name === 'FetchError' && (type === 'system' || type === 'request-timeout' || type === 'body-timeout');
}

function describeTransportFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const type = (error as { type?: unknown }).type;
  return typeof code === 'string' ? code : String(type);
}

const GARBLED = Symbol('garbled');
const EMPTY = Symbol('empty');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return GARBLED;
  }
}

/** GET /api/v1/apps/{appId}/users: the pages OktaSource reads as plain JSON (and takes from takeParsed). */
function isAssignmentListing(method: string, url: string): boolean {
  return method === 'GET' && /^\/api\/v1\/apps\/[^/]+\/users$/.test(pathOf(url));
}

/** The body was read to check it: serve the same text to the response's reader, which reads it again. */
function rebindBody(response: FetchResponse, text: string): void {
  Object.assign(response, {
    text: () => Promise.resolve(text),
    json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
    buffer: () => Promise.resolve(Buffer.from(text, 'utf8')),
  });
}
