// A stateful stand-in for the part of Okta's Management API dialsync uses, served over real HTTP.
// Admin methods (createUser, assignGroup, setStatus, ...) play the Okta administrator in-process.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { OktaUserStatus } from '../okta/types.js';
import { FixedWindowLimiter, type LimiterVerdict } from './fixed-window-limiter.js';
import {
  credentialFrom,
  RouteTable,
  SandboxHttpServer,
  type RouteParams,
  type SandboxRequest,
  type SandboxResponse,
} from './http-server.js';
import {
  OktaDirectory,
  type OktaProfile,
  type OktaProfileInput,
  type OktaProfilePatch,
} from './okta-directory.js';
import { oktaErrorBody, OktaSandboxError } from './okta-errors.js';
import { appJson, appUserJson, userJson } from './okta-wire.js';

export type { OktaProfileInput, OktaProfilePatch, OktaProfileValue } from './okta-directory.js';

export interface OktaSandboxOptions {
  appId?: string;
  token?: string;
  /** Requests per window for each bucket; a bucket left out is unlimited (its headers are still sent). */
  rateLimits?: { apps?: number; users?: number; perMinuteWindowMs?: number };
  /** Custom user-profile attributes the schema defines (default: ['dialpadPhone']). */
  customUserAttributes?: readonly string[];
  now?: () => Date;
}

export interface OktaRecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
}

export interface OktaSandboxUser {
  id: string;
  status: OktaUserStatus;
  profile: OktaProfile;
}

type Bucket = 'apps' | 'users' | 'other';

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
}

type Handler = (request: SandboxRequest, params: RouteParams) => Reply;

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 500;
/** Published Workforce defaults, reported in the headers of an unlimited bucket. */
const REPORTED_LIMITS: Record<Bucket, number> = { apps: 100, users: 600, other: 1200 };

const profileValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);
const profileBody = z.object({ profile: z.record(z.string(), profileValue).optional() }).loose();

export class OktaSandbox {
  readonly requests: OktaRecordedRequest[] = [];
  private readonly directory: OktaDirectory;
  private readonly server: SandboxHttpServer;
  private readonly routes = new RouteTable<Handler>();
  private readonly limiters: Record<Bucket, FixedWindowLimiter>;
  private readonly appIdValue: string;
  private readonly tokenValue: string;
  private readonly now: () => Date;
  private readonly appCreated: Date;

  constructor(options: OktaSandboxOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.appIdValue = options.appId ?? `0oa${randomAlphanumeric(17)}`;
    this.tokenValue = options.token ?? `00${randomBytes(30).toString('base64url')}`;
    this.appCreated = this.now();
    this.directory = new OktaDirectory({ now: this.now, customAttributes: options.customUserAttributes ?? ['dialpadPhone'] });
    const windowMs = options.rateLimits?.perMinuteWindowMs ?? 60_000;
    const clock = (): number => this.now().getTime();
    this.limiters = {
      apps: new FixedWindowLimiter(options.rateLimits?.apps, windowMs, REPORTED_LIMITS.apps, clock),
      users: new FixedWindowLimiter(options.rateLimits?.users, windowMs, REPORTED_LIMITS.users, clock),
      other: new FixedWindowLimiter(undefined, windowMs, REPORTED_LIMITS.other, clock),
    };
    this.routes
      .add('GET', '/api/v1/apps/:appId', (_req, p) => this.serveApp(p))
      .add('GET', '/api/v1/apps/:appId/users', (req, p) => this.serveAppUserList(req, p))
      .add('GET', '/api/v1/apps/:appId/users/:userId', (req, p) => this.serveAppUser(req, p))
      .add('POST', '/api/v1/apps/:appId/users/:userId', (req, p) => this.serveAppUserUpdate(req, p))
      .add('GET', '/api/v1/users/:idOrLogin', (_req, p) => this.serveUser(p))
      .add('POST', '/api/v1/users/:userId', (req, p) => this.serveUserUpdate(req, p, 'partial'))
      .add('PUT', '/api/v1/users/:userId', (req, p) => this.serveUserUpdate(req, p, 'replace'));
    this.server = new SandboxHttpServer((request) => this.handle(request));
  }

