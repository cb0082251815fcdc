// A stateful stand-in for the part of Dialpad's REST API v2 dialsync uses, served over real HTTP.
// Admin methods (addOffice, addNumbers, addUser, ...) play the Dialpad administrator in-process.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SANDBOX_DIALPAD_LICENSES as DIALPAD_LICENSES, type DialpadLicense } from './licenses.js';
import {
  DialpadCompany,
  USER_STATE_FILTERS,
  type AddOfficeInput,
  type AddUserInput,
  type DialpadNumberRecord,
  type DialpadOfficeRecord,
  type DialpadUserRecord,
  type DialpadUserStateValue,
  type Page,
  type UpdateUserCommand,
  type UserStateFilter,
} from './company.js';
import { dialpadErrorBody, DialpadSandboxError } from './errors.js';
import {
  availableLicensesProto,
  companyProto,
  numberProto,
  officeProto,
  userProto,
} from './wire.js';
import { FaultInjector, type FaultOptions } from '../http/fault-injector.js';
import { FixedWindowLimiter } from '../http/fixed-window-limiter.js';
import { SlidingWindowLimiter } from '../http/sliding-window-limiter.js';
import { ListingFaults, type ListingFault } from '../http/listing-faults.js';
import {
  credentialFrom,
  RouteTable,
  SandboxHttpServer,
  type RouteParams,
  type SandboxListenOptions,
  type SandboxRequest,
  type SandboxResponse,
  type WriteRequestHook,
} from '../http/server.js';
import { parseJsonKeepingInt64, stringifyJson } from './int64-json.js';
import { isE164 } from './phone-numbering.js';
import { applyRawPatch, type RawPatch } from '../http/raw-patch.js';

export type { AddOfficeInput, AddUserInput, DialpadUserStateValue } from './company.js';

/** How the sandbox counts its per-second limit (see DialpadSandboxOptions.rateLimit). */
export type RateWindow = 'fixed' | 'sliding';

/** The window kinds, for flags that name one. */
export const RATE_WINDOWS: readonly RateWindow[] = ['fixed', 'sliding'];

export interface DialpadSandboxOptions {
  apiKey?: string;
  /** Largest page a list answers with (Dialpad: 100). */
  pageSize?: number;
  /**
   * Requests per second across the company; unset: unlimited. `window`: `fixed` (default) counts per 1 s window
   * starting at the first request after the last one ended; `sliding` allows `perSecond` in any 1 s span (strict).
   */
  rateLimit?: { perSecond: number; window?: RateWindow };
  /**
   * The company the API key belongs to. Give a second sandbox another `id` to stand for another Dialpad company:
   * its user and office ids are then its own too (default id 4700000000000000001).
   */
  company?: { id?: string; name?: string; domain?: string; adminEmail?: string };
  now?: () => Date;
  /** Injected 429s, 5xx, slow, malformed and dropped answers (see fault-injector.ts). */
  faults?: FaultOptions;
  /** Called after each write request took effect, before it is answered (crash tests kill the client here). */
  onWriteRequest?: WriteRequestHook;
  /** Called as each request arrives, before any latency or fault (tests count what reached the sandbox). */
  onRequestArrived?: (request: SandboxRequest) => void;
  /** Per-request latency in ms (benchmarks). */
  latencyMs?: number;
  /** A fixed listen address (see SandboxListenOptions); unset: 127.0.0.1 on an ephemeral port. */
  listen?: SandboxListenOptions;
}

/**
 * A write the sandbox answers with a 400, like a validation Dialpad applies (real Dialpad documents no field
 * limits: this is for tests of how dialsync handles a refused field).
 */
export interface DialpadRefusal {
  method: 'POST' | 'PATCH';
  /** Matched against the request path, e.g. /^\/api\/v2\/users\/\d+$/ for a user PATCH. */
  path: RegExp;
  /** The body field looked at, e.g. job_title. */
  field: string;
  /** Whether the field's value is refused (the field must be present). */
  when: (value: unknown) => boolean;
  /** The 400's message; default "Invalid <field>". */
  message?: string;
}

