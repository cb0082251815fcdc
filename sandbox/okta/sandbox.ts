// A stateful stand-in for the part of Okta's Management API dialsync uses, served over real HTTP.
// Admin methods (createUser, assignGroup, setStatus, ...) play the Okta administrator in-process.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { OktaUserStatus } from './user-status.js';
import { FaultInjector, type FaultOptions } from '../http/fault-injector.js';
import { ListingFaults, type ListingFault } from '../http/listing-faults.js';
import { FixedWindowLimiter, type LimiterVerdict } from '../http/fixed-window-limiter.js';
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
import {
  type OktaProfile,
  type OktaProfileInput,
  type OktaProfilePatch,
  type OktaUserRecord,
} from './directory.js';
import { oktaErrorBody, OktaSandboxError } from './errors.js';
import { appJson, appUserJson, userJson } from './wire.js';
import { parseRequestBody, profileValue } from './request-body.js';
import { serveGroup, serveGroupList, serveGroupUsers, serveUserGroups } from './groups-api.js';
import { applyRawPatch, type RawPatch } from '../http/raw-patch.js';
// System Log, GET /api/v1/users/me, app group assignments and Event Hooks (what incremental sync reads).
import {
  serveAddGroupMember,
  serveAssignGroup,
  serveAssignUser,
  serveDeleteUser,
  serveLifecycle,
  serveRemoveGroupMember,
  serveUnassignGroup,
  serveUnassignUser,
  type AdminApiContext,
} from './admin-api.js';
import { AuditedOktaDirectory } from './audited-directory.js';
import { OktaEventHooks, type EventHookRegistration, type HookDelivery } from './event-hooks.js';
import { OktaSystemLog, type LogContext, type LogEntity } from './system-log.js';
// The custom authorization server `default`: OIDC sign-in for the sample users.
import { AUTHORIZATION_SERVER_PATH, OktaAuthorizationServer } from './authorization-server.js';
import { DEFAULT_GROUPS_CLAIM, type GroupsClaim } from './groups-claim.js';
import { consoleClient, type OidcClientRegistration } from './oidc-client.js';

export type { OktaProfileInput, OktaProfilePatch, OktaProfileValue } from './directory.js';
export type { GroupsClaim } from './groups-claim.js';
export type { OidcClientRegistration } from './oidc-client.js';

/** Every user's password unless `oidc.userPassword` or setPassword says otherwise: a documented demo value, not a secret. */
export const SANDBOX_USER_PASSWORD = 'Sandbox-Passw0rd';

/**
 * The authorization server's configuration (what an Okta admin sets on the org): the OIDC client apps, the groups
 * claim, every user's password, and the lifetimes of codes and tokens in seconds.
 */
export interface OktaOidcOptions {
  /** Default: one client, the dialsync console at http://127.0.0.1:8080 (see consoleClient). */
  clients?: readonly OidcClientRegistration[];
  /** Default: `groups`, the groups whose name starts with `dialsync-`, with any scope. */
  groupsClaim?: GroupsClaim;
  /** Default: SANDBOX_USER_PASSWORD. */
  userPassword?: string;
  codeLifetimeSeconds?: number;
  tokenLifetimeSeconds?: number;
}

/** getWellknownOrgMetadata: the org's id, answered without credentials. */
const WELL_KNOWN_ORG = '/.well-known/okta-organization';

export interface OktaSandboxOptions {
  appId?: string;
  /** The org's id (GET /.well-known/okta-organization); random when left out. Give two sandboxes one id to stand for one org at two URLs. */
  orgId?: string;
  token?: string;
  /** Requests per window for each bucket; a bucket left out is unlimited (its headers are still sent). */
  rateLimits?: { apps?: number; users?: number; logs?: number; perMinuteWindowMs?: number };
  /** Custom user-profile attributes the schema defines (default: ['dialpadPhone']). */
  customUserAttributes?: readonly string[];
  /**
   * Attributes the app user profile schema defines; an API write of any other is refused as Okta refuses it (400
   * E0000001). Left out: any attribute is taken (the app's schema is not simulated). Admin assignments are not checked.
   */
  appUserAttributes?: readonly string[];
  now?: () => Date;
  /** The admin who owns the API token (GET /api/v1/users/me): the actor logged for API writes. */
  tokenOwner?: { id?: string; login?: string; firstName?: string; lastName?: string };
  /** How long events gather before an Event Hook delivery (default 100 ms). */
  hookBatchWindowMs?: number;
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
  /** The authorization server at <url>/oauth2/default (see OktaOidcOptions). */
  oidc?: OktaOidcOptions;
}