  get url(): string {
    return this.server.url;
  }

  get token(): string {
    return this.tokenValue;
  }

  get appId(): string {
    return this.appIdValue;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ---- admin (the Okta console) ----

  createUser(profile: OktaProfileInput, opts?: { status?: OktaUserStatus; id?: string }): string {
    return this.directory.createUser(profile, opts);
  }

  updateProfile(userId: string, patch: OktaProfilePatch): void {
    this.directory.updateProfile(userId, patch);
  }

  setStatus(userId: string, status: OktaUserStatus): void {
    this.directory.setStatus(userId, status);
  }

  deleteUser(userId: string): void {
    this.directory.deleteUser(userId);
  }

  assignUser(userId: string, appProfile?: OktaProfilePatch): void {
    this.directory.assignUser(userId, appProfile);
  }

  unassignUser(userId: string): void {
    this.directory.unassignUser(userId);
  }

  createGroup(name: string): string {
    return this.directory.createGroup(name);
  }

  addToGroup(groupId: string, userId: string): void {
    this.directory.addToGroup(groupId, userId);
  }

  removeFromGroup(groupId: string, userId: string): void {
    this.directory.removeFromGroup(groupId, userId);
  }

  assignGroup(groupId: string, appProfile?: OktaProfilePatch): void {
    this.directory.assignGroup(groupId, appProfile);
  }

  unassignGroup(groupId: string): void {
    this.directory.unassignGroup(groupId);
  }

  setAppProfile(userId: string, patch: OktaProfilePatch): void {
    this.directory.setAppProfile(userId, patch);
  }

  defineUserAttribute(name: string): void {
    this.directory.defineUserAttribute(name);
  }

  getUser(userId: string): OktaSandboxUser | undefined {
    const user = this.directory.findUser(userId);
    if (user === undefined || user.id !== userId) return undefined;
    return { id: user.id, status: user.status, profile: { ...user.profile } };
  }

  /** Every user that is not deleted, in creation order. */
  listUsers(): OktaSandboxUser[] {
    return this.directory.userList().map((user) => ({ id: user.id, status: user.status, profile: { ...user.profile } }));
  }

  /** The app user as the API shows it (scope and app profile), or undefined when the user is not assigned. */
  getAppUser(userId: string): { scope: 'USER' | 'GROUP'; profile: OktaProfile } | undefined {
    const view = this.directory.appUser(userId);
    return view === undefined ? undefined : { scope: view.scope, profile: { ...view.profile } };
  }

  // ---- HTTP ----

  private handle(request: SandboxRequest): SandboxResponse {
    const bucket: Bucket = request.path.startsWith('/api/v1/apps')
      ? 'apps'
      : request.path.startsWith('/api/v1/users')
        ? 'users'
        : 'other';
    let reply: Reply;
    let verdict: LimiterVerdict | undefined;
    try {
      const token = credentialFrom(request.headers, ['SSWS', 'Bearer']);
      if (token === undefined || token !== this.tokenValue) throw OktaSandboxError.invalidToken();
      verdict = this.limiters[bucket].take();
      if (!verdict.allowed) throw OktaSandboxError.rateLimited();
      const match = this.routes.match(request.method, request.path);
      if (match.kind === 'wrong-method') throw OktaSandboxError.methodNotAllowed();
      if (match.kind === 'none') throw OktaSandboxError.noSuchEndpoint(request.path);
      reply = match.handler(request, match.params);
    } catch (error) {
      if (!(error instanceof OktaSandboxError)) throw error;
      reply = { status: error.status, body: oktaErrorBody(error) };
    }
    // A refused token does not spend the bucket; its response still carries the headers.
    verdict ??= this.limiters[bucket].peek();
    this.requests.push({ method: request.method, path: request.path, query: request.rawQuery, status: reply.status });
    return {
      status: reply.status,
      headers: {
        'Content-Type': 'application/json',
        'X-Okta-Request-Id': randomAlphanumeric(24),
        'X-Rate-Limit-Limit': String(verdict.limit),
        'X-Rate-Limit-Remaining': String(verdict.remaining),
        'X-Rate-Limit-Reset': String(Math.ceil(verdict.resetAtMs / 1000)),
        ...reply.headers,
      },
      body: JSON.stringify(reply.body),
    };
  }

  private requireApp(params: RouteParams): void {
    const appId = params.appId ?? '';
    if (appId !== this.appIdValue) throw OktaSandboxError.notFound(appId, 'AppInstance');
  }

  private serveApp(params: RouteParams): Reply {
    this.requireApp(params);
    return { status: 200, body: appJson(this.url, this.appIdValue, this.appCreated) };
  }

  private serveAppUserList(request: SandboxRequest, params: RouteParams): Reply {
    this.requireApp(params);
    const limit = parseLimit(request.query.get('limit'));
    const after = request.query.get('after') ?? undefined;
    const q = request.query.get('q') ?? undefined;
    const expandUser = request.query.get('expand') === 'user';
    const page = this.directory.listAppUsers({ limit, ...(after === undefined ? {} : { after }), ...(q === undefined ? {} : { q }) });
    const base = `${this.url}/api/v1/apps/${this.appIdValue}/users`;
    const links = [`<${base}${request.rawQuery === '' ? '' : `?${request.rawQuery}`}>; rel="self"`];
    if (page.nextAfter !== undefined) {
      // Faithful to okta-sdk-nodejs issue #439: Okta's next link keeps limit (and q) but drops expand=user.
      const next = new URLSearchParams({ after: page.nextAfter, limit: String(limit) });
      if (q !== undefined) next.set('q', q);
      links.push(`<${base}?${next.toString()}>; rel="next"`);
    }
    return {
      status: 200,
      headers: { link: links },
      body: page.items.map((view) => appUserJson(this.url, this.appIdValue, view, expandUser)),
    };
  }

  private serveAppUser(request: SandboxRequest, params: RouteParams): Reply {
    this.requireApp(params);
    const userId = params.userId ?? '';
    const view = this.directory.appUser(userId);
    if (view === undefined) throw OktaSandboxError.notFound(userId, 'AppUser');
    return { status: 200, body: appUserJson(this.url, this.appIdValue, view, request.query.get('expand') === 'user') };
  }

  private serveAppUserUpdate(request: SandboxRequest, params: RouteParams): Reply {
    this.requireApp(params);
    const body = parseProfileBody(request.bodyText);
    const view = this.directory.setAppProfile(params.userId ?? '', body.profile ?? {});
    return { status: 200, body: appUserJson(this.url, this.appIdValue, view, false) };
  }

  private serveUser(params: RouteParams): Reply {
    const idOrLogin = params.idOrLogin ?? '';
    const user = this.directory.findUser(idOrLogin);
    if (user === undefined) throw OktaSandboxError.notFound(idOrLogin, 'User');
    return { status: 200, body: userJson(this.url, user) };
  }

  private serveUserUpdate(request: SandboxRequest, params: RouteParams, mode: 'partial' | 'replace'): Reply {
    const userId = params.userId ?? '';
    const user = this.directory.requireUser(userId);
    const body = parseProfileBody(request.bodyText);
    if (user.status === 'DEPROVISIONED') {
      // Okta refuses profile edits of deactivated users unless the org enables them (a guess at the exact error).
      throw OktaSandboxError.validation('profile', ['Deactivated users cannot be updated']);
    }
    if (mode === 'partial') this.directory.partialUpdate(userId, body.profile ?? {});
    else {
      if (body.profile === undefined) throw OktaSandboxError.validation('profile', ['profile: The field cannot be left blank']);
      this.directory.replaceProfile(userId, body.profile);
    }
    return { status: 200, body: userJson(this.url, user) };
  }
}

function parseProfileBody(text: string): z.infer<typeof profileBody> {
  let json: unknown;
  try {
    json = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw OktaSandboxError.badJson();
  }
  const parsed = profileBody.safeParse(json);
  if (!parsed.success) {
    throw OktaSandboxError.validation(
      'profile',
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

function parseLimit(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_LIST_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) {
    throw OktaSandboxError.validation('limit', ['limit: must be a positive integer']);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

function randomAlphanumeric(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}
