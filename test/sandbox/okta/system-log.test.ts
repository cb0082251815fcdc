// The sandbox's System Log, /users/me, app group assignments and Event Hooks, as Okta serves them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OktaSandbox } from '../../../sandbox/okta/sandbox.js';

interface LogEventJson {
  uuid: string;
  published: string;
  eventType: string;
  version: string;
  severity: string;
  displayMessage: string;
  actor: { id: string; type: string; alternateId: string; displayName: string };
  target: { id: string; type: string; alternateId: string; displayName: string }[];
  outcome: { result: string };
  transaction: { id: string; type: string; detail: Record<string, unknown> };
  debugContext: { debugData: Record<string, unknown> };
}

let okta: OktaSandbox;

beforeEach(async () => {
  okta = new OktaSandbox({ hookBatchWindowMs: 20 });
  await okta.start();
});

afterEach(async () => {
  await okta.stop();
});

async function get(pathOrUrl: string): Promise<{ status: number; headers: Headers; json: unknown }> {
  const res = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${okta.url}${pathOrUrl}`, {
    headers: { Accept: 'application/json', Authorization: `SSWS ${okta.token}` },
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

function nextOf(headers: Headers): string | undefined {
  for (const part of (headers.get('link') ?? '').split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="next"$/.exec(part.trim());
    if (match !== null) return match[1];
  }
  return undefined;
}

function logs(query: Record<string, string>): string {
  return `/api/v1/logs?${new URLSearchParams(query).toString()}`;
}

function sdkClient(): Client {
  return new Client({ orgUrl: okta.url, token: okta.token, cacheMiddleware: null, requestExecutor: new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }) });
}

function events(): LogEventJson[] {
  return okta.systemLog.all() as unknown as LogEventJson[];
}

describe('OktaSandbox System Log events', () => {
  it('logs an admin assignment as application.user_membership.add with the AppUser, AppInstance and User targets', () => {
    const id = okta.createUser({ login: 'ann@example.com', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' });
    okta.assignUser(id);
    const add = events().find((event) => event.eventType === 'application.user_membership.add');
    expect(add).toMatchObject({
      version: '0',
      severity: 'INFO',
      displayMessage: 'Add user to application membership',
      actor: { id: okta.adminActorId, type: 'User' },
      outcome: { result: 'SUCCESS' },
      transaction: { type: 'WEB' },
    });
    expect(add?.target.map((t) => [t.type, t.id])).toEqual([
      ['AppUser', `0ua${id.slice(3)}`],
      ['AppInstance', okta.appId],
      ['User', id],
    ]);
    expect(add?.target[2]).toMatchObject({ alternateId: 'ann@example.com', displayName: 'Ann Lee' });
    expect(events().map((event) => event.eventType)).toEqual(['user.lifecycle.create', 'user.lifecycle.activate', 'application.user_membership.add']);
  });

  it('logs API profile writes as user.account.update_profile by the token owner, who is GET /api/v1/users/me', async () => {
    const id = okta.createUser({ login: 'bo@example.com', email: 'bo@example.com' });
    await sdkClient().userApi.updateUser({ userId: id, user: { profile: { dialpadPhone: '+12125550101' } } });
    const update = events().at(-1);
    expect(update).toMatchObject({ eventType: 'user.account.update_profile', actor: { id: okta.tokenOwnerId, type: 'User' } });
    expect(update?.target).toEqual([expect.objectContaining({ id, type: 'User' })]);
    expect(update?.transaction.detail).toEqual({ requestApiTokenId: expect.stringMatching(/^00T/) });
    expect(update?.debugContext.debugData).toMatchObject({ requestUri: `/api/v1/users/${id}` });
    // The transaction id is the request's X-Okta-Request-Id.
    const res = await fetch(`${okta.url}/api/v1/users/${id}`, {
      method: 'POST',
      headers: { Authorization: `SSWS ${okta.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: { title: 'Lead' } }),
    });
    expect(events().at(-1)?.transaction.id).toBe(res.headers.get('x-okta-request-id'));
    const me = await get('/api/v1/users/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: okta.tokenOwnerId, status: 'ACTIVE' });
    expect(okta.listUsers().map((user) => user.id)).not.toContain(okta.tokenOwnerId);
    okta.updateProfile(id, { title: 'Engineer' });
    expect(events().at(-1)).toMatchObject({ eventType: 'user.account.update_profile', actor: { id: okta.adminActorId } });
  });

  it('logs group, lifecycle and group-assignment changes, with the app membership changes they cause', () => {
    const a = okta.createUser({ login: 'a@example.com', email: 'a@example.com' });
    const b = okta.createUser({ login: 'b@example.com', email: 'b@example.com' }, { status: 'STAGED' });
    const group = okta.createGroup('Sales');
    okta.addToGroup(group, a);
    const mark = okta.systemLog.all().length;
    okta.assignGroup(group);
    okta.addToGroup(group, b);
    okta.setStatus(b, 'ACTIVE');
    okta.setStatus(a, 'SUSPENDED');
    okta.setStatus(a, 'ACTIVE');
    okta.removeFromGroup(group, b);
    okta.assignUser(a, { licenseType: 'talk' });
    okta.setAppProfile(a, { officeName: 'Austin' });
    okta.setStatus(a, 'DEPROVISIONED');
    okta.deleteUser(a);
    const summary = events()
      .slice(mark)
      .map((event) => `${event.eventType} ${event.target.filter((t) => t.type === 'User' || t.type === 'UserGroup').map((t) => t.id).join(',')}`);
    expect(summary).toEqual([
      `application.user_membership.add ${a}`,
      `group.user_membership.add ${b},${group}`,
      `application.user_membership.add ${b}`,
      `user.lifecycle.activate ${b}`,
      `user.lifecycle.suspend ${a}`,
      `user.lifecycle.unsuspend ${a}`,
      `group.user_membership.remove ${b},${group}`,
      `application.user_membership.remove ${b}`,
      `application.user_membership.update ${a}`,
      `application.user_membership.update ${a}`,
      `user.lifecycle.deactivate ${a}`,
      `application.user_membership.remove ${a}`,
      `user.lifecycle.delete.initiated ${a}`,
    ]);
  });
});