export interface DialpadRecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  /** The JSON body (int64 literals as strings), the raw text when it was not JSON, undefined when empty. */
  body: unknown;
  /** When it was answered, by the sandbox's clock (epoch ms). */
  atMs: number;
}

/** A Dialpad user as the admin portal sees it, including deleted ones. */
export interface SandboxDialpadUser {
  id: string;
  emails: string[];
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  officeId: string;
  license: DialpadLicense;
  state: DialpadUserStateValue;
  phoneNumbers: string[];
  country: string;
}

export interface SandboxDialpadOffice {
  id: string;
  name: string;
  country: string;
  timezone: string;
  isPrimary: boolean;
  mainLines: string[];
}

export interface SandboxDialpadNumber {
  number: string;
  areaCode: string;
  officeId: string;
  status: 'available' | 'user' | 'office';
  targetId: string | null;
}

export interface SandboxAvailableLicenses {
  talk_lines: number;
  sell_lines: number;
  contact_center_lines: number;
}

interface Reply {
  status: number;
  body: unknown;
}

type Handler = (request: SandboxRequest, params: RouteParams, body: unknown) => Reply;

/** The default company's id; the ids of its users and offices start at the bases in dialpad-company.ts. */
export const DEFAULT_COMPANY_ID = '4700000000000000001';
/** Another company's user and office ids are offset by this much per step of its id away from the default's. */
const COMPANY_ID_SPACE = 1_000_000_000_000n;

/** An int64 id, as a JSON number (exact when the body was read with parseJsonKeepingInt64) or a decimal string. */
const idValue = z
  .union([z.string().regex(/^\d{1,19}$/, 'must be an integer id'), z.number().int().nonnegative()])
  .transform((value) => String(value));

const createUserMessage = z.strictObject({
  email: z.string(),
  office_id: idValue,
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  license: z.enum(DIALPAD_LICENSES).default('talk'),
  auto_assign: z.boolean().default(false),
});

// Fields outside UpdateUserMessage (country, timezone, display_name...) are refused with 400 rather than ignored:
// they are read-only in Dialpad's API, and a silent no-op would hide a client bug.
const updateUserMessage = z.strictObject({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  job_title: z.string().optional(),
  emails: z.array(z.string()).optional(),
  state: z.enum(['active', 'suspended']).optional(),
  license: z.enum(DIALPAD_LICENSES).optional(),
  keep_paid_numbers: z.boolean().optional(),
  office_id: idValue.optional(),
  admin_office_ids: z.array(idValue).optional(),
  is_super_admin: z.boolean().optional(),
  extension: z.string().optional(),
  forwarding_numbers: z.array(z.string()).optional(),
  international_dialing_enabled: z.boolean().optional(),
  phone_numbers: z.array(z.string()).optional(),
  presence_status: z.looseObject({}).optional(),
});

const moveOfficeMessage = z.strictObject({ office_id: idValue });

const assignNumberMessage = z.strictObject({
  number: z.string().optional(),
  area_code: z.string().optional(),
  primary: z.boolean().default(true),
});

const unassignNumberMessage = z.strictObject({ number: z.string() });

export class DialpadSandbox {
  readonly requests: DialpadRecordedRequest[] = [];
  /** Present when the sandbox was built with `faults`: what it injected. */
  readonly faults: FaultInjector | undefined;
  private readonly company: DialpadCompany;
  private readonly server: SandboxHttpServer;
  private readonly routes = new RouteTable<Handler>();
  private readonly limiter: FixedWindowLimiter | SlidingWindowLimiter | undefined;
  private apiKeyValue: string;
  private readonly pageSize: number;
  private readonly now: () => Date;
  /** corruptUser: raw patches over users' JSON, by user id. */
  private readonly userCorruptions = new Map<string, RawPatch>();
  private readonly listingFaults = new ListingFaults<CursorKind>();
  /** refuse: writes answered with a 400. */
  private readonly refusals: DialpadRefusal[] = [];