export interface OktaRecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  /** When it was answered, by the sandbox's clock (epoch ms). */
  atMs: number;
}

export interface OktaSandboxUser {
  id: string;
  status: OktaUserStatus;
  profile: OktaProfile;
}

type Bucket = 'apps' | 'users' | 'logs' | 'other';

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
}

type Handler = (request: SandboxRequest, params: RouteParams) => Reply;

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 500;
/** Published Workforce defaults, reported in the headers of an unlimited bucket. */
const REPORTED_LIMITS: Record<Bucket, number> = { apps: 100, users: 600, logs: 120, other: 1200 };

const profileBody = z.object({ profile: z.record(z.string(), profileValue).optional() }).loose();

export class OktaSandbox {
  readonly requests: OktaRecordedRequest[] = [];
  /** Present when the sandbox was built with `faults`: what it injected. */
  readonly faults: FaultInjector | undefined;
  private readonly directory: AuditedOktaDirectory;
  private readonly server: SandboxHttpServer;
  private readonly routes = new RouteTable<Handler>();
  private readonly limiters: Record<Bucket, FixedWindowLimiter>;
  private readonly appIdValue: string;
  private readonly orgIdValue: string;
  /** Other apps of the org (addEmptyApp): they answer, with no users or groups assigned. */
  private readonly emptyApps = new Set<string>();
  private readonly appUserAttributes: Set<string> | undefined;
  private readonly tokenValue: string;
  private readonly now: () => Date;
  private readonly appCreated: Date;
  /** corruptAppUser: raw patches over app users' JSON, by user id. */
  private readonly appUserCorruptions = new Map<string, RawPatch>();
  private readonly listingFaults = new ListingFaults<'appUsers'>();
  /** The org's System Log: what every admin action and API write appended. */
  readonly systemLog: OktaSystemLog;
  private readonly eventHooks: OktaEventHooks;
  private readonly tokenOwnerRecord: OktaUserRecord;
  private readonly apiTokenId = `00T${randomAlphanumeric(17)}`;
  /** Set while an API request is handled: its writes are logged as the token owner's. */
  private apiCall: { requestId: string; uri: string } | undefined;
  /** Okta's custom authorization server `default`: sign-in for the directory's users. */
  readonly authorizationServer: OktaAuthorizationServer;
  private readonly defaultPassword: string;
  /** Passwords set with setPassword, by user id. */
  private readonly passwords = new Map<string, string>();