describe('OktaSandbox GET /api/v1/logs', () => {
  it('answers a polling query with a next link even when there is nothing new, and continues from it', async () => {
    okta.createUser({ login: 'old@example.com', email: 'old@example.com' });
    const since = new Date(Date.now() + 5).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const first = await get(logs({ since, limit: '2' }));
    expect(first.status).toBe(200);
    expect(first.json).toEqual([]);
    let next = nextOf(first.headers);
    expect(next).toMatch(/after=/);

    const id = okta.createUser({ login: 'new@example.com', email: 'new@example.com' });
    okta.assignUser(id);
    const page1 = await get(next as string);
    expect((page1.json as LogEventJson[]).map((e) => e.eventType)).toEqual(['user.lifecycle.create', 'user.lifecycle.activate']);
    next = nextOf(page1.headers);
    const page2 = await get(next as string);
    expect((page2.json as LogEventJson[]).map((e) => e.eventType)).toEqual(['application.user_membership.add']);
    const page3 = await get(nextOf(page2.headers) as string);
    expect(page3.json).toEqual([]);
    expect(nextOf(page3.headers)).toBeDefined();
  });

  it('filters by event types joined with or, and by target.id', async () => {
    const a = okta.createUser({ login: 'a@example.com', email: 'a@example.com' });
    const b = okta.createUser({ login: 'b@example.com', email: 'b@example.com' });
    okta.assignUser(a);
    okta.assignUser(b);
    okta.setStatus(b, 'SUSPENDED');
    const byType = await get(logs({ filter: 'eventType eq "application.user_membership.add" or eventType eq "user.lifecycle.suspend"' }));
    expect((byType.json as LogEventJson[]).map((e) => e.eventType)).toEqual([
      'application.user_membership.add',
      'application.user_membership.add',
      'user.lifecycle.suspend',
    ]);
    const byTarget = await get(logs({ filter: `(eventType sw "application.") and target.id eq "${b}"` }));
    expect((byTarget.json as LogEventJson[]).map((e) => e.target.find((t) => t.type === 'User')?.id)).toEqual([b]);
    const bad = await get(logs({ filter: 'eventType equals "x"' }));
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ errorCode: 'E0000031' });
  });

  it('ends a bounded query (with until) without a next link', async () => {
    for (let i = 0; i < 3; i += 1) okta.createUser({ login: `u${i}@example.com`, email: `u${i}@example.com` }, { status: 'STAGED' });
    const until = new Date(Date.now() + 1000).toISOString();
    const first = await get(logs({ until, limit: '2', sortOrder: 'DESCENDING' }));
    expect((first.json as LogEventJson[]).map((e) => e.target[0]?.alternateId)).toEqual(['u2@example.com', 'u1@example.com']);
    const second = await get(nextOf(first.headers) as string);
    expect((second.json as LogEventJson[]).map((e) => e.target[0]?.alternateId)).toEqual(['u0@example.com']);
    expect(nextOf(second.headers)).toBeUndefined();
  });

  it('counts /api/v1/logs in its own rate-limit bucket', async () => {
    await okta.stop();
    okta = new OktaSandbox({ rateLimits: { logs: 1 } });
    await okta.start();
    expect((await get(logs({}))).status).toBe(200);
    const limited = await get(logs({}));
    expect(limited.status).toBe(429);
    expect((await get('/api/v1/users/me')).status).toBe(200);
  });
});

