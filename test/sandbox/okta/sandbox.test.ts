import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OktaSandbox } from '../../../sandbox/okta/sandbox.js';

interface Reply {
  status: number;
  headers: Headers;
  json: unknown;
}

let okta: OktaSandbox;

async function call(path: string, init: { method?: string; body?: unknown; auth?: string | null } = {}): Promise<Reply> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const auth = init.auth === undefined ? `SSWS ${okta.token}` : init.auth;
  if (auth !== null) headers.Authorization = auth;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path.startsWith('http') ? path : `${okta.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

/** The rel → URL map of the separate `link` headers (fetch joins them with ', '). */
function links(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (headers.get('link') ?? '').split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="([^"]+)"$/.exec(part.trim());
    if (match !== null) out[match[2] as string] = match[1] as string;
  }
  return out;
}

type AppUserJson = { id: string; scope: string; profile: Record<string, unknown>; credentials: { userName: string }; _embedded?: { user: { status: string; profile: Record<string, unknown> } } };
type UserJson = { id: string; status: string; lastUpdated: string; profile: Record<string, unknown> };

function hire(login: string, appProfile: Record<string, string> = {}, extra: Record<string, string> = {}): string {
  const id = okta.createUser({ login, email: login, firstName: login.split('@')[0] ?? login, lastName: 'Test', ...extra });
  okta.assignUser(id, appProfile);
  return id;
}

beforeEach(async () => {
  okta = new OktaSandbox({ appId: '0oaDIALPAD0000000001', token: 'test-token' });
  await okta.start();
});

afterEach(async () => {
  await okta.stop();
});

describe('OktaSandbox authentication and headers', () => {
  it('answers 401 E0000011 in Okta error shape for a missing or wrong token', async () => {
    for (const auth of [null, 'SSWS wrong', `Basic ${okta.token}`]) {
      const reply = await call(`/api/v1/apps/${okta.appId}/users`, { auth });
      expect(reply.status).toBe(401);
      expect(reply.json).toMatchObject({
        errorCode: 'E0000011',
        errorSummary: 'Invalid token provided',
        errorLink: 'E0000011',
        errorCauses: [],
      });
      expect((reply.json as { errorId: string }).errorId).toMatch(/^oae/);
    }
    expect(okta.requests.map((r) => r.status)).toEqual([401, 401, 401]);
  });

  it('accepts SSWS and Bearer, and sends JSON, Date and rate-limit headers', async () => {
    for (const auth of [`SSWS ${okta.token}`, `Bearer ${okta.token}`]) {
      const reply = await call(`/api/v1/apps/${okta.appId}`, { auth });
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ id: okta.appId, name: 'dialpad', label: 'Dialpad', status: 'ACTIVE' });
      expect(reply.headers.get('content-type')).toBe('application/json');
      expect(reply.headers.get('date')).not.toBeNull();
      expect(Number(reply.headers.get('x-rate-limit-limit'))).toBeGreaterThan(0);
      expect(Number(reply.headers.get('x-rate-limit-remaining'))).toBeGreaterThan(0);
      expect(Number(reply.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    }
  });

  it('answers 404 E0000007 for another app id', async () => {
    const reply = await call('/api/v1/apps/0oaOTHER/users');
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 0oaOTHER (AppInstance)' });
  });

  it('refuses with 429 E0000047 once a bucket is spent, leaving other buckets alone', async () => {
    await okta.stop();
    okta = new OktaSandbox({ token: 't', rateLimits: { apps: 2 } });
    await okta.start();
    const id = hire('a@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(`/api/v1/apps/${okta.appId}/users`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await call(`/api/v1/apps/${okta.appId}/users`);
    expect(refused.json).toMatchObject({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' });
    expect(refused.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(refused.headers.get('x-rate-limit-limit')).toBe('2');
    expect((await call(`/api/v1/users/${id}`)).status).toBe(200);
  });
});

describe('OktaSandbox app-user listing', () => {
  it('pages with absolute Link headers whose next link keeps limit but drops expand=user (okta-sdk-nodejs#439)', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => hire(`user${i}@example.com`, { licenseType: 'dialpad_talk' }));
    const first = await call(`/api/v1/apps/${okta.appId}/users?limit=3&expand=user`);
    expect(first.status).toBe(200);
    const firstItems = first.json as AppUserJson[];
    expect(firstItems.map((u) => u.id)).toEqual(ids.slice(0, 3));
    expect(firstItems.every((u) => u._embedded?.user.status === 'ACTIVE')).toBe(true);
    const firstLinks = links(first.headers);
    expect(firstLinks.self).toBe(`${okta.url}/api/v1/apps/${okta.appId}/users?limit=3&expand=user`);
    const next = new URL(firstLinks.next ?? '');
    expect(next.origin).toBe(okta.url);
    expect(next.searchParams.get('limit')).toBe('3');
    expect(next.searchParams.get('after')).toBe(ids[2]);
    expect(next.searchParams.has('expand')).toBe(false);

    const second = await call(firstLinks.next ?? '');
    const secondItems = second.json as AppUserJson[];
    expect(secondItems.map((u) => u.id)).toEqual(ids.slice(3, 6));
    expect(secondItems.every((u) => u._embedded === undefined)).toBe(true);

    const third = await call(links(second.headers).next ?? '');
    expect((third.json as AppUserJson[]).map((u) => u.id)).toEqual(ids.slice(6));
    expect(links(third.headers).next).toBeUndefined();
    expect(links(third.headers).self).toBeDefined();
  });

  it('defaults to 50 per page and clamps limit to 500', async () => {
    for (let i = 0; i < 502; i += 1) hire(`bulk${i}@example.com`);
    const byDefault = await call(`/api/v1/apps/${okta.appId}/users`);
    expect((byDefault.json as unknown[]).length).toBe(50);
    const clamped = await call(`/api/v1/apps/${okta.appId}/users?limit=1000`);
    expect((clamped.json as unknown[]).length).toBe(500);
    expect(new URL(links(clamped.headers).next ?? '').searchParams.get('limit')).toBe('500');
    const rest = await call(links(clamped.headers).next ?? '');
    expect((rest.json as unknown[]).length).toBe(2);
    expect(links(rest.headers).next).toBeUndefined();
  });

  it('shows the AppUser fields with credentials.userName = login', async () => {
    const id = hire('ann@example.com', { licenseType: 'dialpad_talk', officeName: 'New York' });
    const reply = await call(`/api/v1/apps/${okta.appId}/users/${id}`);
    expect(reply.json).toMatchObject({
      id,
      externalId: null,
      scope: 'USER',
      status: 'ACTIVE',
      syncState: 'DISABLED',
      passwordChanged: null,
      credentials: { userName: 'ann@example.com' },
      profile: { licenseType: 'dialpad_talk', officeName: 'New York' },
    });
    expect(reply.json).not.toHaveProperty('_embedded');
    const expanded = await call(`/api/v1/apps/${okta.appId}/users/${id}?expand=user`);
    expect((expanded.json as AppUserJson)._embedded?.user.profile).toMatchObject({ login: 'ann@example.com', firstName: 'ann' });
  });

  it('gives group members scope GROUP with the group profile; a direct assignment wins and appears once', async () => {
    const group = okta.createGroup('Sales');
    const onlyGroup = okta.createUser({ login: 'g@example.com', email: 'g@example.com' });
    const both = okta.createUser({ login: 'b@example.com', email: 'b@example.com' });
    okta.addToGroup(group, onlyGroup);
    okta.addToGroup(group, both);
    okta.assignGroup(group, { licenseType: 'Dialpad_Ai Sales' });
    okta.assignUser(both, { licenseType: 'dialpad_talk' });

    const list = (await call(`/api/v1/apps/${okta.appId}/users`)).json as AppUserJson[];
    expect(list.map((u) => [u.id, u.scope, u.profile.licenseType])).toEqual([
      [onlyGroup, 'GROUP', 'Dialpad_Ai Sales'],
      [both, 'USER', 'dialpad_talk'],
    ]);

    okta.setAppProfile(onlyGroup, { officeName: 'Austin' });
    expect(okta.getAppUser(onlyGroup)).toEqual({ scope: 'GROUP', profile: { licenseType: 'Dialpad_Ai Sales', officeName: 'Austin' } });

    okta.removeFromGroup(group, onlyGroup);
    expect((await call(`/api/v1/apps/${okta.appId}/users/${onlyGroup}`)).status).toBe(404);
  });

  it('filters with q as a starts-with match on login, names and email', async () => {
    hire('alice@example.com');
    const bob = hire('bob@example.com');
    const reply = await call(`/api/v1/apps/${okta.appId}/users?q=BO`);
    expect((reply.json as AppUserJson[]).map((u) => u.id)).toEqual([bob]);
  });

  it('matches q against the start of the first name, last name, login or email of assigned users only, and pages with it', async () => {
    const ann = hire('ann.lee@example.com', {}, { firstName: 'Ann', lastName: 'Lee' });
    const zoe = hire('zoe.kim@example.com', {}, { firstName: 'Lee', lastName: 'Kim' });
    const bob = hire('bob@example.com', {}, { firstName: 'Bob', lastName: 'Colee' });
    okta.createUser({ login: 'lee.out@example.com', email: 'lee.out@example.com', firstName: 'Lee', lastName: 'Out' });
    const first = await call(`/api/v1/apps/${okta.appId}/users?q=lee&limit=1`);
    expect((first.json as AppUserJson[]).map((u) => u.id)).toEqual([ann]);
    // The next link keeps q and limit (and, as Okta's does, drops expand).
    const next = new URL(links(first.headers).next ?? '');
    expect([next.searchParams.get('q'), next.searchParams.get('limit')]).toEqual(['lee', '1']);
    const second = await call(next.href);
    expect((second.json as AppUserJson[]).map((u) => u.id)).toEqual([zoe]);
    expect(links(second.headers).next).toBeUndefined();
    // A starts-with match: the middle of a name or an email does not count.
    expect(((await call(`/api/v1/apps/${okta.appId}/users?q=Colee`)).json as AppUserJson[]).map((u) => u.id)).toEqual([bob]);
    expect((await call(`/api/v1/apps/${okta.appId}/users?q=olee`)).json).toEqual([]);
  });

  it('updates the app-user profile partially with POST', async () => {
    const id = hire('c@example.com', { licenseType: 'dialpad_talk', officeName: 'London' });
    const reply = await call(`/api/v1/apps/${okta.appId}/users/${id}`, { method: 'POST', body: { profile: { dialpadPhone: '+15550001' } } });
    expect(reply.status).toBe(200);
    expect((reply.json as AppUserJson).profile).toEqual({ licenseType: 'dialpad_talk', officeName: 'London', dialpadPhone: '+15550001' });
  });
});

describe('OktaSandbox user lifecycle', () => {
  it('removes a deactivated user from the app; a suspended user stays assigned', async () => {
    const deactivated = hire('d@example.com');
    const suspended = hire('s@example.com');
    okta.setStatus(deactivated, 'DEPROVISIONED');
    okta.setStatus(suspended, 'SUSPENDED');

    const list = (await call(`/api/v1/apps/${okta.appId}/users?expand=user`)).json as AppUserJson[];
    expect(list.map((u) => [u.id, u._embedded?.user.status])).toEqual([[suspended, 'SUSPENDED']]);
    const gone = await call(`/api/v1/apps/${okta.appId}/users/${deactivated}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${deactivated} (AppUser)` });
    expect(((await call(`/api/v1/users/${deactivated}`)).json as UserJson).status).toBe('DEPROVISIONED');

    // Reactivation does not bring back a direct assignment.
    okta.setStatus(deactivated, 'ACTIVE');
    expect((await call(`/api/v1/apps/${okta.appId}/users/${deactivated}`)).status).toBe(404);
  });

  it('answers 404 for a deleted user and drops it from the app', async () => {
    const id = hire('e@example.com');
    okta.deleteUser(id);
    const reply = await call(`/api/v1/users/${id}`);
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${id} (User)` });
    expect((await call(`/api/v1/apps/${okta.appId}/users`)).json).toEqual([]);
    expect(okta.getUser(id)).toBeUndefined();
  });

  it('finds a user by id or by login, case-insensitively', async () => {
    const id = okta.createUser({ login: 'Fay.Lin@example.com', email: 'fay.lin@example.com', firstName: 'Fay', lastName: 'Lin' });
    const byLogin = await call('/api/v1/users/fay.lin@EXAMPLE.com');
    expect(byLogin.status).toBe(200);
    expect(byLogin.json).toMatchObject({
      id,
      status: 'ACTIVE',
      type: { id: expect.any(String) },
      profile: { login: 'Fay.Lin@example.com', email: 'fay.lin@example.com', firstName: 'Fay', lastName: 'Lin', mobilePhone: null },
      _links: { self: { href: `${okta.url}/api/v1/users/${id}` } },
    });
  });
});