  constructor(options: DialpadSandboxOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.apiKeyValue = options.apiKey ?? randomBytes(24).toString('base64url');
    this.pageSize = options.pageSize ?? 100;
    const companyId = options.company?.id ?? DEFAULT_COMPANY_ID;
    if (!/^\d{1,19}$/.test(companyId)) throw new RangeError(`company id ${companyId} is not an int64`);
    this.company = new DialpadCompany({
      now: this.now,
      idOffset: ((BigInt(companyId) - BigInt(DEFAULT_COMPANY_ID)) % 1000n) * COMPANY_ID_SPACE,
      info: {
        id: companyId,
        name: options.company?.name ?? 'Example Corp',
        domain: options.company?.domain ?? 'example.com',
        adminEmail: options.company?.adminEmail ?? 'it-admin@example.com',
      },
    });
    const perSecond = options.rateLimit?.perSecond;
    const clock = () => this.now().getTime();
    this.limiter =
      perSecond === undefined
        ? undefined
        : options.rateLimit?.window === 'sliding'
          ? new SlidingWindowLimiter(perSecond, 1000, clock)
          : new FixedWindowLimiter(perSecond, 1000, perSecond, clock);
    this.routes
      .add('GET', '/api/v2/company', () => this.serveCompany())
      .add('GET', '/api/v2/users', (req) => this.serveUserList(req))
      .add('POST', '/api/v2/users', (_req, _p, body) => this.serveCreateUser(body))
      .add('GET', '/api/v2/users/:id', (_req, p) => this.userReply(this.company.liveUser(pathId(p.id))))
      .add('PATCH', '/api/v2/users/:id', (_req, p, body) => this.serveUpdateUser(pathId(p.id), body))
      .add('DELETE', '/api/v2/users/:id', (_req, p) => this.userReply(this.company.deleteUser(pathId(p.id))))
      .add('PATCH', '/api/v2/users/:id/move_office', (_req, p, body) => {
        const message = parseBody(moveOfficeMessage, body);
        return this.userReply(this.company.moveOffice(pathId(p.id), message.office_id));
      })
      .add('POST', '/api/v2/users/:id/assign_number', (_req, p, body) => this.serveAssignNumber(pathId(p.id), body))
      .add('POST', '/api/v2/users/:id/unassign_number', (_req, p, body) => {
        const message = parseBody(unassignNumberMessage, body);
        return this.numberReply(this.company.unassignNumber(pathId(p.id), message.number));
      })
      .add('GET', '/api/v2/offices', (req) => this.serveOfficeList(req))
      .add('GET', '/api/v2/offices/primary', () => {
        const primary = this.company.officeList().find((office) => office.isPrimary);
        if (primary === undefined) throw DialpadSandboxError.notFound('The company has no primary office');
        return { status: 200, body: officeProto(primary) };
      })
      .add('GET', '/api/v2/offices/:id', (_req, p) => ({ status: 200, body: officeProto(this.company.requireOffice(pathId(p.id))) }))
      .add('GET', '/api/v2/offices/:id/available_licenses', (_req, p) => ({
        status: 200,
        body: availableLicensesProto(this.company.requireOffice(pathId(p.id))),
      }))
      .add('GET', '/api/v2/numbers', (req) => this.serveNumberList(req))
      .add('GET', '/api/v2/numbers/:number', (_req, p) => {
        const record = this.company.number(p.number ?? '');
        if (record === undefined) throw DialpadSandboxError.notFound(`Number ${p.number ?? ''} not found`);
        return this.numberReply(record);
      });
    this.faults = options.faults ? new FaultInjector(options.faults) : undefined;
    this.server = new SandboxHttpServer((request) => this.handle(request), {
      faults: this.faults,
      faultReply: (status) => {
        const error =
          status === 429
            ? new DialpadSandboxError(429, 'rateLimitExceeded', 'Rate limit exceeded')
            : new DialpadSandboxError(status, 'backendError', status === 503 ? 'Service unavailable' : 'Internal error');
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (status === 429) headers['Retry-After'] = '1';
        return { status, headers, body: stringifyJson(dialpadErrorBody(error)) };
      },
      onWriteRequest: options.onWriteRequest,
      onRequestArrived: options.onRequestArrived,
      latencyMs: options.latencyMs,
      listen: options.listen,
    });
  }

