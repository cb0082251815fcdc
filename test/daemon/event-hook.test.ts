// The Okta Event Hook endpoint on a real node:http server, driven by hand and by the Okta sandbox.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventHookHandler, type EventHookOptions } from '../../src/daemon/event-hook.js';
import { createLogger, type Logger } from '../../src/log/logger.js';
import { OktaSandbox } from '../../sandbox/okta/sandbox.js';
import { Store } from '../../src/store/store.js';
import { rawDatabase } from '../store/raw-database.js';

const APP = '0oaDIALPAD';
const SECRET = 'hook-secret-0123456789';

let store: Store;
let servers: Server[];
let delivered: string[][];
let logLines: string[];
let url: string;

function memoryLogger(): Logger {
  return createLogger('debug', { write: (line: string) => void logLines.push(line) } as unknown as NodeJS.WritableStream);
}

/** Serves a handler on a new port; `url` points at it from then on. Returns its URL. */
async function serve(overrides: Partial<EventHookOptions> = {}): Promise<string> {
  const handler = createEventHookHandler({
    secret: SECRET,
    hookQueue: store.hookQueue,
    receivedBy: 'replica-a:101',
    appId: APP,
    appGroupIds: new Set(['00gSALES']),
    selfActorIds: ['00uSELF'],
    onUsers: (ids) => delivered.push(ids),
    logger: memoryLogger(),
    ...overrides,
  });
  const s = createServer((req, res) => void handler(req, res));
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/okta/events`;
  return url;
}

beforeEach(async () => {
  store = await Store.open(':memory:');
  delivered = [];
  logLines = [];
  servers = [];
});

afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await store.close();
});

function assignmentEvent(uuid: string, userId: string, actorId = '00uADMIN'): Record<string, unknown> {
  return {
    uuid,
    published: '2026-11-29T10:00:00.000Z',
    eventType: 'application.user_membership.add',
    version: '0',
    severity: 'INFO',
    actor: { id: actorId, type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' },
    target: [
      { id: `0ua${userId}`, type: 'AppUser', alternateId: 'u@example.com', displayName: 'U' },
      { id: APP, type: 'AppInstance', alternateId: 'Dialpad', displayName: 'Dialpad' },
      { id: userId, type: 'User', alternateId: 'u@example.com', displayName: 'U' },
    ],
    outcome: { result: 'SUCCESS' },
  };
}

function delivery(events: Record<string, unknown>[]): string {
  return JSON.stringify({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://acme.okta.com/api/v1/eventHooks/who1',
    eventId: 'b5a188b9-5ece-4636-b041-482ffda96311',
    eventTime: '2026-11-29T10:00:01.000Z',
    contentType: 'application/json',
    data: { events },
  });
}

async function post(body: string, headers: Record<string, string> = { Authorization: SECRET }, to = url): Promise<Response> {
  return fetch(to, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

describe('createEventHookHandler', () => {
  it("answers Okta's verification challenge when the secret is right", async () => {
    await serve();
    const res = await fetch(url, { headers: { Authorization: SECRET, 'x-okta-verification-challenge': 'c4llenge' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ verification: 'c4llenge' });
  });

  it('refuses the verification without the secret', async () => {
    await serve();
    const res = await fetch(url, { headers: { 'x-okta-verification-challenge': 'c4llenge' } });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('');
  });

  it.each([
    ['no secret', {}],
    ['a wrong secret of the same length', { Authorization: SECRET.replace(/.$/, 'X') }],
    ['a wrong secret of another length', { Authorization: 'short' }],
    ['the secret in another header', { 'X-Other': SECRET }],
  ])('answers 401 to a delivery with %s, and triggers nothing', async (_name, headers: Record<string, string>) => {
    await serve();
    const res = await post(delivery([assignmentEvent('e1', '00u1')]), headers);
    expect(res.status).toBe(401);
    expect(delivered).toEqual([]);
    // Nothing was recorded either: the real delivery of e1 still counts.
    expect(await store.hookEvents.claim(['e1'])).toEqual(['e1']);
  });

  it('answers 200 at once and hands over the affected users; a duplicated event is applied once', async () => {
    await serve();
    const body = delivery([assignmentEvent('e1', '00u1'), assignmentEvent('e2', '00u2')]);
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('');
    const again = await post(delivery([assignmentEvent('e2', '00u2'), assignmentEvent('e3', '00u3')]));
    expect(again.status).toBe(200);
    const repeat = await post(body);
    expect(repeat.status).toBe(200);
    expect(delivered).toEqual([['00u1', '00u2'], ['00u3']]);
  });

  it("ignores events that do not concern the app's users, and dialsync's own write-backs", async () => {
    await serve({ selfActorIds: () => new Set(['00uSELF']) });
    const writeBack = { ...assignmentEvent('e1', '00u1', '00uSELF'), eventType: 'user.account.update_profile', target: [{ id: '00u1', type: 'User' }] };
    const otherApp = assignmentEvent('e2', '00u2');
    (otherApp.target as { id: string }[])[1] = { id: '0oaOTHER', type: 'AppInstance' } as never;
    const otherGroup = { ...assignmentEvent('e3', '00u3'), eventType: 'group.user_membership.add', target: [{ id: '00u3', type: 'User' }, { id: '00gOTHER', type: 'UserGroup' }] };
    const salesGroup = { ...assignmentEvent('e4', '00u4'), eventType: 'group.user_membership.add', target: [{ id: '00u4', type: 'User' }, { id: '00gSALES', type: 'UserGroup' }] };
    const res = await post(delivery([writeBack, otherApp, otherGroup, salesGroup]));
    expect(res.status).toBe(200);
    expect(delivered).toEqual([['00u4']]);
  });

  it('uses the configured header, case-insensitively', async () => {
    await serve({ headerName: 'X-Okta-Secret' });
    expect((await post(delivery([assignmentEvent('e1', '00u1')]))).status).toBe(401);
    expect((await post(delivery([assignmentEvent('e1', '00u1')]), { 'x-okta-secret': SECRET })).status).toBe(200);
    expect(delivered).toEqual([['00u1']]);
  });

  it('answers 400 to a body that is not an Okta event hook delivery, and 405 to other methods', async () => {
    await serve();
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ data: { events: 'nope' } }))).status).toBe(400);
    expect((await fetch(url, { method: 'PUT', headers: { Authorization: SECRET } })).status).toBe(405);
    expect((await fetch(url, { headers: { Authorization: SECRET } })).status).toBe(400);
    expect(delivered).toEqual([]);
  });

  it('answers 500 (so that Okta retries) when the events cannot be recorded', async () => {
    await serve();
    await rawDatabase(store).schema.dropTable('hook_events');
    const res = await post(delivery([assignmentEvent('e1', '00u1')]));
    expect(res.status).toBe(500);
    expect(delivered).toEqual([]);
  });

  it('answers 200 only with the relevant events queued: the queue reads back their users and the receiving process', async () => {
    await serve();
    const unrelated = { ...assignmentEvent('e2', '00u2'), eventType: 'group.user_membership.add', target: [{ id: '00u2', type: 'User' }, { id: '00gOTHER', type: 'UserGroup' }] };
    const res = await post(delivery([assignmentEvent('e1', '00u1'), unrelated, assignmentEvent('e3', '00u3')]));
    expect(res.status).toBe(200);
    const queued = await store.hookQueue.pending(10);
    expect(queued.map((event) => [event.uuid, event.oktaUserIds, event.receivedBy])).toEqual([
      ['e1', ['00u1'], 'replica-a:101'],
      ['e3', ['00u3'], 'replica-a:101'],
    ]);
    // The unrelated event was claimed all the same: a redelivery of it is a duplicate.
    expect(await store.hookEvents.claim(['e2'])).toEqual([]);
  });

  it('answers 500 when the queue cannot take the events, and claims none of them (the retry is queued)', async () => {
    await serve();
    await rawDatabase(store).schema.renameTable('hook_queue', 'hook_queue_away');
    expect((await post(delivery([assignmentEvent('e1', '00u1')]))).status).toBe(500);
    expect(delivered).toEqual([]);
    await rawDatabase(store).schema.renameTable('hook_queue_away', 'hook_queue');
    // Okta's retry of the same delivery is accepted and queued: the failed attempt left no claim behind.
    expect((await post(delivery([assignmentEvent('e1', '00u1')]))).status).toBe(200);
    expect((await store.hookQueue.pending(10)).map((event) => event.uuid)).toEqual(['e1']);
    expect(delivered).toEqual([['00u1']]);
  });

  it('queues an event delivered to two replicas sharing the store once', async () => {
    const first = await serve({ receivedBy: 'replica-a:101' });
    const second = await serve({ receivedBy: 'replica-b:202' });
    const body = delivery([assignmentEvent('e1', '00u1'), assignmentEvent('e2', '00u2')]);
    const answers = await Promise.all([post(body, undefined, first), post(body, undefined, second)]);
    expect(answers.map((res) => res.status)).toEqual([200, 200]);
    expect((await store.hookQueue.pending(10)).map((event) => [event.uuid, event.oktaUserIds])).toEqual([
      ['e1', ['00u1']],
      ['e2', ['00u2']],
    ]);
    // Only the replica that queued the events wakes its drainer with their users.
    expect(delivered).toEqual([['00u1', '00u2']]);
  });

  it('never writes the secret to the log, even at debug level', async () => {
    await serve();
    await post(delivery([assignmentEvent('e1', '00u1')]));
    await post(delivery([assignmentEvent('e2', '00u2')]), { Authorization: `${SECRET}-wrong` });
    await fetch(url, { headers: { Authorization: SECRET, 'x-okta-verification-challenge': 'c' } });
    expect(logLines.length).toBeGreaterThanOrEqual(3);
    expect(logLines.join('\n')).not.toContain(SECRET);
  });
});

describe('createEventHookHandler with the Okta sandbox', () => {
  let okta: OktaSandbox;

  afterEach(async () => {
    await okta.stop();
  });

  it('is verified by Okta, receives an assignment within a second, and applies a twice-delivered event once', async () => {
    okta = new OktaSandbox({ appId: APP, hookBatchWindowMs: 50 });
    await okta.start();
    await serve();
    await okta.registerEventHook({
      url,
      secret: SECRET,
      eventTypes: ['application.user_membership.add', 'user.account.update_profile'],
      deliverTwice: true,
    });
    const started = Date.now();
    const ann = okta.createUser({ login: 'ann@example.com', email: 'ann@example.com' });
    okta.assignUser(ann);
    await okta.settleEventHooks();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(okta.hookDeliveries.map((d) => [d.duplicate, d.status])).toEqual([
      [false, 200],
      [true, 200],
    ]);
    expect(delivered).toEqual([[ann]]);
  });

  it('a hook registered with the wrong secret fails verification and delivers nothing', async () => {
    okta = new OktaSandbox({ appId: APP, hookBatchWindowMs: 20 });
    await okta.start();
    await serve();
    await expect(okta.registerEventHook({ url, secret: 'not-the-secret', eventTypes: ['application.user_membership.add'] })).rejects.toThrow(/HTTP 401/);
    okta.assignUser(okta.createUser({ login: 'bo@example.com', email: 'bo@example.com' }));
    await okta.settleEventHooks();
    expect(okta.hookDeliveries).toEqual([]);
    expect(delivered).toEqual([]);
  });
});
