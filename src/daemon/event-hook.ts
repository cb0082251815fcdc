// The Okta Event Hook endpoint, a plain node:http handler (fastify hands it the request unread, so it keeps its own
// body limit and constant-time secret check). Okta authenticates its requests only by a
// shared secret in one header (no signature), sends a one-time GET to verify the endpoint, then POSTs
// batches of LogEvents at least once, possibly out of order, and gives up on an answer slower than 3 s.
// Every replica serves it: a delivery's events are queued in the store before the 200, and the leader drains
// the queue (hook-queue-drainer.ts), so no event is lost with the replica that received it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { z } from 'zod';
import { configDefaults } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { parseLogEvents } from '../okta/log-event.js';
import { affectedUserId } from '../okta/relevant-events.js';
import type { EnqueueResult, HookQueueStore } from '../store/hook-queue.js';

/** A delivery larger than this is refused; Okta's batches are far smaller. */
export const MAX_HOOK_BODY_BYTES = 5 * 1024 * 1024;
/** The header of Okta's one-time verification GET, whose value the endpoint echoes as `{ verification }`. */
export const VERIFICATION_HEADER = 'x-okta-verification-challenge';

type Live<T> = T | (() => T);

/** What the event hook endpoint checks deliveries with and where it sends their users. */
export interface EventHookOptions {
  /** The value Okta sends in the header (the hook's channel.config.authScheme.value). */
  secret: string;
  /** The header carrying it; default daemon.hooks.headerName's (config/schema.ts). Case-insensitive. */
  headerName?: string;
  /**
   * Where a delivery's events are claimed by uuid (a delivery Okta sends again is handled once) and those that
   * concern users queued for the leader, in one transaction, before the answer.
   */
  hookQueue: Pick<HookQueueStore, 'enqueue'>;
  /** Stored with each queued event as the process that received it; default host name and pid. */
  receivedBy?: string;
  /** The Okta app whose assignments concern dialsync. */
  appId: string;
  /** The groups assigned to the app, read at each delivery (a Set kept up to date, or a function). */
  appGroupIds: Live<ReadonlySet<string>>;
  /** dialsync's own actor ids, read at each delivery: its write-backs are not work. */
  selfActorIds: Live<ReadonlySet<string> | readonly string[]>;
  /**
   * Told the users of the events just queued, after Okta has had its answer (the leader's drainer wakes on it; a
   * follower may ignore it: the leader polls the queue); must not throw.
   */
  onUsers: (oktaUserIds: string[]) => void;
  logger: Logger;
}

const deliverySchema = z.object({
  data: z.object({ events: z.array(z.unknown()) }),
});

/**
 * The request handler of the Okta event hook endpoint. Answers 401 without the secret, echoes the verification
 * challenge on GET, and on POST claims the delivery's events and queues the new ones that concern the app's users
 * in one transaction (500 when the store fails, so Okta sends it again), answers 200 once that committed and only
 * then hands the queued users to `onUsers`. 400 for a body that is not a delivery, 413 above MAX_HOOK_BODY_BYTES,
 * 405 for other methods.
 * @throws RangeError when `secret` is empty.
 */
export function createEventHookHandler(options: EventHookOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  if (options.secret === '') throw new RangeError('the event hook secret must not be empty');
  const headerName = (options.headerName ?? configDefaults().daemon.hooks.headerName).toLowerCase();
  const expected = digest(options.secret);
  const { logger } = options;
  const receivedBy = options.receivedBy ?? `${hostname()}:${process.pid}`;

  const authorized = (req: IncomingMessage): boolean => {
    const value = req.headers[headerName];
    if (typeof value !== 'string') return false;
    // Digests have one length, so the comparison takes the same time whatever was sent, length included.
    return timingSafeEqual(digest(value), expected);
  };

  return async (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') {
      req.resume();
      reply(res, 405, undefined, { Allow: 'GET, POST' });
      return;
    }
    if (!authorized(req)) {
      req.resume();
      logger.warn({ method, remoteAddress: req.socket.remoteAddress }, 'event hook request refused: missing or wrong secret');
      reply(res, 401);
      return;
    }

    if (method === 'GET') {
      // Okta's one-time verification: echo the challenge.
      req.resume();
      const challenge = req.headers[VERIFICATION_HEADER];
      if (typeof challenge !== 'string' || challenge === '') {
        reply(res, 400, { error: `expected the ${VERIFICATION_HEADER} header` });
        return;
      }
      logger.info('answered the Okta event hook verification');
      reply(res, 200, { verification: challenge });
      return;
    }

    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_HOOK_BODY_BYTES));
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError;
      logger.warn({ tooLarge }, 'event hook delivery refused: unreadable body');
      reply(res, tooLarge ? 413 : 400);
      return;
    }
    const delivery = deliverySchema.safeParse(body);
    if (!delivery.success) {
      logger.warn('event hook delivery refused: not an Okta event hook body');
      reply(res, 400);
      return;
    }
    const { events, rejected } = parseLogEvents(delivery.data.data.events);
    if (rejected > 0) logger.warn({ rejected }, 'skipped event hook items that are not LogEvents');

    const context = { appId: options.appId, appGroupIds: read(options.appGroupIds), selfActorIds: new Set(read(options.selfActorIds)) };
    const accepted = events.map((event) => {
      const user = affectedUserId(event, context);
      return { uuid: event.uuid, oktaUserIds: user === null ? [] : [user] };
    });
    let result: EnqueueResult;
    try {
      result = await options.hookQueue.enqueue(accepted, receivedBy);
    } catch (error) {
      // Answering 500 makes Okta send the delivery once more; nothing of it was written.
      logger.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'could not record event hook events');
      reply(res, 500);
      return;
    }
    reply(res, 200);

    const oktaUserIds = [...new Set(result.queued.flatMap((event) => event.oktaUserIds))];
    logger.info(
      { events: events.length, duplicates: events.length - result.fresh.length, queued: result.queued.length, users: oktaUserIds.length },
      'received an Okta event hook delivery',
    );
    if (oktaUserIds.length === 0) return;
    try {
      options.onUsers(oktaUserIds);
    } catch (error) {
      logger.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'could not queue the users of an event hook delivery');
    }
  };
}

function read<T>(value: Live<T>): T {
  return typeof value === 'function' ? (value as () => T)() : value;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined) {
    res.statusCode = status;
    res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

class BodyTooLargeError extends Error {
  readonly code = 'body_too_large';
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError('the body is too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
