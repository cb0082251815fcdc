import type { z } from 'zod';
import { configDefaults } from '../config/schema.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { Redactor } from '../log/redactor.js';
import { keepFirstByKey } from '../collections/keep-first-by-key.js';
import { StringPool } from '../collections/string-pool.js';
import { emailKey, emailLookupForms } from '../identity/email-identity.js';
import { apiMessageFromBody, DialpadError, errorCodeForStatus } from './errors.js';
import { parseJsonWithInt64Strings, stringifyJsonWithInt64 } from './int64-json.js';
import { graceAfter, sleepUnlessAborted, type Sleep } from '../timing/abortable-sleep.js';
import { RateLimiter, realSleep } from './rate-limiter.js';
import {
  availableLicensesSchema,
  collectionSchema,
  companyIdentitySchema,
  companySchema,
  describeIssues,
  numberProtoSchema,
  officeProtoSchema,
  toDialpadAvailableLicenses,
  toDialpadCompany,
  toDialpadNumber,
  toDialpadOffice,
  toDialpadUser,
  toDialpadUserListing,
  userProtoSchema,
} from './schema.js';
import type {
  AssignNumberInput,
  CreateUserInput,
  DialpadAvailableLicenses,
  DialpadCompany,
  DialpadGateway,
  DialpadNumber,
  DialpadOffice,
  DialpadUser,
  DialpadUserListing,
  UpdateUserInput,
} from './types.js';
import {
  assignNumberRequest,
  createUserRequest,
  deleteUserRequest,
  moveOfficeRequest,
  updateUserRequest,
  USERS_PATH,
  userPath,
  type DialpadWriteRequest,
} from './write-requests.js';

/** One attempt's outcome, handed to `onResponse` (metrics): `durationMs` in milliseconds, the path without query. */
export interface DialpadResponseInfo {
  method: string;
  /** Without the query string. */
  path: string;
  /** Null when no HTTP response came back (network failure, timeout). */
  status: number | null;
  durationMs: number;
}

/** How to build a DialpadClient: where, with which key, and how patiently; every default is config/schema.ts's. */
export interface DialpadClientOptions {
  /** e.g. https://dialpad.com or https://sandbox.dialpad.com; a trailing slash is fine. */
  baseUrl: string;
  apiKey: string;
  /**
   * Client-side cap per second, the adaptive rate's ceiling (Dialpad allows 20/s per company, shared); default
   * dialpad.requestsPerSecond's. Ignored when rateLimiter is given.
   */
  requestsPerSecond?: number;
  /** Retries after the first attempt; default dialpad.maxRetries's (config/schema.ts). */
  maxRetries?: number;
  /** Milliseconds per attempt, headers and body included; default dialpad.timeoutMs's (config/schema.ts). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  logger?: Logger;
  /** Waits between retries (tests inject a recorder). */
  sleep?: Sleep;
  /** Returns [0, 1); Math.random by default. Drives the backoff jitter. */
  random?: () => number;
  /** Share one limiter between clients of the same company, or inject one with a fake clock; the client tells it each answer. */
  rateLimiter?: RateLimiter;
  /** Called after every attempt, e.g. for metrics. */
  onResponse?: (info: DialpadResponseInfo) => void;
  /**
   * The process's stop (the daemon's shutdown). Once aborted no request is sent any more: one waiting for the rate
   * limiter or between retries fails at once with code `aborted`, and no retry starts; a read in flight is cut
   * off (`aborted`); a write in flight gets `writeGraceMs` to be answered, then fails as a timeout (it may have
   * taken effect, as after any timeout).
   */
  signal?: AbortSignal;
  /** How long a write in flight may still take after `signal` is aborted; default 5000 ms. */
  writeGraceMs?: number;
  /**
   * Called right before each attempt of a write is sent, after the rate limiter's wait: throws (LeaseLostError)
   * when this process may no longer write, and the write is not sent. Its error is passed through unchanged.
   */
  writeGate?: () => void;
  /** The process's redactor (the key is registered with it); a private one when left out. */
  redactor?: Redactor;
}

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Query = Record<string, string>;