  constructor(options: OktaSandboxOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.appIdValue = options.appId ?? `0oa${randomAlphanumeric(17)}`;
    this.orgIdValue = options.orgId ?? `00o${randomAlphanumeric(17)}`;
    this.appUserAttributes = options.appUserAttributes === undefined ? undefined : new Set(options.appUserAttributes);
    this.tokenValue = options.token ?? `00${randomBytes(30).toString('base64url')}`;
    this.appCreated = this.now();
    this.tokenOwnerRecord = tokenOwnerRecord(options.tokenOwner, this.appCreated);
    this.systemLog = new OktaSystemLog(this.now);
    this.eventHooks = new OktaEventHooks({
      orgUrl: () => this.url,
      now: this.now,
      ...(options.hookBatchWindowMs === undefined ? {} : { batchWindowMs: options.hookBatchWindowMs }),
    });
    this.systemLog.onAppend((event) => this.eventHooks.notify(event));
    this.directory = new AuditedOktaDirectory({
      now: this.now,
      customAttributes: options.customUserAttributes ?? ['dialpadPhone'],
      log: this.systemLog,
      appId: this.appIdValue,
      appLabel: 'Dialpad',
      context: () => this.logContext(),
    });
    const windowMs = options.rateLimits?.perMinuteWindowMs ?? 60_000;
    const clock = (): number => this.now().getTime();
    this.limiters = {
      apps: new FixedWindowLimiter(options.rateLimits?.apps, windowMs, REPORTED_LIMITS.apps, clock),
      users: new FixedWindowLimiter(options.rateLimits?.users, windowMs, REPORTED_LIMITS.users, clock),
      logs: new FixedWindowLimiter(options.rateLimits?.logs, windowMs, REPORTED_LIMITS.logs, clock),
      other: new FixedWindowLimiter(undefined, windowMs, REPORTED_LIMITS.other, clock),
    };
    this.routes
      .add('GET', WELL_KNOWN_ORG, () => ({ status: 200, body: { id: this.orgIdValue, pipeline: 'idx', _links: { organization: { href: this.url } } } }))
      .add('GET', '/api/v1/apps/:appId', (_req, p) => this.serveApp(p))
      .add('GET', '/api/v1/apps/:appId/users', (req, p) => this.serveAppUserList(req, p))
      .add('GET', '/api/v1/apps/:appId/users/:userId', (req, p) => this.serveAppUser(req, p))
      .add('POST', '/api/v1/apps/:appId/users/:userId', (req, p) => this.serveAppUserUpdate(req, p))
      .add('GET', '/api/v1/apps/:appId/groups', (req, p) => this.serveAppGroupList(req, p))
      .add('GET', '/api/v1/groups', (req) => serveGroupList(this.directory, this.url, this.appCreated, req))
      .add('GET', '/api/v1/groups/:groupId', (_req, p) => serveGroup(this.directory, this.url, this.appCreated, p.groupId ?? ''))
      .add('GET', '/api/v1/groups/:groupId/users', (req, p) => serveGroupUsers(this.directory, this.url, p.groupId ?? '', req))
      .add('PUT', '/api/v1/groups/:groupId/users/:userId', (_req, p) => serveAddGroupMember(this.adminApi(), p.groupId ?? '', p.userId ?? ''))
      .add('DELETE', '/api/v1/groups/:groupId/users/:userId', (_req, p) => serveRemoveGroupMember(this.adminApi(), p.groupId ?? '', p.userId ?? ''))
      .add('POST', '/api/v1/apps/:appId/users', (req, p) => serveAssignUser(this.adminApi(), p.appId ?? '', req))
      .add('DELETE', '/api/v1/apps/:appId/users/:userId', (_req, p) => serveUnassignUser(this.adminApi(), p.appId ?? '', p.userId ?? ''))
      .add('PUT', '/api/v1/apps/:appId/groups/:groupId', (req, p) => serveAssignGroup(this.adminApi(), p.appId ?? '', p.groupId ?? '', req))
      .add('DELETE', '/api/v1/apps/:appId/groups/:groupId', (_req, p) => serveUnassignGroup(this.adminApi(), p.appId ?? '', p.groupId ?? ''))
      .add('POST', '/api/v1/users/:userId/lifecycle/:operation', (req, p) => serveLifecycle(this.adminApi(), p.userId ?? '', p.operation ?? '', req))
      .add('DELETE', '/api/v1/users/:userId', (_req, p) => serveDeleteUser(this.adminApi(), p.userId ?? ''))
      .add('GET', '/api/v1/users/:userId/groups', (_req, p) => serveUserGroups(this.directory, this.url, this.appCreated, p.userId ?? ''))
      .add('GET', '/api/v1/logs', (req) => this.serveLogs(req))
      .add('GET', '/api/v1/users/me', () => ({ status: 200, body: userJson(this.url, this.tokenOwnerRecord) }))
      .add('GET', '/api/v1/users/:idOrLogin', (_req, p) => this.serveUser(p))
      .add('POST', '/api/v1/users/:userId', (req, p) => this.serveUserUpdate(req, p, 'partial'))
      .add('PUT', '/api/v1/users/:userId', (req, p) => this.serveUserUpdate(req, p, 'replace'));
    this.defaultPassword = options.oidc?.userPassword ?? SANDBOX_USER_PASSWORD;
    this.authorizationServer = new OktaAuthorizationServer({
      orgUrl: () => this.url,
      orgId: this.orgIdValue,
      clients: options.oidc?.clients ?? [consoleClient()],
      groupsClaim: options.oidc?.groupsClaim ?? DEFAULT_GROUPS_CLAIM,
      now: this.now,
      ...(options.oidc?.codeLifetimeSeconds === undefined ? {} : { codeLifetimeSeconds: options.oidc.codeLifetimeSeconds }),
      ...(options.oidc?.tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds: options.oidc.tokenLifetimeSeconds }),
      directory: {
        userByLogin: (login) => {
          const user = this.directory.findUser(login);
          return user !== undefined && String(user.profile.login ?? '').toLowerCase() === login.toLowerCase() ? user : undefined;
        },
        userById: (id) => {
          const user = this.directory.findUser(id);
          return user?.id === id ? user : undefined;
        },
        groupNamesOf: (userId) => this.directory.groupNamesOf(userId),
        passwordMatches: (userId, password) => passwordsMatch(password, this.passwords.get(userId) ?? this.defaultPassword),
      },
    });
    this.faults = options.faults ? new FaultInjector(options.faults) : undefined;
    // The authorization server's endpoints are public or authenticate the client themselves: no API token, no rate bucket.
    const oauthPrefix = `${AUTHORIZATION_SERVER_PATH}/`;
    this.server = new SandboxHttpServer((request) => (request.path.startsWith(oauthPrefix) ? this.authorizationServer.handle(request) : this.handle(request)), {
      faults: this.faults,
      faultReply: (status) => this.faultReply(status),
      onWriteRequest: options.onWriteRequest,
      onRequestArrived: options.onRequestArrived,
      latencyMs: options.latencyMs,
      listen: options.listen,
    });
  }

  /** An injected failure in Okta's shape; a 429 carries the headers Okta's SDK needs to wait and retry. */
  private faultReply(status: 429 | 500 | 503): SandboxResponse {
    const error =
      status === 429
        ? OktaSandboxError.rateLimited()
        : new OktaSandboxError(status, 'E0000009', status === 503 ? 'Service Unavailable' : 'Internal Server Error');
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Okta-Request-Id': randomAlphanumeric(24) };
    if (status === 429) {
      const nowMs = this.now().getTime();
      headers['X-Rate-Limit-Limit'] = '1';
      headers['X-Rate-Limit-Remaining'] = '0';
      headers['X-Rate-Limit-Reset'] = String(Math.ceil(nowMs / 1000));
    }
    return { status, headers, body: JSON.stringify(oktaErrorBody(error)) };
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

  /** The org's id, as GET /.well-known/okta-organization tells it. */
  get orgId(): string {
    return this.orgIdValue;
  }

  /** Another app instance in the same org, with nobody assigned: its id (a config pointed at the wrong app of the org). */
  addEmptyApp(): string {
    const id = `0oa${randomAlphanumeric(17)}`;
    this.emptyApps.add(id);
    return id;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  async stop(): Promise<void> {
    await this.eventHooks.stop();
    await this.server.stop();
  }

  /** Per-request latency from now on, in ms (benchmarks). */
  setLatency(ms: number): void {
    this.server.setLatency(ms);
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

  /** The admin adds an attribute to the app user profile (Profile Editor); only matters with `appUserAttributes`. */
  defineAppUserAttribute(name: string): void {
    this.appUserAttributes?.add(name);
  }

  /** The names of the Okta groups the user is a member of (Everyone left out), in group creation order. */
  groupNamesOf(userId: string): string[] {
    return this.directory.groupNamesOf(userId);
  }

  /** Sets one user's sign-in password (the others keep the sandbox's user password). */
  setPassword(userId: string, password: string): void {
    this.directory.requireUser(userId);
    this.passwords.set(userId, password);
  }

  /** The password every user signs in with unless setPassword gave them their own (a demo value, printed by the demo). */
  get userPassword(): string {
    return this.defaultPassword;
  }

  /** The issuer of the authorization server: `<url>/oauth2/default` (its discovery document is under it). */
  get issuer(): string {
    return this.authorizationServer.issuer;
  }

  /** The first registered OIDC client: the dialsync console's, unless `oidc.clients` said otherwise. */
  get consoleClient(): OidcClientRegistration {
    const client = this.authorizationServer.clients[0];
    if (client === undefined) throw new Error('the Okta sandbox has no OIDC client registered');
    return client;
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

  // ---- fault injection (bad-input tests) ----

  /**
   * From now on, this user's AppUser JSON (listings and single reads) is patched with `patch`: objects
   * merge, `undefined` removes a key, e.g. `{ _embedded: { user: { profile: undefined } } }` for a user
   * with no profile. null restores the real shape.
   */
  corruptAppUser(userId: string, patch: RawPatch | null): void {
    if (patch === null) this.appUserCorruptions.delete(userId);
    else this.appUserCorruptions.set(userId, patch);
  }

  /**
   * From now on, the app-user listing (GET /api/v1/apps/{appId}/users) answers as `fault` says: users left out
   * (by Okta user id), a replaced body, later pages that repeat the last user of the page before (`overlap`),
   * refused `after` cursors (see ListingFault). GET /api/v1/apps/{appId}/users/{userId} is unaffected. null restores it.
   */
  faultListing(fault: ListingFault | null): void {
    this.listingFaults.set('appUsers', fault);
  }

  private rawAppUser(userId: string, json: Record<string, unknown>): Record<string, unknown> {
    const patch = this.appUserCorruptions.get(userId);
    return patch === undefined ? json : applyRawPatch(json, patch);
  }

  // ---- HTTP ----

  private handle(request: SandboxRequest): SandboxResponse {
    // Okta's buckets: a user's groups (/api/v1/users/{id}/groups) count as "most other /api/v1", not as users.
    const bucket: Bucket = request.path.startsWith('/api/v1/apps')
      ? 'apps'
      : request.path.startsWith('/api/v1/users') && !/^\/api\/v1\/users\/[^/]+\/groups$/.test(request.path)
        ? 'users'
        : request.path.startsWith('/api/v1/logs')
          ? 'logs'
          : 'other';
    const requestId = randomAlphanumeric(24);
    let reply: Reply;
    let verdict: LimiterVerdict | undefined;
    try {
      const token = credentialFrom(request.headers, ['SSWS', 'Bearer']);
      // The org metadata is public (`security: []` in Okta's spec).
      const isPublic = request.method === 'GET' && request.path === WELL_KNOWN_ORG;
      if (!isPublic && (token === undefined || token !== this.tokenValue)) throw OktaSandboxError.invalidToken();
      verdict = this.limiters[bucket].take();
      if (!verdict.allowed) throw OktaSandboxError.rateLimited();
      const match = this.routes.match(request.method, request.path);
      if (match.kind === 'wrong-method') throw OktaSandboxError.methodNotAllowed();
      if (match.kind === 'none') throw OktaSandboxError.noSuchEndpoint(request.path);
      this.apiCall = { requestId, uri: request.path };
      try {
        reply = match.handler(request, match.params);
      } finally {
        this.apiCall = undefined;
      }
    } catch (error) {
      if (!(error instanceof OktaSandboxError)) throw error;
      reply = { status: error.status, body: oktaErrorBody(error) };
    }
    // A refused token does not spend the bucket; its response still carries the headers.
    verdict ??= this.limiters[bucket].peek();
    this.requests.push({ method: request.method, path: request.path, query: request.rawQuery, status: reply.status, atMs: this.now().getTime() });
    return {
      status: reply.status,
      headers: {
        'Content-Type': 'application/json',
        'X-Okta-Request-Id': requestId,
        'X-Rate-Limit-Limit': String(verdict.limit),
        'X-Rate-Limit-Remaining': String(verdict.remaining),
        'X-Rate-Limit-Reset': String(Math.ceil(verdict.resetAtMs / 1000)),
        ...reply.headers,
      },
      body: JSON.stringify(reply.body),
    };
  }

  // ---- System Log, app groups and Event Hooks ----

  /** The id of the admin who owns the API token: the actor of API writes in the System Log. */
  get tokenOwnerId(): string {
    return this.tokenOwnerRecord.id;
  }

  /** The actor of admin actions made through the sandbox's methods (the Okta console). */
  get adminActorId(): string {
    return CONSOLE_ADMIN.id;
  }

  /**
   * Registers an event hook the way an admin would, and verifies it: Okta sends a GET with
   * x-okta-verification-challenge and the secret, and expects {"verification": challenge} back. Rejects when
   * verification fails. Matching events are then POSTed about `hookBatchWindowMs` after they happen.
   */
  registerEventHook(registration: EventHookRegistration): Promise<string> {
    return this.eventHooks.register(registration);
  }

  /** Every delivery attempt so far, with its outcome. */
  get hookDeliveries(): readonly HookDelivery[] {
    return this.eventHooks.deliveries;
  }

  /** Resolves once no event hook delivery is waiting or in flight. */
  settleEventHooks(): Promise<void> {
    return this.eventHooks.settled();
  }

  private logContext(): LogContext {
    if (this.apiCall !== undefined) {
      return { actor: userActor(this.tokenOwnerRecord), requestId: this.apiCall.requestId, requestUri: this.apiCall.uri, apiTokenId: this.apiTokenId };
    }
    const requestId = randomAlphanumeric(27);
    return { actor: CONSOLE_ADMIN, requestId, requestUri: '/admin/sandbox' };
  }

  private serveLogs(request: SandboxRequest): Reply {
    const result = this.systemLog.query(request.query);
    const base = `${this.url}/api/v1/logs`;
    const links = [`<${base}${request.rawQuery === '' ? '' : `?${request.rawQuery}`}>; rel="self"`];
    if (result.nextAfter !== undefined) {
      // Okta's next link keeps the query (since, filter, limit, sortOrder, …) and sets the opaque cursor.
      const next = new URLSearchParams(request.query);
      next.set('after', result.nextAfter);
      links.push(`<${base}?${next.toString()}>; rel="next"`);
    }
    return { status: 200, headers: { link: links }, body: result.events };
  }

  private serveAppGroupList(request: SandboxRequest, params: RouteParams): Reply {
    if (this.emptyApps.has(params.appId ?? '')) return { status: 200, body: [] };
    this.requireApp(params);
    const raw = request.query.get('limit');
    const limit = raw === null || raw === '' ? 20 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1) throw OktaSandboxError.validation('limit', ['limit: must be a positive integer']);
    const pageSize = Math.min(limit, 200);
    const groups = this.directory.assignedGroups();
    const after = request.query.get('after');
    let start = 0;
    if (after !== null) {
      const index = groups.findIndex((group) => group.groupId === after);
      if (index < 0) throw OktaSandboxError.validation('after', [`after: Invalid cursor ${after}`]);
      start = index + 1;
    }
    const page = groups.slice(start, start + pageSize);
    const base = `${this.url}/api/v1/apps/${this.appIdValue}/groups`;
    const links = [`<${base}${request.rawQuery === '' ? '' : `?${request.rawQuery}`}>; rel="self"`];
    const last = page[page.length - 1];
    if (last !== undefined && start + page.length < groups.length) {
      links.push(`<${base}?${new URLSearchParams({ after: last.groupId, limit: String(pageSize) }).toString()}>; rel="next"`);
    }
    const updated = this.appCreated.toISOString();
    return {
      status: 200,
      headers: { link: links },
      body: page.map((group, i) => ({
        id: group.groupId,
        lastUpdated: updated,
        priority: start + i,
        profile: group.profile,
        _links: {
          app: { href: `${this.url}/api/v1/apps/${this.appIdValue}` },
          group: { href: `${this.url}/api/v1/groups/${group.groupId}` },
        },
      })),
    };
  }

  /** What the admin write routes (admin-api.ts) work on. */
  private adminApi(): AdminApiContext {
    return { directory: this.directory, baseUrl: this.url, appId: this.appIdValue, appUserAttributes: this.appUserAttributes, appCreated: this.appCreated };
  }

  private requireApp(params: RouteParams): void {
    const appId = params.appId ?? '';
    if (appId !== this.appIdValue) throw OktaSandboxError.notFound(appId, 'AppInstance');
  }

  private serveApp(params: RouteParams): Reply {
    const other = params.appId ?? '';
    if (this.emptyApps.has(other)) return { status: 200, body: appJson(this.url, other, this.appCreated) };
    this.requireApp(params);
    return { status: 200, body: appJson(this.url, this.appIdValue, this.appCreated) };
  }

  private serveAppUserList(request: SandboxRequest, params: RouteParams): Reply {
    if (this.emptyApps.has(params.appId ?? '')) return { status: 200, body: [] };
    this.requireApp(params);
    const limit = parseLimit(request.query.get('limit'));
    const after = request.query.get('after') ?? undefined;
    const q = request.query.get('q') ?? undefined;
    const expandUser = request.query.get('expand') === 'user';
    const faults = this.listingFaults;
    if (faults.refusesCursor('appUsers', after !== undefined)) throw OktaSandboxError.validation('after', [`after: Invalid cursor ${after ?? ''}`]);
    const replacement = faults.replacement('appUsers');
    if (replacement) return { status: 200, body: replacement.body };
    const page = this.directory.listAppUsers({ limit, ...(after === undefined ? {} : { after }), ...(q === undefined ? {} : { q }) });
    // An overlapping page starts with the last user of the page before (the one its cursor points after).
    const repeated = after !== undefined && faults.overlap('appUsers') > 0 ? this.directory.appUser(after) : undefined;
    const items = faults.keep('appUsers', repeated ? [repeated, ...page.items] : page.items, (view) => view.user.id);
    const base = `${this.url}/api/v1/apps/${this.appIdValue}/users`;
    const links = [`<${base}${request.rawQuery === '' ? '' : `?${request.rawQuery}`}>; rel="self"`];
    if (page.nextAfter !== undefined) {
      // Faithful to okta-sdk-nodejs#439: Okta's next link keeps limit (and q) but drops expand=user.
      const next = new URLSearchParams({ after: page.nextAfter, limit: String(limit) });
      if (q !== undefined) next.set('q', q);
      links.push(`<${base}?${next.toString()}>; rel="next"`);
    }
    return {
      status: 200,
      headers: { link: links },
      body: items.map((view) => this.rawAppUser(view.user.id, appUserJson(this.url, this.appIdValue, view, expandUser))),
    };
  }

  private serveAppUser(request: SandboxRequest, params: RouteParams): Reply {
    this.requireApp(params);
    const userId = params.userId ?? '';
    const view = this.directory.appUser(userId);
    if (view === undefined) throw OktaSandboxError.notFound(userId, 'AppUser');
    return { status: 200, body: this.rawAppUser(userId, appUserJson(this.url, this.appIdValue, view, request.query.get('expand') === 'user')) };
  }

  private serveAppUserUpdate(request: SandboxRequest, params: RouteParams): Reply {
    this.requireApp(params);
    const body = parseRequestBody(request.bodyText, profileBody, 'profile');
    const userId = params.userId ?? '';
    if (this.directory.appUser(userId) === undefined) throw OktaSandboxError.notFound(userId, 'AppUser');
    const schema = this.appUserAttributes;
    const unknown = schema === undefined ? [] : Object.keys(body.profile ?? {}).filter((name) => !schema.has(name));
    if (unknown.length > 0) {
      // The same answer as for the user profile: Api validation failed, one cause per undefined property.
      throw OktaSandboxError.validation('profile', unknown.map((name) => `Property name '${name}' is not defined in profile schema`));
    }
    const view = this.directory.setAppProfile(userId, body.profile ?? {});
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
    const body = parseRequestBody(request.bodyText, profileBody, 'profile');
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

/** The admin acting in the Okta console (the sandbox's admin methods). */
const CONSOLE_ADMIN: LogEntity = {
  id: '00usbxconsoleadmin01',
  type: 'User',
  alternateId: 'admin@sandbox.example.com',
  displayName: 'Sandbox Admin',
  detailEntry: null,
};

function userActor(user: OktaUserRecord): LogEntity {
  const login = typeof user.profile.login === 'string' ? user.profile.login : user.id;
  const name = [user.profile.firstName, user.profile.lastName].filter((part) => typeof part === 'string').join(' ');
  return { id: user.id, type: 'User', alternateId: login, displayName: name === '' ? login : name, detailEntry: null };
}

/** The API token's owner: an admin of the org, outside the directory so it never shows among the app's users. */
function tokenOwnerRecord(owner: OktaSandboxOptions['tokenOwner'], created: Date): OktaUserRecord {
  return {
    id: owner?.id ?? '00usbxapitokenowner1',
    seq: 0,
    status: 'ACTIVE',
    created,
    activated: created,
    statusChanged: created,
    lastUpdated: created,
    passwordChanged: created,
    profile: {
      login: owner?.login ?? 'dialsync-integration@sandbox.example.com',
      email: owner?.login ?? 'dialsync-integration@sandbox.example.com',
      firstName: owner?.firstName ?? 'dialsync',
      lastName: owner?.lastName ?? 'Integration',
    },
  };
}

function parseLimit(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_LIST_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) {
    throw OktaSandboxError.validation('limit', ['limit: must be a positive integer']);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

/** Compares a password to the expected one in constant time (over their SHA-256 digests, so lengths may differ). */
function passwordsMatch(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

function randomAlphanumeric(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}
