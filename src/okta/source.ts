import { z } from 'zod';
import { LeaseLostError } from '../errors/lease-lost.js';
import { configDefaults } from '../config/schema.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { keepFirstByKey } from '../collections/keep-first-by-key.js';
import { StringPool } from '../collections/string-pool.js';
import { emailLookupForms } from '../identity/email-identity.js';
import { pathSegment, type OktaClient } from './client.js';
import { describeHttpFailure, OktaError, toOktaError } from './errors.js';
import { nextLink } from './next-link.js';
import { profileWriteRequest } from './profile-write-request.js';
import { ScopeGroupError } from './scope-group-error.js';
import { describeIssues, isRejectedAssignment, oktaUserSchema, toOktaAssignment } from './schema.js';
import type {
  OktaAssignment,
  OktaAssignmentListing,
  OktaAssignmentSearch,
  OktaGateway,
  OktaGroup,
  OktaUserFate,
  WriteBackTarget,
} from './types.js';

/** Okta's maximum `limit` for GET /api/v1/apps/{appId}/users. */
export const MAX_PAGE_SIZE = 500;

/** What an OktaSource reads through and for: the client, the app, and how it pages. */
export interface OktaSourceOptions {
  client: OktaClient;
  /** dialsync's Okta app id (0oa…); must not be empty. */
  appId: string;
  /** Users per page of the assignment listing, 1 to 500. Default okta.pageSize's (config/schema.ts). */
  pageSize?: number;
  /**
   * The profile attributes dialsync reads (see attributesReadBy): the others are dropped at read time, so a large
   * org's assignments hold only what the rules use. Every attribute is kept when absent.
   */
  keepAttributes?: Iterable<string> | undefined;
  logger?: Logger;
}

/** The Application (`getApplication`): only its status and label are read, to check access. */
const applicationSchema = z.object({ status: z.string().optional(), label: z.string().optional() });
/** `listApplicationGroupAssignments`: ApplicationGroupAssignment objects; only the group id is used. */
const groupAssignmentPage = z.array(z.object({ id: z.string().min(1) }).loose());
/** WellKnownOrgMetadata (`getWellknownOrgMetadata`): only the org id is used. */
const orgMetadataSchema = z.object({ id: z.string().min(1) });
/** Okta's maximum `limit` for the app's group assignments. */
const GROUP_PAGE_SIZE = 200;
/** Group (`getGroup`, `listGroups`, `listUserGroups`): only the id and profile.name are read. */
const groupSchema = z.object({ id: z.string().min(1), profile: z.object({ name: z.string() }).loose() }).loose();
/** `listGroupUsers`: User objects; only the id is kept (zod strips the rest), the profiles are dropped page by page. */
const memberPage = z.array(z.object({ id: z.string().min(1) }));
/** `listGroupUsers` page size: the spec's recommended limit (its default, 1000, is "no longer valid for most orgs"). */
const GROUP_MEMBER_PAGE_SIZE = 200;
/** An Okta group id: 00g and 17 more letters or digits. */
const GROUP_ID = /^00g[0-9A-Za-z]{17}$/;

/**
 * The Okta side of dialsync over the SDK's Http (see OktaClient): reads the app's assignments, writes the number
 * back. Every method rejects with an OktaError (by `code`) and parses what Okta sends with schema.ts. The
 * constructor throws a RangeError for a page size outside 1..500 or an empty app id.
 */
export class OktaSource implements OktaGateway {
  private readonly client: OktaClient;
  private readonly appId: string;
  private readonly pageSize: number;
  private readonly keepAttributes: ReadonlySet<string> | undefined;
  private readonly logger: Logger;