/** For a client built without config (tests, tools): the config file's defaults (config/schema.ts). */
const DEFAULTS = configDefaults().dialpad;
/** Within the daemon's 10 s to exit, with room for the journal and the store to close. */
const DEFAULT_WRITE_GRACE_MS = 5_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A Retry-After beyond this is shortened: a later retry that is refused again just backs off again. */
const RETRY_AFTER_MAX_MS = 60_000;

// A POST that failed with a 5xx, a timeout or a dropped connection may still have been carried out;
// sending it again could create a second user or assign a second number. Such failures are retried
// only for methods that are safe to repeat; a POST is retried only when Dialpad certainly did not act.
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'PATCH', 'DELETE']);
/** Connection errors where the request never reached Dialpad. */
const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const NOT_FOUND = Symbol('not found');

/**
 * Dialpad REST API v2 over Node's fetch (operations and schemas as in Dialpad's OpenAPI spec). Every call is rate
 * limited, retried with backoff when that is safe (a POST only when certainly not sent), parsed at the edge, and fails
 * only with a DialpadError that never carries the key. The constructor throws RangeError for an empty or unsendable
 * key, TypeError for a base URL that is not a URL.
 */
export class DialpadClient implements DialpadGateway {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly redactor: Redactor;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly logger: Logger;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly limiter: RateLimiter;
  private readonly writeGate: (() => void) | undefined;
  private readonly onResponse: ((info: DialpadResponseInfo) => void) | undefined;
  private readonly stop: AbortSignal | undefined;
  /** Aborted writeGraceMs after `stop`: ends the writes still in flight. */
  private readonly abandon: AbortSignal | undefined;
  private readonly writeGraceMs: number;

  constructor(options: DialpadClientOptions) {
    if (options.apiKey.trim() === '') throw new RangeError('the Dialpad API key is empty');
    // Such a key cannot be sent in a header: fetch would fail before Dialpad is reached, and look like the network.
    if (/[\s\p{Cc}]/u.test(options.apiKey)) throw new RangeError('the Dialpad API key contains whitespace or a control character');
    this.baseUrl = new URL(options.baseUrl).toString().replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.redactor = options.redactor ?? new Redactor();
    this.redactor.register(options.apiKey);
    this.maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.logger = options.logger ?? silentLogger();
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.limiter = options.rateLimiter ?? new RateLimiter({ requestsPerSecond: options.requestsPerSecond });
    this.writeGate = options.writeGate;
    this.onResponse = options.onResponse;
    this.stop = options.signal;
    this.writeGraceMs = options.writeGraceMs ?? DEFAULT_WRITE_GRACE_MS;
    this.abandon = options.signal ? graceAfter(options.signal, this.writeGraceMs) : undefined;
  }

  /** GET /api/v2/company (`company.get`): resolves when the key is accepted; throws DialpadError otherwise. */
  async checkAccess(): Promise<void> {
    const path = '/api/v2/company';
    const company = this.parse(companySchema, await this.request('GET', path), 'GET', path);
    this.logger.debug({ companyId: company.id ?? null, company: company.name ?? null }, 'Dialpad API key accepted');
  }

  /** GET /api/v2/company: the company this key belongs to. Throws DialpadError (invalid_response without an id). */
  async getCompany(): Promise<DialpadCompany> {
    const path = '/api/v2/company';
    return toDialpadCompany(this.parse(companyIdentitySchema, await this.request('GET', path), 'GET', path));
  }

  /** GET /api/v2/users (`users.list`, state=all): every Dialpad user, each once by id. Throws DialpadError. */
  async listUsers(): Promise<DialpadUserListing> {
    const listing: DialpadUserListing = { users: [], rejected: [] };
    for await (const page of this.listUserPages()) {
      listing.users.push(...page.users);
      listing.rejected.push(...page.rejected);
    }
    return onePerUser(listing);
  }

  /**
   * Every Dialpad user (state=all), a page at a time. A user can show on two pages (the listing is not a
   * snapshot, and a refused cursor restarts it: see pages), so a consumer counts users by id. Throws DialpadError.
   */
  listUserPages(): AsyncGenerator<DialpadUserListing> {
    return this.userPages({ state: 'all' });
  }

