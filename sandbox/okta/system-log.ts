// The sandbox org's System Log: every change appends LogEvents in Okta's shape (LogEvent in the Management
// API spec), and GET /api/v1/logs reads them with Okta's two query kinds:
// - polling (no `until`, ASCENDING): events in persistence order after the `after` cursor (or from `since`),
//   and always a next link, even when nothing is new;
// - bounded (`until`, or DESCENDING): events with since <= published < until, ordered by published, with a
//   next link only while more remain.
import { randomBytes, randomUUID } from 'node:crypto';
import { OktaSandboxError } from './errors.js';
import { parseLogFilter, type FilterableEvent, type LogFilter } from './log-filter.js';

export interface LogEntity {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: null;
}

export interface SandboxLogEvent extends FilterableEvent {
  actor: LogEntity;
  target: LogEntity[];
  version: '0';
  legacyEventType: string | null;
  client: Record<string, unknown>;
  authenticationContext: Record<string, unknown>;
  securityContext: Record<string, unknown>;
  request: { ipChain: Record<string, unknown>[] };
  outcome: { result: string; reason: null };
  transaction: { id: string; type: string; detail: Record<string, unknown> };
  debugContext: { debugData: Record<string, unknown> };
}

/** Who did it and through which request: an admin in the console, or an API call with a token. */
export interface LogContext {
  actor: LogEntity;
  /** X-Okta-Request-Id of the API request, or a console request id. */
  requestId: string;
  /** e.g. /api/v1/users/00u1 for an API call, /admin/... for the console. */
  requestUri: string;
  /** The id (00T…) of the API token used, for API calls. */
  apiTokenId?: string;
}

export interface NewLogEvent {
  eventType: string;
  displayMessage: string;
  target: LogEntity[];
}

export interface LogQueryResult {
  events: SandboxLogEvent[];
  /** The `after` cursor of the next link, or undefined when a bounded query has no more. */
  nextAfter: string | undefined;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DEFAULT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
const OLDEST_SINCE_MS = 180 * 24 * 60 * 60 * 1000;

export class OktaSystemLog {
  private readonly entries: SandboxLogEvent[] = [];
  private readonly listeners: ((event: SandboxLogEvent) => void)[] = [];

  constructor(private readonly now: () => Date) {}

  /** Every event so far, in persistence order. */
  all(): readonly SandboxLogEvent[] {
    return this.entries;
  }

  onAppend(listener: (event: SandboxLogEvent) => void): void {
    this.listeners.push(listener);
  }

  append(input: NewLogEvent, context: LogContext): SandboxLogEvent {
    const event: SandboxLogEvent = {
      uuid: randomUUID(),
      published: this.now().toISOString(),
      eventType: input.eventType,
      version: '0',
      severity: 'INFO',
      legacyEventType: null,
      displayMessage: input.displayMessage,
      actor: context.actor,
      client: {
        userAgent: { rawUserAgent: context.apiTokenId === undefined ? 'Mozilla/5.0' : 'dialsync okta-sdk-nodejs', os: 'Unknown', browser: 'UNKNOWN' },
        zone: 'null',
        device: 'Unknown',
        id: null,
        ipAddress: '127.0.0.1',
        geographicalContext: null,
      },
      authenticationContext: {
        authenticationProvider: null,
        credentialProvider: null,
        credentialType: null,
        issuer: null,
        interface: null,
        authenticationStep: 0,
        externalSessionId: context.apiTokenId === undefined ? `idx${randomBytes(12).toString('base64url')}` : 'unknown',
      },
      securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
      request: { ipChain: [{ ip: '127.0.0.1', geographicalContext: null, version: 'V4', source: null }] },
      outcome: { result: 'SUCCESS', reason: null },
      target: input.target,
      transaction: {
        type: 'WEB',
        id: context.requestId,
        detail: context.apiTokenId === undefined ? {} : { requestApiTokenId: context.apiTokenId },
      },
      debugContext: { debugData: { requestId: context.requestId, requestUri: context.requestUri, url: context.requestUri } },
    };
    this.entries.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** GET /api/v1/logs with its query parameters. */
  query(params: URLSearchParams): LogQueryResult {
    const limit = parseLimit(params.get('limit'));
    const sortOrder = params.get('sortOrder') ?? 'ASCENDING';
    if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') {
      throw OktaSandboxError.validation('sortOrder', ['sortOrder: must be ASCENDING or DESCENDING']);
    }
    const untilRaw = params.get('until');
    const filter = combine(params.get('filter'), params.get('q'));
    const nowMs = this.now().getTime();
    const untilMs = untilRaw === null ? nowMs : parseTime(untilRaw);
    const sinceRaw = params.get('since');
    const sinceMs = sinceRaw === null ? untilMs - DEFAULT_WINDOW_MS : parseTime(sinceRaw);
    if (sinceMs < nowMs - OLDEST_SINCE_MS) {
      throw new OktaSandboxError(400, 'E0000053', 'Invalid date. The since parameter must be within the last 180 days.');
    }
    const after = params.get('after');
    if (untilRaw === null && sortOrder === 'ASCENDING') return this.poll(sinceMs, after, filter, limit);
    return this.bounded(sinceMs, untilMs, sortOrder, after, filter, limit);
  }