describe('OktaSandbox user profile updates', () => {
  it('POST merges the profile; PUT replaces it; both are recorded', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    await okta.stop();
    okta = new OktaSandbox({ token: 't', now: () => new Date(clock) });
    await okta.start();
    const id = okta.createUser({ login: 'p@example.com', email: 'p@example.com', firstName: 'Pat', lastName: 'Lee', title: 'CFO' });

    clock += 60_000;
    const posted = await call(`/api/v1/users/${id}`, { method: 'POST', body: { profile: { dialpadPhone: '+12125550101' } } });
    expect(posted.status).toBe(200);
    expect((posted.json as UserJson).profile).toMatchObject({ firstName: 'Pat', lastName: 'Lee', title: 'CFO', dialpadPhone: '+12125550101' });
    expect((posted.json as UserJson).lastUpdated).toBe('2026-01-01T00:01:00.000Z');

    const cleared = await call(`/api/v1/users/${id}`, { method: 'POST', body: { profile: { title: null } } });
    expect((cleared.json as UserJson).profile).not.toHaveProperty('title');

    const put = await call(`/api/v1/users/${id}`, { method: 'PUT', body: { profile: { login: 'p@example.com', email: 'p@example.com' } } });
    expect(put.status).toBe(200);
    expect(okta.getUser(id)?.profile).toEqual({ login: 'p@example.com', email: 'p@example.com' });

    expect(okta.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', `/api/v1/users/${id}`, 200],
      ['POST', `/api/v1/users/${id}`, 200],
      ['PUT', `/api/v1/users/${id}`, 200],
    ]);
  });

  it('refuses an attribute outside the profile schema with 400 E0000001, until it is defined', async () => {
    await okta.stop();
    okta = new OktaSandbox({ token: 't', customUserAttributes: [] });
    await okta.start();
    const id = okta.createUser({ login: 'q@example.com', email: 'q@example.com' });
    const refused = await call(`/api/v1/users/${id}`, { method: 'POST', body: { profile: { dialpadPhone: '+1' } } });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: profile',
      errorCauses: [{ errorSummary: "Property name 'dialpadPhone' is not defined in profile schema" }],
    });
    expect(okta.getUser(id)?.profile).not.toHaveProperty('dialpadPhone');

    okta.defineUserAttribute('dialpadPhone');
    expect((await call(`/api/v1/users/${id}`, { method: 'POST', body: { profile: { dialpadPhone: '+1' } } })).status).toBe(200);
  });

  it('with an app user profile schema, refuses an app user attribute outside it with 400 E0000001, until it is defined', async () => {
    await okta.stop();
    okta = new OktaSandbox({ token: 't', appUserAttributes: ['officeName', 'licenseType'] });
    await okta.start();
    const id = okta.createUser({ login: 's@example.com', email: 's@example.com' });
    okta.assignUser(id, { officeName: 'New York' });
    const path = `/api/v1/apps/${okta.appId}/users/${id}`;
    const refused = await call(path, { method: 'POST', body: { profile: { dialpadPhone: '+1' } } });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: profile',
      errorCauses: [{ errorSummary: "Property name 'dialpadPhone' is not defined in profile schema" }],
    });
    expect(okta.getAppUser(id)?.profile).toEqual({ officeName: 'New York' });

    okta.defineAppUserAttribute('dialpadPhone');
    expect((await call(path, { method: 'POST', body: { profile: { dialpadPhone: '+1' } } })).status).toBe(200);
    expect(okta.getAppUser(id)?.profile).toEqual({ officeName: 'New York', dialpadPhone: '+1' });
  });

  it('answers 400 E0000003 to a body that is not JSON', async () => {
    const id = okta.createUser({ login: 'r@example.com' });
    const res = await fetch(`${okta.url}/api/v1/users/${id}`, {
      method: 'POST',
      headers: { Authorization: `SSWS ${okta.token}`, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000003' });
  });
});

describe('OktaSandbox org metadata and other apps', () => {
  it('tells its org id without credentials, as /.well-known/okta-organization does', async () => {
    const reply = await call('/.well-known/okta-organization', { auth: null });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ id: okta.orgId, _links: { organization: { href: okta.url } } });
    expect(okta.orgId).toMatch(/^00o/);
  });

  it('answers for another app of the org, with nobody assigned to it', async () => {
    hire('ann@acme.com');
    const other = okta.addEmptyApp();
    expect(other).not.toBe(okta.appId);
    expect((await call(`/api/v1/apps/${other}`)).json).toMatchObject({ id: other, status: 'ACTIVE' });
    expect((await call(`/api/v1/apps/${other}/users?expand=user`)).json).toEqual([]);
    expect((await call(`/api/v1/apps/${other}/groups`)).json).toEqual([]);
    expect((await call(`/api/v1/apps/${okta.appId}/users`)).json).toHaveLength(1);
    expect((await call('/api/v1/apps/0oaNOSUCHAPP00000000')).status).toBe(404);
  });
});