  /**
   * Users holding this email (any state). Dialpad does not document how its email filter matches, nor which
   * form of an internationalized domain it stores: each spelling of emailLookupForms is asked (one request for
   * a plain ASCII email), and the answer is narrowed to users that have the email by emailKey. Unreadable items are
   * logged and left out. GET /api/v2/users?email= (`users.list`); throws DialpadError.
   */
  async findUsersByEmail(email: string): Promise<DialpadUser[]> {
    const listing = await this.usersHoldingEmail(email);
    for (const rejected of listing.rejected) {
      this.logger.warn({ dialpadUserId: rejected.id, reason: rejected.reason }, 'skipping a Dialpad user that does not match the schema');
    }
    return listing.users;
  }

  /** As findUsersByEmail, with the unreadable items that may hold the email kept as `rejected`. Throws DialpadError. */
  async listUsersByEmail(email: string): Promise<DialpadUserListing> {
    return this.usersHoldingEmail(email);
  }

  /** The users (and unreadable items) holding the email in any spelling, each once. */
  private async usersHoldingEmail(email: string): Promise<DialpadUserListing> {
    const wanted = emailKey(email);
    const has = (emails: readonly string[] | undefined): boolean => (emails ?? []).some((e) => emailKey(e) === wanted);
    const listing: DialpadUserListing = { users: [], rejected: [] };
    for (const form of emailLookupForms(email)) {
      for await (const page of this.userPages({ state: 'all', email: form })) {
        listing.users.push(...page.users.filter((user) => has(user.emails)));
        // An unreadable item without readable emails may still be the holder: kept, the planner decides.
        listing.rejected.push(...page.rejected.filter((rejected) => (rejected.emails ?? []).length === 0 || has(rejected.emails)));
      }
    }
    // Each spelling's answer (and each page) may repeat a user: each counts once.
    return onePerUser(listing);
  }

  /** GET /api/v2/users/{id} (`users.get`) as a listing: empty on 404, the item `rejected` when unreadable. Throws DialpadError. */
  async getUserListing(id: string): Promise<DialpadUserListing> {
    const body = await this.requestUnlessNotFound('GET', userPath(id));
    return body === NOT_FOUND ? { users: [], rejected: [] } : toDialpadUserListing([body]);
  }

  /** GET /api/v2/users/{id} (`users.get`): null on 404. Throws DialpadError (invalid_response when unreadable). */
  async getUser(id: string): Promise<DialpadUser | null> {
    const path = userPath(id);
    const body = await this.requestUnlessNotFound('GET', path);
    return body === NOT_FOUND ? null : this.parseUser(body, 'GET', path);
  }

  /**
   * Every office, each once by id. Throws DialpadError invalid_response when an office is unreadable, and when
   * there is none: every Dialpad company has its primary office (GET /api/v2/offices/primary), so an empty answer
   * is a broken one, never an empty company.
   */
  async listOffices(): Promise<DialpadOffice[]> {
    const path = '/api/v2/offices';
    const offices: DialpadOffice[] = [];
    for await (const items of this.pages(path, {})) {
      for (const item of items) {
        // Strict: acting on a partial office list could resolve users to the wrong office.
        offices.push(toDialpadOffice(this.parse(officeProtoSchema, item, 'GET', path)));
      }
    }
    if (offices.length === 0) {
      throw new DialpadError({
        code: 'invalid_response',
        status: null,
        method: 'GET',
        path,
        detail: 'Dialpad listed no office, but every company has at least its primary office',
      });
    }
    return keepFirstByKey(offices, (office) => office.id);
  }

  /** GET /api/v2/numbers?status=available (`numbers.list`): each number once; unreadable ones logged and skipped. */
  async listAvailableNumbers(): Promise<DialpadNumber[]> {
    const path = '/api/v2/numbers';
    const numbers: DialpadNumber[] = [];
    for await (const items of this.pages(path, { status: 'available' })) {
      for (const item of items) {
        const parsed = numberProtoSchema.safeParse(item);
        // A number we cannot read is just one candidate fewer.
        if (parsed.success) numbers.push(toDialpadNumber(parsed.data));
        else this.logger.warn({ reason: describeIssues(parsed.error) }, 'skipping a Dialpad number that does not match the schema');
      }
    }
    return keepFirstByKey(numbers, (number) => number.number);
  }