  constructor(options: OktaSourceOptions) {
    const pageSize = options.pageSize ?? configDefaults().okta.pageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
    }
    if (options.appId.trim() === '') throw new RangeError('appId must not be empty');
    this.client = options.client;
    this.appId = options.appId;
    this.pageSize = pageSize;
    this.keepAttributes = options.keepAttributes === undefined ? undefined : new Set(options.keepAttributes);
    this.logger = options.logger ?? silentLogger();
  }

  /**
   * Reads the app (`getApplication`), after asking for an access token in PrivateKey mode. Throws OktaError
   * `unauthorized`, `forbidden` or `app_not_found` with what to fix; an inactive app is only logged.
   */
  async checkAccess(): Promise<void> {
    if (this.client.authorizationMode === 'PrivateKey') await this.checkAccessToken();
    let application: unknown;
    try {
      application = await (await this.client.get(this.client.url(this.appPath()))).json();
    } catch (error) {
      throw this.accessError(toOktaError(error, `reading Okta app ${this.appId}`));
    }
    const app = applicationSchema.safeParse(application);
    if (app.success && app.data.status !== undefined && app.data.status !== 'ACTIVE') {
      this.logger.warn({ appId: this.appId, status: app.data.status }, 'the Okta app is not active');
    }
    this.logger.debug({ appId: this.appId, label: app.success ? app.data.label : undefined }, 'Okta credentials and app checked');
  }

  /**
   * Every assignment of the app (`listApplicationUsers`, expand=user), each Okta user once (the first listed): a
   * user assigned or changed while the pages are read can show on two of them. Items that do not parse are
   * returned as rejected, not thrown; a page that is not a list throws OktaError `invalid_response`.
   */
  async listAssignments(): Promise<OktaAssignmentListing> {
    const listing: OktaAssignmentListing = { assignments: [], rejected: [] };
    for await (const page of this.listAssignmentPages()) {
      listing.assignments.push(...page.assignments);
      listing.rejected.push(...page.rejected);
    }
    keepFirstByKey(listing.assignments, (assignment) => assignment.oktaUserId);
    keepFirstByKey(listing.rejected, (rejected) => rejected.oktaUserId);
    return listing;
  }

  /**
   * The app's assignments one page at a time (okta.pageSize users each), following Okta's Link headers. Okta's
   * `next` link can drop `expand=user`: without it, pages after the first would come without the Okta users, so
   * the parameter is put back on each next link. Throws as listAssignments does.
   */
  async *listAssignmentPages(): AsyncGenerator<OktaAssignmentListing, void, undefined> {
    const operation = `listing the users assigned to Okta app ${this.appId}`;
    // The rate pacer has parsed each page once already (to retry a garbled one): that value is used as it is.
    const pacer = this.client.requestExecutor;
    const pages = this.pagesByHand(
      this.client.url(`${this.appPath()}/users`, { limit: this.pageSize, expand: 'user' }),
      operation,
      // Okta's next link can drop expand=user; put it back so every page embeds the users.
      (next) => this.followableNextLink(next, operation),
      (text) => pacer.takeParsed(text) ?? (JSON.parse(text) as unknown),
    );
    // One pool for the whole listing: repeated values are shared across pages.
    const reading = { keepAttributes: this.keepAttributes, pool: new StringPool() };
    for await (const { items, pageNumber } of pages) {
      if (!Array.isArray(items)) {
        throw new OktaError({ code: 'invalid_response', message: `${operation} (page ${pageNumber}): Okta's answer is not a list` });
      }
      const page: OktaAssignmentListing = { assignments: [], rejected: [] };
      for (const item of items) {
        const result = toOktaAssignment(item, reading);
        if (isRejectedAssignment(result)) page.rejected.push(result);
        else page.assignments.push(result);
      }
      this.logger.debug(
        { appId: this.appId, page: pageNumber, assignments: page.assignments.length, rejected: page.rejected.length },
        'read a page of Okta assignments',
      );
      yield page;
    }
  }

  /**
   * One request per page, following the rel="next" links of Okta's Link headers. A next link that repeats an
   * earlier page would loop forever: refused. A later page Okta refuses with a 400 (its `after` cursor is no
   * longer valid: the first page was just read with the same query) restarts the listing from its first page
   * once, so its first pages are yielded twice: consumers count items by id.
   */
  private async *pagesByHand(
    firstUrl: string,
    operation: string,
    checkNext: (next: string) => string,
    parse: (text: string) => unknown = (text) => JSON.parse(text) as unknown,
  ): AsyncGenerator<{ items: unknown; pageNumber: number }, void, undefined> {
    const seen = new Set<string>();
    let url: string | null = firstUrl;
    let restarted = false;
    for (let pageNumber = 1; url !== null; pageNumber += 1) {
      if (seen.has(url)) {
        throw new OktaError({ code: 'invalid_response', message: `${operation}: Okta's next link repeats an earlier page (page ${pageNumber})` });
      }
      seen.add(url);
      let items: unknown;
      let link: string | null;
      try {
        const response = await this.client.get(url);
        link = response.headers.get('link');
        items = parse(await response.text());
      } catch (error) {
        const failure = toOktaError(error, pageNumber === 1 ? operation : `${operation} (page ${pageNumber})`);
        if (pageNumber === 1 || restarted || failure.code !== 'bad_request') throw failure;
        this.logger.warn({ appId: this.appId, page: pageNumber, errorCode: failure.oktaErrorCode }, `Okta refused a listing cursor; restarting ${operation} from its first page`);
        restarted = true;
        seen.clear();
        url = firstUrl;
        pageNumber = 0;
        continue;
      }
      const next = nextLink(link);
      url = next === null ? null : checkNext(next);
      yield { items, pageNumber };
    }
  }

  /**
   * The pages of a listing that pages by Link headers on the org's own origin (see pagesByHand), each parsed with
   * `schema`. A page that does not parse throws OktaError `invalid_response` naming the page, before the next is
   * asked for.
   */
  private async *parsedPages<T>(firstUrl: string, operation: string, schema: z.ZodType<T[]>): AsyncGenerator<T[], void, undefined> {
    const pages = this.pagesByHand(firstUrl, operation, (next) => this.sameOrgLink(next, operation));
    for await (const { items, pageNumber } of pages) {
      const page = schema.safeParse(items);
      if (!page.success) {
        throw new OktaError({ code: 'invalid_response', message: `${operation} (page ${pageNumber}): ${describeIssues(page.error)}` });
      }
      yield page.data;
    }
  }

  /**
   * The app's users whose user name, first name, last name or email starts with `query`: one page of
   * `listApplicationUsers` with `q` (Okta's starts-with match on those four attributes; the management API's
   * queryAppUserQ parameter), expand=user, at most `limit` users. Items that do not parse are returned as rejected;
   * `more` says Okta has further matches (a next link, not followed). A blank query asks nothing and finds nobody.
   * Throws RangeError for a limit outside 1..500, OktaError for Okta's refusals and an answer that is not a list.
   */
  async searchAssignments(query: string, limit: number): Promise<OktaAssignmentSearch> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
    }
    const q = query.trim();
    if (q === '') return { assignments: [], rejected: [], more: false };
    const operation = `searching the users assigned to Okta app ${this.appId}`;
    let items: unknown;
    let link: string | null;
    try {
      const response = await this.client.get(this.client.url(`${this.appPath()}/users`, { q, limit, expand: 'user' }));
      link = response.headers.get('link');
      const text = await response.text();
      // The rate pacer keeps what it parsed of this listing's pages for their reader: taken here, not left behind.
      items = this.client.requestExecutor.takeParsed(text) ?? (JSON.parse(text) as unknown);
    } catch (error) {
      throw toOktaError(error, operation);
    }
    if (!Array.isArray(items)) throw new OktaError({ code: 'invalid_response', message: `${operation}: Okta's answer is not a list` });
    const found: OktaAssignmentSearch = { assignments: [], rejected: [], more: nextLink(link) !== null };
    const reading = { keepAttributes: this.keepAttributes };
    for (const item of items) {
      const result = toOktaAssignment(item, reading);
      if (isRejectedAssignment(result)) found.rejected.push(result);
      else found.assignments.push(result);
    }
    return found;
  }

  /**
   * One user's assignment (`getApplicationUser`, expand=user), or null when the user is not assigned (404). Throws
   * OktaError, `invalid_response` when the app user does not parse.
   */
  async getAssignment(oktaUserId: string): Promise<OktaAssignment | null> {
    const operation = `reading the assignment of Okta user ${oktaUserId} to app ${this.appId}`;
    let appUser: unknown;
    try {
      const url = this.client.url(`${this.appPath()}/users/${pathSegment(oktaUserId)}`, { expand: 'user' });
      appUser = await (await this.client.get(url)).json();
    } catch (error) {
      const failure = toOktaError(error, operation);
      if (failure.code === 'not_found') return null;
      throw failure;
    }
    const result = toOktaAssignment(appUser, { keepAttributes: this.keepAttributes });
    if (isRejectedAssignment(result)) {
      throw new OktaError({ code: 'invalid_response', message: `${operation}: ${result.reason}` });
    }
    return result;
  }

  /** The id of the Okta user with this login (`getUser` by login, each spelling of its domain), or null. */
  async findUserIdByLogin(login: string): Promise<string | null> {
    // Okta resolves /api/v1/users/{login} by id, login, or an unambiguous login short name. A login with an
    // internationalized domain may be stored in either form: the other spellings are tried when the first is unknown.
    for (const form of emailLookupForms(login)) {
      const user = await this.getUser(form, `looking up the Okta user with login ${form}`);
      if (user) return user.id;
    }
    return null;
  }

  /** Whether Okta user `oktaUserId` still exists, and its status (`getUser`); deleted on a 404. */
  async getUserFate(oktaUserId: string): Promise<OktaUserFate> {
    const user = await this.getUser(oktaUserId, `reading Okta user ${oktaUserId}`);
    return user ? { kind: 'exists', status: user.status } : { kind: 'deleted' };
  }

  /**
   * Sets one attribute (null clears it) by a partial profile update (`updateUser` or `updateApplicationUser`, see
   * profile-write-request.ts). A 400 throws OktaError `bad_request` naming the attribute to define in the Profile
   * Editor.
   */
  async writeProfileAttribute(oktaUserId: string, target: WriteBackTarget, attribute: string, value: string | null): Promise<void> {
    const request = profileWriteRequest(oktaUserId, target, attribute, value, this.appId);
    try {
      await this.client.post(this.client.url(request.path), request.body);
    } catch (error) {
      // Refused by the write gate: not sent, and not Okta's answer.
      if (error instanceof LeaseLostError) throw error;
      const operation =
        target === 'user'
          ? `writing ${attribute} to the profile of Okta user ${oktaUserId}`
          : `writing ${attribute} to the app-user profile of Okta user ${oktaUserId} in app ${this.appId}`;
      throw this.writeError(toOktaError(error, operation), attribute, target);
    }
    this.logger.debug({ oktaUserId, target, attribute, cleared: value === null }, 'wrote profile attribute to Okta');
  }

  // ---- incremental sync: the System Log feed and reads by id of the users it names ----

  /** The ids of the groups assigned to the app (`listApplicationGroupAssignments`), each once. */
  async listAppGroupIds(): Promise<string[]> {
    const operation = `listing the groups assigned to Okta app ${this.appId}`;
    const ids: string[] = [];
    const pages = this.parsedPages(
      this.client.url(`${this.appPath()}/groups`, { limit: GROUP_PAGE_SIZE }),
      operation,
      groupAssignmentPage,
    );
    for await (const page of pages) for (const group of page) ids.push(group.id);
    // Each group once: a group can show on two pages.
    return [...new Set(ids)];
  }

  // ---- scoping groups (scope.groups) ----

  /**
   * The scoping groups, each once, in the order given: ids (00g…) read by id (`getGroup`), names looked up with
   * `listGroups` search `profile.name eq "…"` (paged) and then compared exactly, case included. Throws
   * ScopeGroupError for an entry that names no group (a 404 for an id) or a name several groups share; OktaError
   * for Okta's refusals and answers that do not parse.
   */
  async resolveGroups(entries: readonly string[]): Promise<OktaGroup[]> {
    const groups = new Map<string, OktaGroup>();
    for (const entry of entries) {
      const group = GROUP_ID.test(entry) ? await this.groupById(entry) : await this.groupByName(entry);
      groups.set(group.id, group);
    }
    return [...groups.values()];
  }

  /**
   * The ids of a group's members (`listGroupUsers`, limit 200, following the Link headers): at 100,000 members
   * that is 500 requests. Only ids are kept. Throws OktaError; a page that is not a list of users with ids is
   * `invalid_response` (the run fails rather than plan from part of the membership).
   */
  async listGroupMemberIds(groupId: string): Promise<Set<string>> {
    const operation = `listing the members of Okta group ${groupId}`;
    const ids = new Set<string>();
    const pages = this.parsedPages(
      this.client.url(`/api/v1/groups/${pathSegment(groupId)}/users`, { limit: GROUP_MEMBER_PAGE_SIZE }),
      operation,
      memberPage,
    );
    for await (const page of pages) for (const user of page) ids.add(user.id);
    return ids;
  }

  /** The ids of the groups Okta user `oktaUserId` is a member of (`listUserGroups`); empty on a 404 (no such user). */
  async listUserGroupIds(oktaUserId: string): Promise<string[]> {
    const operation = `listing the groups of Okta user ${oktaUserId}`;
    let items: unknown;
    try {
      items = await (await this.client.get(this.client.url(`/api/v1/users/${pathSegment(oktaUserId)}/groups`))).json();
    } catch (error) {
      const failure = toOktaError(error, operation);
      if (failure.code === 'not_found') return [];
      throw failure;
    }
    const groups = z.array(groupSchema).safeParse(items);
    if (!groups.success) throw new OktaError({ code: 'invalid_response', message: `${operation}: ${describeIssues(groups.error)}` });
    return groups.data.map((group) => group.id);
  }

  private async groupById(groupId: string): Promise<OktaGroup> {
    const operation = `reading Okta group ${groupId} (scope.groups)`;
    let item: unknown;
    try {
      item = await (await this.client.get(this.client.url(`/api/v1/groups/${pathSegment(groupId)}`))).json();
    } catch (error) {
      const failure = toOktaError(error, operation);
      if (failure.code === 'not_found') throw new ScopeGroupError('group_not_found', groupId);
      throw failure;
    }
    const group = groupSchema.safeParse(item);
    if (!group.success) throw new OktaError({ code: 'invalid_response', message: `${operation}: ${describeIssues(group.error)}` });
    return { id: group.data.id, name: group.data.profile.name };
  }

  private async groupByName(name: string): Promise<OktaGroup> {
    const operation = `looking up the Okta group named "${name}" (scope.groups)`;
    // Okta's filter syntax: a string literal in double quotes, with \ and " escaped.
    const literal = name.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
    const pages = this.parsedPages(
      this.client.url('/api/v1/groups', { search: `profile.name eq "${literal}"`, limit: GROUP_PAGE_SIZE }),
      operation,
      z.array(groupSchema),
    );
    const matches = new Map<string, OktaGroup>();
    for await (const page of pages) {
      // Okta's eq on a name ignores case: only the exact name counts.
      for (const group of page) if (group.profile.name === name) matches.set(group.id, { id: group.id, name });
    }
    if (matches.size === 0) throw new ScopeGroupError('group_not_found', name);
    if (matches.size > 1) throw new ScopeGroupError('group_name_ambiguous', name, [...matches.keys()].sort());
    return [...matches.values()][0] as OktaGroup;
  }

  /**
   * The actor id of dialsync's own writes: the service app's client id, or the API token's owner (`getUser` of
   * `me`). null when the token may not read its owner (logged); other failures throw OktaError.
   */
  async whoAmI(): Promise<string | null> {
    // A service app acts as itself: Okta logs its client id as the actor.
    if (this.client.authorizationMode === 'PrivateKey') return this.client.clientId ?? null;
    // An API token acts as the admin who created it.
    let me: unknown;
    try {
      me = await (await this.client.get(this.client.url('/api/v1/users/me'))).json();
    } catch (error) {
      const failure = toOktaError(error, "reading the Okta user who owns dialsync's API token");
      if (failure.code === 'not_found' || failure.code === 'forbidden') {
        this.logger.warn({ code: failure.code }, "cannot tell the API token's owner: dialsync's own write-backs may trigger extra targeted runs");
        return null;
      }
      throw failure;
    }
    const parsed = z.object({ id: z.string().min(1) }).safeParse(me);
    return parsed.success ? parsed.data.id : null;
  }

  /** The org's id (`getWellknownOrgMetadata`), or null when the org does not tell (404 or no id). */
  async getOrgId(): Promise<string | null> {
    let metadata: unknown;
    try {
      metadata = await (await this.client.get(this.client.url('/.well-known/okta-organization'))).json();
    } catch (error) {
      const failure = toOktaError(error, "reading the Okta org's id");
      if (failure.code === 'not_found') return null;
      throw failure;
    }
    const parsed = orgMetadataSchema.safeParse(metadata);
    return parsed.success ? parsed.data.id : null;
  }

  /** The user, or null when Okta answers 404 (deleted, or no such login). */
  private async getUser(userId: string, operation: string) {
    let user: unknown;
    try {
      user = await (await this.client.get(this.client.url(`/api/v1/users/${pathSegment(userId)}`))).json();
    } catch (error) {
      const failure = toOktaError(error, operation);
      if (failure.code === 'not_found') return null;
      throw failure;
    }
    const parsed = oktaUserSchema.safeParse(user);
    if (!parsed.success) {
      throw new OktaError({ code: 'invalid_response', message: `${operation}: the Okta user is malformed: ${describeIssues(parsed.error)}` });
    }
    return parsed.data;
  }

  /**
   * In PrivateKey mode the SDK caches the token endpoint's error body as if it were a token and then sends
   * `Authorization: Bearer undefined`, so a wrong client id, key or scope would only show as a vague 401.
   * Asking for the token here turns it into a clear error.
   */
  private async checkAccessToken(): Promise<void> {
    const { clientId, oauth } = this.client;
    if (oauth === undefined) return;
    try {
      await oauth.getAccessToken();
    } catch (error) {
      if (!(error instanceof OktaError) && error instanceof Error && /private key/i.test(error.message)) {
        // The key could not be read. Neither its text nor the parser's error (no cause kept) is repeated.
        throw new OktaError({
          code: 'unauthorized',
          message: `the private key of Okta service app ${clientId} could not be read: give a PEM (PKCS#1, PKCS#8 or EC) or a JWK as JSON`,
        });
      }
      // A refusal by the token endpoint arrives as an OktaError already (see service-app-oauth.ts).
      throw toOktaError(error, `requesting an access token for Okta service app ${clientId}`);
    }
  }

  /** Rewords checkAccess failures into what an admin has to fix. */
  private accessError(error: OktaError): OktaError {
    const summary =
      error.status === null
        ? error.message
        : describeHttpFailure({ status: error.status, errorCode: error.oktaErrorCode, errorSummary: error.errorSummary, errorCauses: error.errorCauses });
    const privateKey = this.client.authorizationMode === 'PrivateKey';
    const reword = (code: OktaError['code'], message: string) =>
      new OktaError({
        code,
        message,
        status: error.status,
        oktaErrorCode: error.oktaErrorCode,
        errorSummary: error.errorSummary,
        errorCauses: error.errorCauses,
        errorId: error.errorId,
        cause: error,
      });
    switch (error.code) {
      case 'unauthorized':
        return reword(
          'unauthorized',
          privateKey
            ? `Okta rejected the access token of service app ${this.client.clientId} (${summary}): check that the app is granted okta.apps.read and has an admin role`
            : `Okta rejected the credentials: the API token is invalid, expired or revoked (${summary})`,
        );
      case 'forbidden':
        return reword(
          'forbidden',
          `the Okta credentials may not read app ${this.appId} (${summary}): ${
            privateKey
              ? 'grant the service app the scope okta.apps.read and an admin role covering this app'
              : "the API token's admin needs a role that can read this app (a service app would need the scope okta.apps.read)"
          }`,
        );
      case 'not_found':
        return reword('app_not_found', `Okta has no app with id ${this.appId} at ${this.client.baseUrl} (${summary}): check the app id`);
      default:
        return error;
    }
  }

  private writeError(error: OktaError, attribute: string, target: WriteBackTarget): OktaError {
    if (error.code !== 'bad_request') return error;
    const where = target === 'user' ? 'the Okta user profile' : `the app-user profile of app ${this.appId}`;
    return new OktaError({
      code: error.code,
      message: `${error.message}. Check that ${attribute} is defined as a string attribute in ${where} (Profile Editor)`,
      status: error.status,
      oktaErrorCode: error.oktaErrorCode,
      errorSummary: error.errorSummary,
      errorCauses: error.errorCauses,
      errorId: error.errorId,
      cause: error,
    });
  }

  /** The app's resource path. */
  private appPath(): string {
    return `/api/v1/apps/${pathSegment(this.appId)}`;
  }

  /** A next link, checked to stay on the org's origin: the SDK would send the credentials wherever it points. */
  private sameOrgLink(nextUri: string, operation: string): string {
    let next: URL;
    try {
      next = new URL(nextUri);
    } catch {
      throw new OktaError({ code: 'invalid_response', message: `${operation}: Okta's next link is not a URL` });
    }
    if (next.origin !== new URL(this.client.baseUrl).origin) {
      throw new OktaError({ code: 'invalid_response', message: `${operation}: Okta's next link leaves the org (${next.origin})` });
    }
    return nextUri;
  }

  /**
   * Okta's next link, with `expand=user` put back when it was dropped. It must stay on the org's own origin: the SDK
   * would send the credentials to wherever it points.
   */
  private followableNextLink(nextUri: string, operation: string): string {
    const next = new URL(this.sameOrgLink(nextUri, operation));
    if (next.searchParams.get('expand') === 'user') return nextUri;
    // Appended as text: the after= cursor is opaque and must be sent back exactly as Okta wrote it.
    const separator = next.search === '' ? (nextUri.endsWith('?') ? '' : '?') : nextUri.endsWith('&') ? '' : '&';
    return `${nextUri}${separator}expand=user`;
  }
}