describe('OktaSandbox GET /api/v1/apps/{appId}/groups', () => {
  it('lists the groups assigned to the app, page by page, for the SDK', async () => {
    const groups = Array.from({ length: 3 }, (_, i) => okta.createGroup(`G${i}`));
    okta.createGroup('Not assigned');
    for (const group of groups) okta.assignGroup(group, { officeName: 'Austin' });
    const first = await get(`/api/v1/apps/${okta.appId}/groups?limit=2`);
    expect((first.json as { id: string }[]).map((g) => g.id)).toEqual(groups.slice(0, 2));
    const second = await get(nextOf(first.headers) as string);
    expect(second.json).toEqual([expect.objectContaining({ id: groups[2], profile: { officeName: 'Austin' } })]);
    expect(nextOf(second.headers)).toBeUndefined();

    const collection = await sdkClient().applicationApi.listApplicationGroupAssignments({ appId: okta.appId, limit: 2 });
    const ids: (string | undefined)[] = [];
    for await (const group of collection) if (group !== null) ids.push(group.id);
    expect(ids).toEqual(groups);
  });
});

describe('OktaSandbox event hooks', () => {
  let receiver: Server | undefined;
  const received: { method: string; headers: IncomingMessage['headers']; body: string }[] = [];

  afterEach(async () => {
    received.length = 0;
    const server = receiver;
    receiver = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function listen(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ method: req.method ?? '', headers: req.headers, body });
        answer(req, body, res);
      });
    });
    receiver = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  }

  function verifying(status: (req: IncomingMessage) => number) {
    return (req: IncomingMessage, _body: string, res: ServerResponse) => {
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ verification: req.headers['x-okta-verification-challenge'] }));
        return;
      }
      res.statusCode = status(req);
      res.end();
    };
  }

  it('verifies with a GET challenge carrying the secret, then POSTs matching events shortly after they happen', async () => {
    const url = await listen(verifying(() => 200));
    const hookId = await okta.registerEventHook({ url, secret: 's3cret', eventTypes: ['application.user_membership.add'] });
    expect(received[0]).toMatchObject({ method: 'GET', headers: { authorization: 's3cret', 'x-okta-verification-challenge': expect.any(String) } });

    const a = okta.createUser({ login: 'a@example.com', email: 'a@example.com' });
    const b = okta.createUser({ login: 'b@example.com', email: 'b@example.com' });
    okta.assignUser(a);
    okta.assignUser(b);
    await okta.settleEventHooks();
    const posts = received.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers).toMatchObject({ authorization: 's3cret', 'content-type': 'application/json' });
    const body = JSON.parse(posts[0]?.body ?? '{}') as { data: { events: LogEventJson[] } } & Record<string, unknown>;
    expect(body).toMatchObject({
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      source: `${okta.url}/api/v1/eventHooks/${hookId}`,
      eventId: expect.any(String),
      eventTime: expect.any(String),
    });
    expect(body.data.events.map((e) => e.target.find((t) => t.type === 'User')?.id)).toEqual([a, b]);
    expect(okta.hookDeliveries).toEqual([expect.objectContaining({ hookId, attempt: 1, status: 200, duplicate: false })]);
  });

  it('refuses to register when the endpoint does not echo the challenge', async () => {
    const url = await listen((_req, _body, res) => {
      res.statusCode = 401;
      res.end();
    });
    await expect(okta.registerEventHook({ url, secret: 's', eventTypes: ['user.lifecycle.create'] })).rejects.toThrow(/verification failed: HTTP 401/);
    await expect(okta.registerEventHook({ url, secret: 's', eventTypes: ['application.user_membership.change_username'] })).rejects.toThrow(/not event-hook-eligible/);
  });

  it('retries once on a 5xx, never on a 4xx, sends the secret in a custom header, and can deliver twice', async () => {
    let posts = 0;
    const url = await listen(verifying(() => {
      posts += 1;
      return posts === 1 ? 503 : posts === 3 ? 400 : 204;
    }));
    await okta.registerEventHook({ url, secret: 'x', authHeader: 'X-Hook-Secret', eventTypes: ['user.lifecycle.suspend'], deliverTwice: true });
    const a = okta.createUser({ login: 'a@example.com', email: 'a@example.com' });
    okta.setStatus(a, 'SUSPENDED');
    await okta.settleEventHooks();
    expect(okta.hookDeliveries.map((d) => [d.duplicate, d.attempt, d.status])).toEqual([
      [false, 1, 503],
      [false, 2, 204],
      [true, 1, 400],
    ]);
    expect(received.filter((r) => r.method === 'POST').every((r) => r.headers['x-hook-secret'] === 'x' && r.headers.authorization === undefined)).toBe(true);
    const [first, , duplicate] = okta.hookDeliveries;
    expect(duplicate?.eventUuids).toEqual(first?.eventUuids);
  });
});