  /** GET /api/v2/offices/{office_id}/available_licenses (`plan.available_licenses.get`). Throws DialpadError. */
  async getAvailableLicenses(officeId: string): Promise<DialpadAvailableLicenses> {
    const path = `/api/v2/offices/${encodeURIComponent(officeId)}/available_licenses`;
    const body = await this.request('GET', path);
    return toDialpadAvailableLicenses(this.parse(availableLicensesSchema, body, 'GET', path));
  }

  /** Sends createUserRequest(input) (`users.create`); the user as Dialpad created it. Throws DialpadError. */
  async createUser(input: CreateUserInput): Promise<DialpadUser> {
    const request = createUserRequest(input);
    return this.parseUser(await this.send(request), request.method, request.path);
  }

  /** Sends updateUserRequest(id, input) (`users.update`); the user as updated. Throws DialpadError. */
  async updateUser(id: string, input: UpdateUserInput): Promise<DialpadUser> {
    const request = updateUserRequest(id, input);
    return this.parseUser(await this.send(request), request.method, request.path);
  }

  /** Sends moveOfficeRequest(id, officeId) (`users.move_office.patch`); the user as moved. Throws DialpadError. */
  async moveOffice(id: string, officeId: string): Promise<DialpadUser> {
    const request = moveOfficeRequest(id, officeId);
    return this.parseUser(await this.send(request), request.method, request.path);
  }

  /** Sends assignNumberRequest(id, input) (`numbers.assign_user_number.post`); the number assigned. Throws DialpadError. */
  async assignNumber(id: string, input: AssignNumberInput): Promise<DialpadNumber> {
    const request = assignNumberRequest(id, input);
    return toDialpadNumber(this.parse(numberProtoSchema, await this.send(request), request.method, request.path));
  }

  /** Sends deleteUserRequest(id) (`users.delete`). Null when the user is already gone (404) or Dialpad returns no body. */
  async deleteUser(id: string): Promise<DialpadUser | null> {
    const request = deleteUserRequest(id);
    const body = await this.requestUnlessNotFound(request.method, request.path);
    return body === NOT_FOUND || body === null ? null : this.parseUser(body, request.method, request.path);
  }

  private async *userPages(query: Query): AsyncGenerator<DialpadUserListing> {
    // One pool per listing: offices, licenses, states and titles repeat across all its pages.
    const pool = new StringPool();
    for await (const items of this.pages(USERS_PATH, query)) yield toDialpadUserListing(items, pool);
  }

  /**
   * Follows `cursor` until Dialpad stops sending one. `limit` is soft-deprecated: never sent. A cursor Dialpad
   * refuses (a 4xx on a later page: the same request without it was just answered, so the cursor is what it
   * refused, e.g. "invalid or expired cursor") restarts the listing from its first page, once: the pages before
   * it are then yielded again, and consumers count items by id. A second refusal fails the listing.
   */
  private async *pages(path: string, query: Query): AsyncGenerator<unknown[]> {
    let seen = new Set<string>();
    let cursor: string | null = null;
    let restarted = false;
    for (;;) {
      let body: unknown;
      try {
        body = await this.request('GET', path, { query: cursor === null ? query : { ...query, cursor } });
      } catch (error) {
        if (cursor === null || restarted || !isRefusedCursor(error)) throw error;
        this.logger.warn({ path, status: error.status, apiMessage: error.apiMessage }, 'Dialpad refused a listing cursor; restarting the listing from its first page');
        restarted = true;
        seen = new Set<string>();
        cursor = null;
        continue;
      }
      const page = this.parse(collectionSchema, body, 'GET', path);
      yield page.items ?? [];
      const next = page.cursor;
      if (next === undefined || next === null || next === '') return;
      if (seen.has(next)) {
        throw new DialpadError({
          code: 'invalid_response',
          status: null,
          method: 'GET',
          path,
          detail: 'Dialpad sent a cursor it had sent before; stopping instead of paging forever',
        });
      }
      seen.add(next);
      cursor = next;
    }
  }