  get url(): string {
    return this.server.url;
  }

  get apiKey(): string {
    return this.apiKeyValue;
  }

  /** The id GET /api/v2/company answers with. */
  get companyId(): string {
    return this.company.info.id;
  }

  /** The admin revokes the API key and makes a new one (`apiKey`): requests with the old key get 401 from now on. */
  revokeApiKey(): void {
    this.apiKeyValue = randomBytes(24).toString('base64url');
  }

  /** License lines Dialpad would have billed because an office had none left. */
  get extraLicensesBilled(): number {
    return this.company.extraLicensesBilled;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Per-request latency from now on, in ms (benchmarks). */
  setLatency(ms: number): void {
    this.server.setLatency(ms);
  }

  /**
   * The company's requests per second from now on (another integration starts spending the budget mid-run); the
   * requests already counted in the window stay counted. Throws when the sandbox was built without `rateLimit`.
   */
  setRateLimit(perSecond: number): void {
    if (this.limiter === undefined) throw new Error('this Dialpad sandbox has no rate limit to change (build it with rateLimit)');
    this.limiter.setLimit(perSecond);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Requests that are not GETs. */
  writeRequestCount(): number {
    let count = 0;
    for (const request of this.requests) if (request.method !== 'GET') count += 1;
    return count;
  }

  // ---- admin (the Dialpad portal) ----

  addOffice(input: AddOfficeInput): string {
    return this.company.addOffice(input);
  }

  addNumbers(officeId: string, numbers: readonly string[]): void {
    this.company.addNumbers(officeId, numbers);
  }

  addUser(input: AddUserInput): string {
    return this.company.addUser(input);
  }

  users(): SandboxDialpadUser[] {
    return this.company.userList().map(toSandboxUser);
  }

  user(id: string): SandboxDialpadUser | undefined {
    const user = this.company.user(id);
    return user === undefined ? undefined : toSandboxUser(user);
  }

  office(id: string): SandboxDialpadOffice | undefined {
    const office = this.company.office(id);
    return office === undefined ? undefined : toSandboxOffice(office);
  }

  offices(): SandboxDialpadOffice[] {
    return this.company.officeList().map(toSandboxOffice);
  }

  numbers(): SandboxDialpadNumber[] {
    return this.company.listNumbers(0, Number.MAX_SAFE_INTEGER, undefined).items.map(toSandboxNumber);
  }

  availableLicenses(officeId: string): SandboxAvailableLicenses {
    const office = this.company.office(officeId);
    if (office === undefined) throw new Error(`Dialpad office ${officeId} does not exist`);
    return { ...office.available };
  }

  // ---- fault injection (bad-input tests) ----

  /**
   * From now on, every UserProto this user appears as (listings, reads, write replies) is patched with
   * `patch`: objects merge, `undefined` removes a key, e.g. `{ id: undefined }` or `{ emails: null, foo: 1 }`.
   * The user's real state is unchanged. null restores the real shape.
   */
  corruptUser(id: string, patch: RawPatch | null): void {
    if (patch === null) this.userCorruptions.delete(id);
    else this.userCorruptions.set(id, patch);
  }

  /**
   * From now on, GET /api/v2/users (`users`, every filter), /offices or /numbers answers as `fault` says: users
   * left out, a replaced body, overlapping pages, refused cursors (see ListingFault). Reads by id are unaffected.
   * null restores the listing.
   */
  faultListing(listing: CursorKind, fault: ListingFault | null): void {
    this.listingFaults.set(listing, fault);
  }

  /** From now on, writes matching `refusal` are answered 400 and change nothing. */
  refuse(refusal: DialpadRefusal): void {
    this.refusals.push(refusal);
  }

  /** Takes back every refusal. */
  clearRefusals(): void {
    this.refusals.length = 0;
  }

  private checkRefusals(request: SandboxRequest, body: unknown): void {
    if (typeof body !== 'object' || body === null) return;
    for (const refusal of this.refusals) {
      if (refusal.method !== request.method || !refusal.path.test(request.path) || !Object.hasOwn(body, refusal.field)) continue;
      if (refusal.when((body as Record<string, unknown>)[refusal.field])) {
        throw DialpadSandboxError.badRequest(refusal.message ?? `Invalid ${refusal.field}`);
      }
    }
  }

  private rawUser(user: DialpadUserRecord): Record<string, unknown> {
    const json = userProto(this.company.info.id, user);
    const patch = this.userCorruptions.get(user.id);
    return patch === undefined ? json : applyRawPatch(json, patch);
  }

  // ---- HTTP ----

  private handle(request: SandboxRequest): SandboxResponse {
    const read = readBody(request.bodyText);
    let reply: Reply;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    try {
      const key = credentialFrom(request.headers, ['Bearer']) ?? request.query.get('apikey') ?? undefined;
      if (key !== this.apiKeyValue) throw new DialpadSandboxError(401, 'unauthorized', 'Invalid or missing API key');
      const verdict = this.limiter?.take();
      if (verdict !== undefined && !verdict.allowed) {
        // Dialpad documents 20 requests/s per company but not its 429 response; Retry-After is the guess.
        headers['Retry-After'] = String(Math.max(1, Math.ceil((verdict.resetAtMs - this.now().getTime()) / 1000)));
        throw new DialpadSandboxError(429, 'rateLimitExceeded', 'Rate limit exceeded');
      }
      if (!read.ok) throw DialpadSandboxError.badRequest('Invalid JSON in request body');
      const match = this.routes.match(request.method, request.path);
      if (match.kind !== 'found') throw DialpadSandboxError.notFound(`Not found: ${request.method} ${request.path}`);
      this.checkRefusals(request, read.value);
      reply = match.handler(request, match.params, read.value);
    } catch (error) {
      if (!(error instanceof DialpadSandboxError)) throw error;
      reply = { status: error.status, body: dialpadErrorBody(error) };
    }
    this.requests.push({
      method: request.method,
      path: request.path,
      query: request.rawQuery,
      status: reply.status,
      body: read.ok ? read.value : request.bodyText,
      atMs: this.now().getTime(),
    });
    return { status: reply.status, headers, body: stringifyJson(reply.body) };
  }

  private userReply(user: DialpadUserRecord): Reply {
    return { status: 200, body: this.rawUser(user) };
  }

  private numberReply(record: DialpadNumberRecord): Reply {
    return { status: 200, body: numberProto(this.company.info.id, record) };
  }

  private serveCompany(): Reply {
    const offices = this.company.officeList();
    const primary = offices.find((office) => office.isPrimary);
    return { status: 200, body: companyProto(this.company.info, primary?.country ?? null, offices.length) };
  }

  private serveUserList(request: SandboxRequest): Reply {
    // Dialpad does not document the default state filter; the sandbox's guess is active users only.
    // `state=all` is every user except deleted ones (also a guess); `state=deleted` lists those.
    const state = request.query.get('state') ?? 'active';
    if (!(USER_STATE_FILTERS as readonly string[]).includes(state)) throw DialpadSandboxError.badRequest(`Invalid state: ${state}`);
    const email = request.query.get('email') ?? undefined;
    const number = request.query.get('number') ?? undefined;
    const companyAdmin = parseBoolean(request.query.get('company_admin'), 'company_admin');
    const filter = {
      state: state as UserStateFilter,
      ...(email === undefined ? {} : { email }),
      ...(number === undefined ? {} : { number }),
      ...(companyAdmin === undefined ? {} : { companyAdmin }),
    };
    return this.servePage(
      request,
      'users',
      (start, limit) => this.company.listUsers(filter, start, limit),
      (user) => user.id,
      (user) => this.rawUser(user),
    );
  }

  private serveCreateUser(body: unknown): Reply {
    const message = parseBody(createUserMessage, body);
    const user = this.company.createUser({
      email: message.email,
      officeId: message.office_id,
      license: message.license,
      autoAssign: message.auto_assign,
      ...(message.first_name === undefined ? {} : { firstName: message.first_name }),
      ...(message.last_name === undefined ? {} : { lastName: message.last_name }),
    });
    return this.userReply(user);
  }

  private serveUpdateUser(id: string, body: unknown): Reply {
    const m = parseBody(updateUserMessage, body);
    const command: UpdateUserCommand = {};
    if (m.first_name !== undefined) command.firstName = m.first_name;
    if (m.last_name !== undefined) command.lastName = m.last_name;
    if (m.job_title !== undefined) command.jobTitle = m.job_title;
    if (m.emails !== undefined) command.emails = m.emails;
    if (m.state !== undefined) command.state = m.state;
    if (m.license !== undefined) command.license = m.license;
    if (m.keep_paid_numbers !== undefined) command.keepPaidNumbers = m.keep_paid_numbers;
    if (m.office_id !== undefined) command.officeId = m.office_id;
    if (m.admin_office_ids !== undefined) command.adminOfficeIds = m.admin_office_ids;
    if (m.is_super_admin !== undefined) command.isSuperAdmin = m.is_super_admin;
    if (m.extension !== undefined) command.extension = m.extension;
    if (m.forwarding_numbers !== undefined) command.forwardingNumbers = m.forwarding_numbers;
    if (m.international_dialing_enabled !== undefined) command.internationalDialingEnabled = m.international_dialing_enabled;
    if (m.phone_numbers !== undefined) command.phoneNumbers = m.phone_numbers;
    return this.userReply(this.company.updateUser(id, command));
  }

  private serveAssignNumber(id: string, body: unknown): Reply {
    const message = parseBody(assignNumberMessage, body);
    if (message.number !== undefined && !isE164(message.number)) {
      throw DialpadSandboxError.badRequest(`Invalid number: ${message.number} is not E.164`);
    }
    const record = this.company.assignNumber(id, {
      primary: message.primary,
      ...(message.number === undefined ? {} : { number: message.number }),
      ...(message.area_code === undefined ? {} : { areaCode: message.area_code }),
    });
    return this.numberReply(record);
  }

  private serveOfficeList(request: SandboxRequest): Reply {
    const activeOnly = parseBoolean(request.query.get('active_only'), 'active_only') ?? false;
    return this.servePage(request, 'offices', (start, limit) => this.company.listOffices(start, limit, activeOnly), (office) => office.id, officeProto);
  }

  private serveNumberList(request: SandboxRequest): Reply {
    const status = request.query.get('status') ?? undefined;
    return this.servePage(
      request,
      'numbers',
      (start, limit) => this.company.listNumbers(start, limit, status),
      (record) => record.number,
      (record) => numberProto(this.company.info.id, record),
    );
  }

  /** One page of a listing, with the listing's faults (see faultListing) applied. */
  private servePage<T>(
    request: SandboxRequest,
    kind: CursorKind,
    list: (start: number, limit: number) => Page<T>,
    idOf: (item: T) => string,
    proto: (item: T) => unknown,
  ): Reply {
    const faults = this.listingFaults;
    if (faults.refusesCursor(kind, (request.query.get('cursor') ?? '') !== '')) throw DialpadSandboxError.badRequest('Invalid or expired cursor');
    const replacement = faults.replacement(kind);
    if (replacement) return { status: 200, body: replacement.body };
    const { start, limit } = this.paging(request, kind);
    // Overlapping pages start early; the cursor after them stays where it was.
    const from = start > 0 ? Math.max(0, start - faults.overlap(kind)) : start;
    const page = list(from, limit + start - from);
    return { status: 200, body: collection({ ...page, items: faults.keep(kind, page.items, idOf) }, kind, proto) };
  }

  /**
   * `limit` is soft-deprecated by Dialpad: values above the page size give a full page (the real API also
   * answers 400 to 20% of them; the sandbox stays deterministic and does not).
   */
  private paging(request: SandboxRequest, kind: CursorKind): { start: number; limit: number } {
    const rawLimit = request.query.get('limit');
    let limit = this.pageSize;
    if (rawLimit !== null) {
      const parsed = Number(rawLimit);
      if (!Number.isInteger(parsed) || parsed < 1) throw DialpadSandboxError.badRequest(`Invalid limit: ${rawLimit}`);
      limit = Math.min(parsed, this.pageSize);
    }
    const cursor = request.query.get('cursor');
    return { start: cursor === null || cursor === '' ? 0 : decodeCursor(cursor, kind), limit };
  }
}

type CursorKind = 'users' | 'offices' | 'numbers';

function collection<T>(page: Page<T>, kind: CursorKind, proto: (item: T) => unknown): Record<string, unknown> {
  const body: Record<string, unknown> = { items: page.items.map(proto) };
  if (page.next !== undefined) body.cursor = encodeCursor(kind, page.next);
  return body;
}

/** Opaque to clients; a position in the company's append-only lists. */
function encodeCursor(kind: CursorKind, position: number): string {
  return Buffer.from(`${kind}:${position}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, kind: CursorKind): number {
  const match = /^([a-z]+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null || match[1] !== kind) throw DialpadSandboxError.badRequest('Invalid cursor');
  return Number(match[2]);
}

function readBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: parseJsonKeepingInt64(text) };
  } catch {
    return { ok: false };
  }
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => {
      const where = issue.path.map(String).join('.');
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    });
    throw DialpadSandboxError.badRequest(details.join('; '));
  }
  return parsed.data;
}

function pathId(raw: string | undefined): string {
  if (raw === undefined || !/^\d{1,19}$/.test(raw)) throw DialpadSandboxError.badRequest(`Invalid id: ${raw ?? ''}`);
  return raw;
}

function parseBoolean(raw: string | null, name: string): boolean | undefined {
  if (raw === null) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw DialpadSandboxError.badRequest(`Invalid ${name}: ${raw}`);
}

function toSandboxUser(user: DialpadUserRecord): SandboxDialpadUser {
  return {
    id: user.id,
    emails: [...user.emails],
    firstName: user.firstName,
    lastName: user.lastName,
    jobTitle: user.jobTitle,
    officeId: user.officeId,
    license: user.license,
    state: user.state,
    phoneNumbers: [...user.phoneNumbers],
    country: user.country,
  };
}

function toSandboxOffice(office: DialpadOfficeRecord): SandboxDialpadOffice {
  return {
    id: office.id,
    name: office.name,
    country: office.country,
    timezone: office.timezone,
    isPrimary: office.isPrimary,
    mainLines: [...office.mainLines],
  };
}

function toSandboxNumber(record: DialpadNumberRecord): SandboxDialpadNumber {
  return { number: record.number, areaCode: record.areaCode, officeId: record.officeId, status: record.status, targetId: record.targetId };
}
