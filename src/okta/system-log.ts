// The incremental change feed: Okta's System Log (GET /api/v1/logs) read as a polling query, one page-walk
// per poll, resumed from the `next` link Okta gave last time (Okta's own advice: follow next links, do not
// page by since/until). Paged by hand: the SDK's iterator fetches again at once on every empty page and never
// ends on a polling query, which would burn the small /api/v1/logs rate bucket.
import { silentLogger, type Logger } from '../log/logger.js';
import type { OktaClient } from './client.js';
import { OktaError, toOktaError } from './errors.js';
import { parseLogEvents, type OktaLogEvent } from './log-event.js';
import { nextLink } from './next-link.js';
import { affectedUserIds, relevantEventsFilter } from './relevant-events.js';

export type { OktaLogEvent, OktaLogTarget } from './log-event.js';

/** The checkpoint name under which the System Log's next link is kept. */
export const SYSTEM_LOG_CHECKPOINT = 'okta-system-log';
/** Okta's maximum `limit` for /api/v1/logs. */
export const MAX_LOG_PAGE_SIZE = 1000;
const DEFAULT_MAX_PAGES_PER_POLL = 20;

/**
 * Where the reader keeps its position (the `next` link, under SYSTEM_LOG_CHECKPOINT) between polls and restarts.
 * Declared here, by the reader that needs it, so that okta/ does not depend on the store: the store's
 * checkpoints (store/checkpoints.ts) are one such place.
 */
export interface SystemLogCheckpoints {
  /** The value saved under `name`, or null when none was. */
  get(name: string): Promise<string | null>;
  /** Saves `value` under `name`, replacing what was there. */
  set(name: string, value: string): Promise<void>;
}

/** How a SystemLogSource reads: the client, the org and app, where it keeps its place, and its page limits. */
export interface SystemLogSourceOptions {
  client: OktaClient;
  orgUrl: string;
  appId: string;
  checkpoints: SystemLogCheckpoints;
  logger?: Logger;
  /** The actor ids of dialsync's own writes (OktaSource.whoAmI): its profile updates are not work. */
  selfActorIds?: string[];
  /**
   * The ids of the groups assigned to the app (OktaGateway.listAppGroupIds), asked for only when a poll
   * read group membership events. Without it, poll() counts no group membership event.
   */
  appGroupIds?: () => Promise<Iterable<string>>;
  /** Events per page, 1 to 1000. Default 1000: fewer requests against a 50-120/min bucket. */
  pageSize?: number;
  /** Pages read at most in one poll; the rest waits for the next poll. Default 20. */
  maxPagesPerPoll?: number;
  now?: () => Date;
}

/** One poll's reading of the System Log. */
export interface SystemLogPoll {
  /** Every event read, relevant or not, in the order Okta returned them. */
  events: OktaLogEvent[];
  /** The Okta users the events affect (see relevant-events.ts), computed with the app's groups as of this poll. */
  oktaUserIds: string[];
}

/**
 * Delivery is at least once. A poll reads from the saved checkpoint and does NOT save where it got to: that
 * position is saved by `commit()`, or at the start of the next `poll()` (the caller handles one poll's users
 * before polling again). A crash between a poll and the handling of its users therefore re-reads those events
 * after the restart instead of losing them; a targeted reconcile of the same user twice is harmless. Use one
 * instance for the life of the process. With no checkpoint at all, reading starts at the present (never the
 * 7 days Okta would replay by default), and that starting point is saved at once. Reads with `listLogEvents`
 * (filtered to RELEVANT_EVENT_TYPES); the constructor throws a RangeError for a page size outside 1..1000 or a
 * page cap below 1.
 */
export class SystemLogSource {
  private readonly client: OktaClient;
  private readonly orgOrigin: string;
  private readonly baseUrl: string;
  private readonly appId: string;
  private readonly checkpoints: SystemLogCheckpoints;
  private readonly logger: Logger;
  private readonly selfActorIds: Set<string>;
  private readonly pageSize: number;
  private readonly maxPagesPerPoll: number;
  private readonly now: () => Date;
  private readonly loadAppGroupIds: (() => Promise<Iterable<string>>) | undefined;
  private readonly filter = relevantEventsFilter();
  /** Where the last poll got to, not yet saved. */
  private pending: string | null = null;