  private parseUser(body: unknown, method: HttpMethod, path: string): DialpadUser {
    return toDialpadUser(this.parse(userProtoSchema, body, method, path));
  }

  private parse<S extends z.ZodType>(schema: S, body: unknown, method: HttpMethod, path: string): z.output<S> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    // Status null: the HTTP exchange succeeded, the content did not match.
    throw new DialpadError({ code: 'invalid_response', status: null, method, path, detail: describeIssues(parsed.error) });
  }

  /** One write as write-requests.ts describes it, with its retries (see request). */
  private send(request: DialpadWriteRequest): Promise<unknown> {
    return this.request(request.method, request.path, request.body === undefined ? {} : { body: stringifyJsonWithInt64(request.body) });
  }

  private async requestUnlessNotFound(method: HttpMethod, path: string): Promise<unknown> {
    try {
      return await this.request(method, path);
    } catch (error) {
      if (error instanceof DialpadError && error.code === 'not_found') return NOT_FOUND;
      throw error;
    }
  }

  /**
   * One API call with its retries. Resolves to the parsed JSON body (null when empty). Once the stop signal is
   * aborted no retry starts: the last failure stands (or `aborted` when nothing was sent).
   */
  private async request(method: HttpMethod, path: string, options: { query?: Query; body?: string } = {}): Promise<unknown> {
    const search = options.query ? new URLSearchParams(options.query).toString() : '';
    const url = `${this.baseUrl}${path}${search === '' ? '' : `?${search}`}`;
    let failure: DialpadError | null = null;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.attempt(method, path, url, options.body);
      } catch (error) {
        if (failure !== null && error instanceof DialpadError && error.code === 'aborted') throw failure;
        if (!(error instanceof DialpadError) || attempt >= this.maxRetries || !this.mayRetry(method, error)) throw error;
        failure = error;
        const delayMs = this.retryDelayMs(attempt, error);
        this.logger.warn(
          { method, path, code: error.code, status: error.status, attempt: attempt + 1, delayMs },
          'Dialpad request failed; retrying',
        );
        try {
          await sleepUnlessAborted(this.sleep, delayMs, this.stop);
        } catch {
          throw error;
        }
      }
    }
  }

  private mayRetry(method: HttpMethod, error: DialpadError): boolean {
    // A 2xx whose body is cut off or garbled (a proxy hiccup): ask again, if asking again is harmless.
    if (error.code === 'invalid_response' && error.status !== null && error.status < 300) return IDEMPOTENT_METHODS.has(method);
    if (!error.retryable) return false;
    if (error.code === 'rate_limited' || IDEMPOTENT_METHODS.has(method)) return true;
    return error.code === 'network' && NOT_SENT_ERROR_CODES.has(systemErrorCode(error.cause) ?? '');
  }

  /** Retry-After when Dialpad gave one, else exponential backoff with jitter (half fixed, half random). */
  private retryDelayMs(attempt: number, error: DialpadError): number {
    if (error.retryAfterMs !== null) return Math.min(error.retryAfterMs, RETRY_AFTER_MAX_MS);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  private async attempt(method: HttpMethod, path: string, url: string, body: string | undefined): Promise<unknown> {
    let sentAt: number;
    try {
      sentAt = await this.limiter.acquire(this.stop);
    } catch {
      throw new DialpadError({ code: 'aborted', status: null, method, path });
    }
    if (this.stop?.aborted) throw new DialpadError({ code: 'aborted', status: null, method, path });
    // Checked after the limiter's wait, which may be long: a process paused or demoted meanwhile sends nothing.
    if (method !== 'GET') this.writeGate?.();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.apiKey}`,
      Accept: 'application/json',
      'User-Agent': 'dialsync',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const started = performance.now();
    let status: number | null = null;
    try {
      let response: Response;
      let text: string;
      try {
        response = await this.fetchFn(url, { method, headers, body, signal: this.fetchSignal(method) });
        status = response.status;
        // The limiter adapts to the answers: a 429 cuts the rate (below), any other answer but a 5xx lets it recover.
        if (status !== 429 && status < 500) this.limiter.succeeded();
        text = await response.text();
      } catch (error) {
        throw this.transportError(method, path, status, error);
      }
      if (!response.ok) {
        const error = this.httpError(method, path, response, text);
        // Every request waits out the Retry-After, not just this one's retry.
        if (status === 429) this.limiter.throttled(sentAt, error.retryAfterMs);
        throw error;
      }
      if (text.trim() === '') return null;
      try {
        return parseJsonWithInt64Strings(text);
      } catch {
        throw new DialpadError({
          code: 'invalid_response',
          status,
          method,
          path,
          detail: `the body is not JSON (${this.redact(text.slice(0, 80))}…)`,
        });
      }
    } finally {
      this.report({ method, path, status, durationMs: performance.now() - started });
    }
  }

  private httpError(method: HttpMethod, path: string, response: Response, text: string): DialpadError {
    const code = errorCodeForStatus(response.status);
    const apiMessage = apiMessageFromBody(this.redact(text));
    const retryAfterMs = code === 'rate_limited' ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : null;
    return new DialpadError({ code, status: response.status, method, path, apiMessage, retryAfterMs });
  }

  /** The per-attempt timeout, and the stop: at once for a read, after the grace for a write. */
  private fetchSignal(method: HttpMethod): AbortSignal {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const stop = method === 'GET' ? this.stop : this.abandon;
    return stop ? AbortSignal.any([timeout, stop]) : timeout;
  }

  private transportError(method: HttpMethod, path: string, status: number | null, error: unknown): DialpadError {
    const name = error instanceof Error ? error.name : '';
    if (name === 'AbortError' && method === 'GET' && this.stop?.aborted) {
      return new DialpadError({ code: 'aborted', status, method, path, detail: 'the read was cut off: dialsync is shutting down' });
    }
    if (name === 'AbortError' && this.abandon?.aborted) {
      return new DialpadError({ code: 'timeout', status, method, path, detail: `no answer within ${this.writeGraceMs} ms of shutting down; it may have taken effect` });
    }
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new DialpadError({ code: 'timeout', status, method, path, detail: `no answer within ${this.timeoutMs} ms` });
    }
    const code = systemErrorCode(error instanceof Error ? error.cause : undefined);
    const message = error instanceof Error ? error.message : String(error);
    return new DialpadError({
      code: 'network',
      status,
      method,
      path,
      detail: this.redact(code ? `${message} (${code})` : message),
      cause: error instanceof Error && error.cause !== undefined ? error.cause : error,
    });
  }

  /** The key never leaves this class: not in errors, not in logs, even if Dialpad echoes it back. */
  private redact(text: string): string {
    return this.redactor.redact(text);
  }

  private report(info: DialpadResponseInfo): void {
    this.logger.debug(info, 'Dialpad request');
    if (!this.onResponse) return;
    try {
      this.onResponse(info);
    } catch (error) {
      // A failing metrics hook must not fail the sync.
      this.logger.warn({ err: error }, 'onResponse hook failed');
    }
  }
}

/** A refusal of the request itself (400, 404, 410...), as a stale or unknown cursor gets; not an auth or rate failure. */
function isRefusedCursor(error: unknown): error is DialpadError {
  return error instanceof DialpadError && (error.code === 'bad_request' || error.code === 'not_found');
}

/** Each user once by id (the first listed), and each unreadable item with an id once. */
function onePerUser(listing: DialpadUserListing): DialpadUserListing {
  keepFirstByKey(listing.users, (user) => user.id);
  keepFirstByKey(listing.rejected, (rejected) => rejected.id);
  return listing;
}

/**
 * A Retry-After header (delta-seconds or an HTTP date) as milliseconds to wait from `now` (epoch ms); null when
 * absent or unreadable. Pure.
 */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function systemErrorCode(cause: unknown): string | null {
  if (typeof cause !== 'object' || cause === null || !('code' in cause)) return null;
  return typeof cause.code === 'string' ? cause.code : null;
}