  private poll(sinceMs: number, after: string | null, filter: LogFilter, limit: number): LogQueryResult {
    // The cursor is the persistence sequence of the last event considered; seq n is entries[n - 1].
    let index = 0;
    if (after !== null) {
      const seq = Number(after.split('_').pop());
      if (!Number.isInteger(seq) || seq < 0 || seq > this.entries.length) {
        throw OktaSandboxError.validation('after', [`after: Invalid cursor ${after}`]);
      }
      index = seq;
    } else {
      // Events persisted before `since` are never read; the cursor starts past them.
      while (index < this.entries.length && Date.parse((this.entries[index] as SandboxLogEvent).published) < sinceMs) index += 1;
    }
    const events: SandboxLogEvent[] = [];
    while (index < this.entries.length && events.length < limit) {
      const event = this.entries[index] as SandboxLogEvent;
      index += 1;
      if (filter(event)) events.push(event);
    }
    return { events, nextAfter: `${this.now().getTime()}_${index}` };
  }

  private bounded(sinceMs: number, untilMs: number, sortOrder: string, after: string | null, filter: LogFilter, limit: number): LogQueryResult {
    const matching = this.entries
      .map((event, seq) => ({ event, seq, at: Date.parse(event.published) }))
      .filter(({ event, at }) => at >= sinceMs && at < untilMs && filter(event))
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (sortOrder === 'DESCENDING') matching.reverse();
    let offset = 0;
    if (after !== null) {
      const match = /^b_(\d+)$/.exec(after);
      if (match === null) throw OktaSandboxError.validation('after', [`after: Invalid cursor ${after}`]);
      offset = Number(match[1]);
    }
    const page = matching.slice(offset, offset + limit).map(({ event }) => event);
    const end = offset + page.length;
    return { events: page, nextAfter: end < matching.length ? `b_${end}` : undefined };
  }
}

function combine(filter: string | null, q: string | null): LogFilter {
  const byFilter = filter === null || filter.trim() === '' ? () => true : parseLogFilter(filter);
  if (q === null || q.trim() === '') return byFilter;
  // q: case-insensitive keywords, all of which must appear somewhere in the event.
  const keywords = q.toLowerCase().split(/\s+/).filter((k) => k !== '');
  return (event) => {
    if (!byFilter(event)) return false;
    const text = JSON.stringify(event).toLowerCase();
    return keywords.every((keyword) => text.includes(keyword));
  };
}

function parseLimit(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 0) throw OktaSandboxError.validation('limit', ['limit: must be an integer from 0 to 1000']);
  return Math.min(limit, MAX_LIMIT);
}

function parseTime(raw: string): number {
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) {
    throw new OktaSandboxError(400, 'E0000030', "Bad request. Invalid date. Dates must be of the form yyyy-MM-dd'T'HH:mm:ss.SSSZZ, e.g. 2013-01-01T12:00:00.000-07:00.");
  }
  return ms;
}