  constructor(options: SystemLogSourceOptions) {
    const pageSize = options.pageSize ?? MAX_LOG_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_LOG_PAGE_SIZE) {
      throw new RangeError(`pageSize must be an integer from 1 to ${MAX_LOG_PAGE_SIZE}, got ${pageSize}`);
    }
    const maxPages = options.maxPagesPerPoll ?? DEFAULT_MAX_PAGES_PER_POLL;
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError(`maxPagesPerPoll must be a positive integer, got ${maxPages}`);
    this.client = options.client;
    this.baseUrl = options.orgUrl.replace(/\/+$/, '');
    this.orgOrigin = new URL(this.baseUrl).origin;
    this.appId = options.appId;
    this.checkpoints = options.checkpoints;
    this.logger = options.logger ?? silentLogger();
    this.selfActorIds = new Set(options.selfActorIds ?? []);
    this.pageSize = pageSize;
    this.maxPagesPerPoll = maxPages;
    this.now = options.now ?? (() => new Date());
    this.loadAppGroupIds = options.appGroupIds;
  }

  /** Adds an actor id whose profile updates are dialsync's own (e.g. found by whoAmI after construction). */
  addSelfActorId(id: string): void {
    this.selfActorIds.add(id);
  }

  /**
   * Reads the events since the checkpoint, page by page until a page comes back short (caught up) or the
   * page cap is reached: one request when nothing happened. Group membership events count for the groups
   * given here, else for those the `appGroupIds` option returns (asked only when such events were read).
   * `caughtUp` is false when the page cap stopped the reading. Throws OktaError (`invalid_response` for an answer
   * that is not a list or a next link off the org) and what the checkpoint store throws; nothing is committed then.
   */
  async poll(appGroupIds?: ReadonlySet<string>): Promise<SystemLogPoll & { caughtUp: boolean }> {
    await this.commit();
    try {
      return await this.readSinceCheckpoint(appGroupIds);
    } catch (error) {
      // Nothing was returned: the events read so far must be read again next time.
      this.pending = null;
      throw error;
    }
  }

  private async readSinceCheckpoint(appGroupIds: ReadonlySet<string> | undefined): Promise<SystemLogPoll & { caughtUp: boolean }> {
    let url = await this.startUrl();
    const events: OktaLogEvent[] = [];
    let caughtUp = false;
    for (let page = 1; page <= this.maxPagesPerPoll; page += 1) {
      const { items, next } = await this.readPage(url, page);
      const parsed = parseLogEvents(items);
      if (parsed.rejected > 0) this.logger.warn({ rejected: parsed.rejected, page }, 'skipped System Log items that are not LogEvents');
      events.push(...parsed.events);
      // A polling query always has a next link; without one the same page is read again next time.
      if (next !== null) {
        url = next;
        this.pending = next;
      }
      if (next === null || items.length < this.pageSize) {
        caughtUp = true;
        break;
      }
    }
    if (!caughtUp) this.logger.info({ events: events.length, pages: this.maxPagesPerPoll }, 'more System Log events remain; the next poll goes on');
    const oktaUserIds = this.affectedUsers(events, appGroupIds ?? (await this.groupsFor(events)));
    this.logger.debug({ events: events.length, users: oktaUserIds.length }, 'polled the Okta System Log');
    return { events, oktaUserIds, caughtUp };
  }

  /** Saves where the last poll got to. Call it once that poll's users are handled (poll() also does, first). */
  async commit(): Promise<void> {
    if (this.pending === null) return;
    await this.checkpoints.set(SYSTEM_LOG_CHECKPOINT, this.pending);
    this.pending = null;
  }

  /** Forgets where the last poll got to: its events are read again by the next poll (their handling failed). */
  rewind(): void {
    this.pending = null;
  }

  /** The Okta users the events affect; pure. */
  affectedUsers(events: readonly OktaLogEvent[], appGroupIds: ReadonlySet<string>): string[] {
    return affectedUserIds(events, { appId: this.appId, appGroupIds, selfActorIds: this.selfActorIds });
  }

  private async groupsFor(events: readonly OktaLogEvent[]): Promise<ReadonlySet<string>> {
    if (this.loadAppGroupIds === undefined || !events.some((event) => event.eventType.startsWith('group.user_membership.'))) return new Set();
    return new Set(await this.loadAppGroupIds());
  }

  private async startUrl(): Promise<string> {
    const saved = await this.checkpoints.get(SYSTEM_LOG_CHECKPOINT);
    if (saved !== null) {
      const resumed = this.resumable(saved);
      if (resumed !== null) return resumed;
      this.logger.warn('the saved System Log checkpoint is not a link to this org; reading from now on');
    }
    const query = new URLSearchParams({
      since: this.now().toISOString(),
      filter: this.filter,
      limit: String(this.pageSize),
      sortOrder: 'ASCENDING',
    });
    const start = `${this.baseUrl}/api/v1/logs?${query.toString()}`;
    await this.checkpoints.set(SYSTEM_LOG_CHECKPOINT, start);
    this.logger.info('no System Log checkpoint: reading events from now on');
    return start;
  }

  /**
   * The saved link, if it points at this org's /api/v1/logs. The filter is dialsync's own and is brought up
   * to date when a new version reacts to more event types; the `after` cursor keeps the value Okta gave.
   */
  private resumable(saved: string): string | null {
    let url: URL;
    try {
      url = new URL(saved);
    } catch {
      return null;
    }
    if (url.origin !== this.orgOrigin || url.pathname.replace(/\/+$/, '') !== `${new URL(this.baseUrl).pathname.replace(/\/+$/, '')}/api/v1/logs`) return null;
    if (url.searchParams.get('filter') === this.filter && url.searchParams.get('limit') === String(this.pageSize)) return saved;
    url.searchParams.set('filter', this.filter);
    url.searchParams.set('limit', String(this.pageSize));
    return url.toString();
  }

  private async readPage(url: string, page: number): Promise<{ items: unknown[]; next: string | null }> {
    const operation = `reading the Okta System Log (page ${page})`;
    let items: unknown;
    let link: string | null;
    try {
      const response = await this.client.get(url);
      link = response.headers.get('link');
      items = await response.json();
    } catch (error) {
      throw toOktaError(error, operation);
    }
    if (!Array.isArray(items)) throw new OktaError({ code: 'invalid_response', message: `${operation}: Okta's answer is not a list` });
    const next = nextLink(link);
    if (next !== null) {
      let target: URL;
      try {
        target = new URL(next);
      } catch {
        throw new OktaError({ code: 'invalid_response', message: `${operation}: Okta's next link is not a URL` });
      }
      // The SDK would send the credentials wherever the link points.
      if (target.origin !== this.orgOrigin) {
        throw new OktaError({ code: 'invalid_response', message: `${operation}: Okta's next link leaves the org (${target.origin})` });
      }
    }
    return { items, next };
  }
}
