import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DialpadSandbox } from '../../../sandbox/dialpad/sandbox.js';
import { parseJsonKeepingInt64 } from '../../../sandbox/dialpad/int64-json.js';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed keeping int64 exact: ids are decimal strings here. */
  json: Record<string, unknown>;
}

type UserJson = { id: string; office_id: string; emails: string[]; phone_numbers?: string[]; state: string; license: string; country: string };
type NumberJson = { number: string; status: string; target_id?: string; target_type?: string; office_id: string; area_code: string };

let dialpad: DialpadSandbox;
let newYork: string;
let austin: string;
let london: string;

async function call(path: string, init: { method?: string; body?: unknown; rawBody?: string; auth?: string | null } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const auth = init.auth === undefined ? `Bearer ${dialpad.apiKey}` : init.auth;
  if (auth !== null) headers.Authorization = auth;
  const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${dialpad.url}${path}`, { method: init.method ?? 'GET', headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parseJsonKeepingInt64(text) as Record<string, unknown> };
}

async function createUser(body: Record<string, unknown>): Promise<UserJson> {
  const reply = await call('/api/v2/users', { method: 'POST', body });
  expect(reply.status).toBe(200);
  return reply.json as unknown as UserJson;
}

beforeEach(async () => {
  dialpad = new DialpadSandbox({ apiKey: 'key' });
  await dialpad.start();
  newYork = dialpad.addOffice({ name: 'New York', country: 'us', isPrimary: true, mainLine: '+12125550100', licenses: { talk_lines: 2, contact_center_lines: 1 } });
  austin = dialpad.addOffice({ name: 'Austin', country: 'us', mainLine: '+15125550100', licenses: { talk_lines: 0 } });
  london = dialpad.addOffice({ name: 'London', country: 'gb', mainLine: '+442079460000' });
});

afterEach(async () => {
  await dialpad.stop();
});

describe('DialpadSandbox authentication, errors and ids', () => {
  it('answers 401 in the error shape without a valid key, and accepts ?apikey=', async () => {
    for (const auth of [null, 'Bearer nope', `SSWS ${dialpad.apiKey}`]) {
      const reply = await call('/api/v2/company', { auth });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({
        error: { code: 401, message: 'Invalid or missing API key', errors: [{ domain: 'global', reason: 'unauthorized', message: 'Invalid or missing API key' }] },
      });
    }
    expect((await call(`/api/v2/company?apikey=${dialpad.apiKey}`, { auth: null })).status).toBe(200);
  });

  it('checks the key before the body, and answers 400 to a body that is not JSON', async () => {
    expect((await call('/api/v2/users', { method: 'POST', rawBody: '{oops', auth: null })).status).toBe(401);
    const bad = await call('/api/v2/users', { method: 'POST', rawBody: '{oops' });
    expect(bad.status).toBe(400);
    expect(dialpad.requests.map((r) => [r.status, r.body])).toEqual([[401, '{oops'], [400, '{oops']]);
  });

  it('answers 404 in the error shape for an unknown route and an unknown user', async () => {
    const route = await call('/api/v2/nothing');
    expect(route.status).toBe(404);
    expect(route.json).toMatchObject({ error: { code: 404, errors: [{ reason: 'notFound' }] } });
    expect((await call('/api/v2/users/6200000000000099999')).status).toBe(404);
  });

  it('emits int64 ids above 2^53 as bare JSON numbers', async () => {
    const company = await call('/api/v2/company');
    expect(company.text).toMatch(/"id":4700000000000000001[,}]/);
    expect(company.json).toMatchObject({ account_type: 'enterprise', office_count: 3, country: 'us', state: 'active' });

    const user = await createUser({ email: 'a@example.com', office_id: newYork });
    expect(BigInt(user.id)).toBeGreaterThan(2n ** 53n);
    const raw = await call(`/api/v2/users/${user.id}`);
    expect(raw.text).toContain(`"id":${user.id},`);
    expect(raw.text).toContain(`"office_id":${newYork},`);
    // A plain JSON.parse loses the id: this is what a client must guard against.
    expect(String((JSON.parse(raw.text) as { id: number }).id)).not.toBe(user.id);
  });

  it('stands for another company when given its id: its own company id, and user and office ids of its own', async () => {
    const other = new DialpadSandbox({ company: { id: '4700000000000000002', name: 'Other Corp' } });
    await other.start();
    try {
      const otherOffice = other.addOffice({ name: 'New York', country: 'us' });
      const otherUser = other.addUser({ email: 'a@example.com', officeId: otherOffice });
      const firstUser = dialpad.addUser({ email: 'a@example.com', officeId: newYork });
      expect(other.companyId).toBe('4700000000000000002');
      expect(otherOffice).not.toBe(newYork);
      expect(otherUser).not.toBe(firstUser);
      const response = await fetch(`${other.url}/api/v2/company`, { headers: { Authorization: `Bearer ${other.apiKey}` } });
      expect(await response.text()).toMatch(/"id":4700000000000000002,"name":"Other Corp"/);
      // Each company answers for its own users only.
      expect((await call(`/api/v2/users/${otherUser}`)).status).toBe(404);
    } finally {
      await other.stop();
    }
  });

  it('accepts int64 ids in bodies as bare numbers or strings', async () => {
    const asNumber = await call('/api/v2/users', { method: 'POST', rawBody: `{"email":"n@example.com","office_id":${london}}` });
    expect(asNumber.status).toBe(200);
    expect((asNumber.json as unknown as UserJson).office_id).toBe(london);
    const asString = await createUser({ email: 's@example.com', office_id: austin });
    expect(asString.office_id).toBe(austin);
  });

  it('answers 429 with Retry-After once the per-second limit is spent', async () => {
    await dialpad.stop();
    dialpad = new DialpadSandbox({ apiKey: 'key', rateLimit: { perSecond: 2 }, now: () => new Date('2026-01-01T00:00:00.200Z') });
    await dialpad.start();
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push(await call('/api/v2/offices'));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(statuses[2]?.headers.get('retry-after')).toBe('1');
    expect(statuses[2]?.json).toMatchObject({ error: { code: 429, errors: [{ reason: 'rateLimitExceeded' }] } });
  });

  it('counts a sliding window when asked, and takes a lower limit mid-run', async () => {
    await dialpad.stop();
    let now = Date.parse('2026-01-01T00:00:00.900Z');
    dialpad = new DialpadSandbox({ apiKey: 'key', rateLimit: { perSecond: 3, window: 'sliding' }, now: () => new Date(now) });
    await dialpad.start();
    const statusesAt = async (...times: number[]): Promise<number[]> => {
      const statuses: number[] = [];
      for (const time of times) {
        now = Date.parse('2026-01-01T00:00:00.000Z') + time;
        statuses.push((await call('/api/v2/offices')).status);
      }
      return statuses;
    };
    // 3 in the last second at 1000 ms: a fixed 1 s window would have started afresh.
    expect(await statusesAt(900, 950, 990, 1000)).toEqual([200, 200, 200, 429]);
    dialpad.setRateLimit(1);
    // At 1950 the requests of 900 and 950 have left the window, the one of 990 has not: 1 in the window, limit 1.
    expect(await statusesAt(1950, 1990)).toEqual([429, 200]);
  });
});

describe('DialpadSandbox listings', () => {
  it('pages users 100 at a time with an opaque cursor, absent on the last page', async () => {
    for (let i = 0; i < 250; i += 1) dialpad.addUser({ email: `u${i}@example.com`, officeId: london });
    const seen: string[] = [];
    let path = '/api/v2/users?limit=500';
    const sizes: number[] = [];
    for (;;) {
      const page = await call(path);
      const items = page.json.items as UserJson[];
      sizes.push(items.length);
      seen.push(...items.map((u) => u.emails[0] ?? ''));
      const cursor = page.json.cursor;
      if (cursor === undefined) break;
      expect(typeof cursor).toBe('string');
      path = `/api/v2/users?cursor=${encodeURIComponent(String(cursor))}`;
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(new Set(seen).size).toBe(250);
    expect(((await call('/api/v2/users?limit=30')).json.items as unknown[]).length).toBe(30);
    expect((await call('/api/v2/users?cursor=garbage')).status).toBe(400);
  });

  it('lists active users by default; state=all adds suspended but not deleted; state=deleted lists those', async () => {
    const active = dialpad.addUser({ email: 'active@example.com', officeId: london });
    const suspended = dialpad.addUser({ email: 'susp@example.com', officeId: london, state: 'suspended' });
    const deleted = dialpad.addUser({ email: 'del@example.com', officeId: london });
    expect((await call(`/api/v2/users/${deleted}`, { method: 'DELETE' })).json).toMatchObject({ state: 'deleted' });

    const ids = async (query: string): Promise<string[]> => ((await call(`/api/v2/users${query}`)).json.items as UserJson[]).map((u) => u.id);
    expect(await ids('')).toEqual([active]);
    expect(await ids('?state=all')).toEqual([active, suspended]);
    expect(await ids('?state=suspended')).toEqual([suspended]);
    expect(await ids('?state=deleted')).toEqual([deleted]);
    expect((await call('/api/v2/users?state=bogus')).status).toBe(400);
  });

  it('filters by any of the user emails, case-insensitively, and by number', async () => {
    const id = dialpad.addUser({ email: 'Main@Example.com', emails: ['Main@Example.com', 'alias@example.com'], officeId: newYork, phoneNumbers: ['+12125550150'] });
    const byAlias = await call('/api/v2/users?email=ALIAS@example.com');
    expect((byAlias.json.items as UserJson[]).map((u) => u.id)).toEqual([id]);
    const byNumber = await call(`/api/v2/users?number=${encodeURIComponent('+12125550150')}`);
    expect((byNumber.json.items as UserJson[]).map((u) => u.id)).toEqual([id]);
    expect((await call('/api/v2/users?email=nobody@example.com')).json).toEqual({ items: [] });
  });

  it('lists offices and numbers, and reports available licenses', async () => {
    dialpad.addNumbers(newYork, ['+12125550181']);
    const offices = (await call('/api/v2/offices')).json.items as { id: string; name: string; is_primary_office: boolean; phone_numbers: string[] }[];
    expect(offices.map((o) => [o.id, o.name, o.is_primary_office, o.phone_numbers])).toEqual([
      [newYork, 'New York', true, ['+12125550100']],
      [austin, 'Austin', false, ['+15125550100']],
      [london, 'London', false, ['+442079460000']],
    ]);
    const available = (await call('/api/v2/numbers?status=available')).json.items as NumberJson[];
    expect(available).toEqual([
      { number: '+12125550181', area_code: '212', company_id: '4700000000000000001', office_id: newYork, status: 'available', type: 'local', deleted: false },
    ]);
    expect((await call(`/api/v2/offices/${newYork}/available_licenses`)).json).toMatchObject({ talk_lines: 2, sell_lines: 1_000_000, contact_center_lines: 1, room_lines: 0 });
  });
});

describe('DialpadSandbox user creation', () => {
  it('with auto_assign takes the lowest pool number first, then a new number in the office area code', async () => {
    dialpad.addNumbers(newYork, ['+12125550182', '+12125550181']);
    const numbers: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const user = await createUser({ email: `${name}@example.com`, office_id: newYork, first_name: name, license: 'talk', auto_assign: true });
      numbers.push(user.phone_numbers?.[0] ?? '');
    }
    expect(numbers.slice(0, 2)).toEqual(['+12125550181', '+12125550182']);
    expect(numbers[2]).toMatch(/^\+1212\d{7}$/);
    expect(numbers[2]).not.toBe('+12125550100');
    const assigned = (await call('/api/v2/numbers?status=user')).json.items as NumberJson[];
    expect(assigned.map((n) => n.number).sort()).toEqual([...numbers].sort());
  });

  it('gives no number without auto_assign, and none to a Contact Center license', async () => {
    const plain = await createUser({ email: 'plain@example.com', office_id: newYork });
    expect(plain).not.toHaveProperty('phone_numbers');
    expect(plain.license).toBe('talk');
    const agent = await createUser({ email: 'cc@example.com', office_id: newYork, license: 'lite_support_agents', auto_assign: true });
    expect(agent).not.toHaveProperty('phone_numbers');
    expect(dialpad.availableLicenses(newYork).contact_center_lines).toBe(0);
  });

  it('takes the country and timezone from the office', async () => {
    const user = await createUser({ email: 'uk@example.com', office_id: london, auto_assign: true });
    expect(user).toMatchObject({ country: 'gb', timezone: 'Europe/London', state: 'active' });
    expect(user.phone_numbers?.[0]).toMatch(/^\+4420\d{8}$/);
  });

  it('answers 409 to a duplicate email of a live user, and frees the email once the user is deleted', async () => {
    const first = await createUser({ email: 'dup@example.com', office_id: newYork });
    const again = await call('/api/v2/users', { method: 'POST', body: { email: 'DUP@example.com', office_id: newYork } });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 409, errors: [{ reason: 'conflict' }] } });
    await call(`/api/v2/users/${first.id}`, { method: 'DELETE' });
    expect((await call('/api/v2/users', { method: 'POST', body: { email: 'dup@example.com', office_id: newYork } })).status).toBe(200);
  });

  it('answers 400 to a missing email, an unknown office, an unknown license or an unknown field', async () => {
    const bodies = [
      { office_id: newYork },
      { email: 'x@example.com', office_id: '5100000000000000999' },
      { email: 'x@example.com', office_id: newYork, license: 'platinum' },
      { email: 'x@example.com', office_id: newYork, job_title: 'CEO' },
    ];
    for (const body of bodies) {
      const reply = await call('/api/v2/users', { method: 'POST', body });
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ error: { code: 400, errors: [{ domain: 'global', reason: 'badRequest' }] } });
    }
    expect(dialpad.users()).toEqual([]);
  });

  it('creates even when the office has no line left, counting the extra license billed', async () => {
    await createUser({ email: 'x@example.com', office_id: austin });
    expect(dialpad.extraLicensesBilled).toBe(1);
    expect(dialpad.availableLicenses(austin).talk_lines).toBe(0);
  });
});

describe('DialpadSandbox user updates', () => {
  it('suspending frees the license line; reactivating takes it again', async () => {
    const user = await createUser({ email: 'l@example.com', office_id: newYork });
    expect(dialpad.availableLicenses(newYork).talk_lines).toBe(1);
    const suspended = await call(`/api/v2/users/${user.id}`, { method: 'PATCH', body: { state: 'suspended' } });
    expect(suspended.json).toMatchObject({ state: 'suspended' });
    expect(dialpad.availableLicenses(newYork).talk_lines).toBe(2);
    await call(`/api/v2/users/${user.id}`, { method: 'PATCH', body: { state: 'active' } });
    expect(dialpad.availableLicenses(newYork).talk_lines).toBe(1);
    expect(dialpad.user(user.id)?.state).toBe('active');
  });

  it('updates names, job title and emails (first is primary); 409 when an email belongs to someone else', async () => {
    dialpad.addUser({ email: 'taken@example.com', officeId: newYork });
    const user = await createUser({ email: 'old@example.com', office_id: newYork, first_name: 'Old' });
    const patched = await call(`/api/v2/users/${user.id}`, {
      method: 'PATCH',
      body: { first_name: 'New', job_title: 'CTO', emails: ['new@example.com', 'old@example.com'] },
    });
    expect(patched.json).toMatchObject({ first_name: 'New', job_title: 'CTO', emails: ['new@example.com', 'old@example.com'], display_name: 'New' });
    const conflict = await call(`/api/v2/users/${user.id}`, { method: 'PATCH', body: { emails: ['taken@example.com'] } });
    expect(conflict.status).toBe(409);
    expect(dialpad.user(user.id)?.emails).toEqual(['new@example.com', 'old@example.com']);
  });

  it('refuses fields outside UpdateUserMessage, and phone_numbers that add a number', async () => {
    const user = await createUser({ email: 'f@example.com', office_id: newYork, auto_assign: true });
    expect((await call(`/api/v2/users/${user.id}`, { method: 'PATCH', body: { timezone: 'UTC' } })).status).toBe(400);
    expect((await call(`/api/v2/users/${user.id}`, { method: 'PATCH', body: { phone_numbers: ['+12125559999'] } })).status).toBe(400);
    const removed = await call(`/api/v2/users/${user.id}`, { method: 'PATCH', body: { phone_numbers: [] } });
    expect(removed.json).not.toHaveProperty('phone_numbers');
    expect(dialpad.numbers().find((n) => n.number === user.phone_numbers?.[0])?.status).toBe('available');
  });

  it('changes the license line on a license change', async () => {
    const user = await createUser({ email: 'lic@example.com', office_id: newYork });
    await call(`/api/v2/users/${user.id}`, { method: 'PATCH', body: { license: 'lite_support_agents', keep_paid_numbers: true } });
    expect(dialpad.availableLicenses(newYork)).toMatchObject({ talk_lines: 2, contact_center_lines: 0 });
  });

  it('deletes: state deleted, numbers back to the pool, license freed, gone from listings and GET', async () => {
    const user = await createUser({ email: 'bye@example.com', office_id: newYork, auto_assign: true });
    const number = user.phone_numbers?.[0] ?? '';
    const deleted = await call(`/api/v2/users/${user.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ id: user.id, state: 'deleted' });
    expect(dialpad.availableLicenses(newYork).talk_lines).toBe(2);
    expect((await call(`/api/v2/users/${user.id}`)).status).toBe(404);
    expect((await call('/api/v2/users?state=all')).json.items).toEqual([]);
    expect(dialpad.numbers().find((n) => n.number === number)).toMatchObject({ status: 'available', targetId: null, officeId: newYork });
    const next = await createUser({ email: 'next@example.com', office_id: newYork, auto_assign: true });
    expect(next.phone_numbers).toEqual([number]);
  });
});

describe('DialpadSandbox offices and numbers', () => {
  it('move_office to another country renumbers the user; within the country numbers stay', async () => {
    await dialpad.stop();
    dialpad = new DialpadSandbox({ apiKey: 'key' });
    await dialpad.start();
    newYork = dialpad.addOffice({ name: 'New York', country: 'us', mainLine: '+12125550100' });
    austin = dialpad.addOffice({ name: 'Austin', country: 'us', mainLine: '+15125550100' });
    london = dialpad.addOffice({ name: 'London', country: 'gb', mainLine: '+442079460000' });
    dialpad.addNumbers(london, ['+442079460101']);
    const user = await createUser({ email: 'm@example.com', office_id: newYork, auto_assign: true });
    const usNumber = user.phone_numbers?.[0] ?? '';

    const domestic = await call(`/api/v2/users/${user.id}/move_office`, { method: 'PATCH', body: { office_id: austin } });
    expect(domestic.json).toMatchObject({ office_id: austin, phone_numbers: [usNumber], country: 'us' });

    const abroad = await call(`/api/v2/users/${user.id}/move_office`, { method: 'PATCH', body: { office_id: london } });
    expect(abroad.json).toMatchObject({ office_id: london, phone_numbers: ['+442079460101'], country: 'gb', timezone: 'Europe/London' });
    expect(dialpad.numbers().find((n) => n.number === usNumber)).toMatchObject({ status: 'available', officeId: newYork });
  });

  it('refuses a move to an office with no line left', async () => {
    const user = await createUser({ email: 'mv@example.com', office_id: newYork });
    const reply = await call(`/api/v2/users/${user.id}/move_office`, { method: 'PATCH', body: { office_id: austin } });
    expect(reply.status).toBe(400);
    expect(dialpad.user(user.id)?.officeId).toBe(newYork);
  });

  it('PATCH office_id to another country is refused while the user has numbers', async () => {
    const user = await createUser({ email: 'p@example.com', office_id: newYork, auto_assign: true });
    expect((await call(`/api/v2/users/${user.id}`, { method: 'PATCH', body: { office_id: london } })).status).toBe(400);
  });

  it('assign_number: a given number, 409 when it is taken, an area code, primary first or last; unassign returns it', async () => {
    dialpad.addNumbers(newYork, ['+12125550181', '+13325550199']);
    const a = await createUser({ email: 'a@example.com', office_id: newYork });
    const b = await createUser({ email: 'b@example.com', office_id: newYork });

    const given = await call(`/api/v2/users/${a.id}/assign_number`, { method: 'POST', body: { number: '+12125550181' } });
    expect(given.json).toMatchObject({ number: '+12125550181', status: 'user', target_id: a.id, target_type: 'user', office_id: newYork });
    expect((await call(`/api/v2/users/${b.id}/assign_number`, { method: 'POST', body: { number: '+12125550181' } })).status).toBe(409);

    const byArea = await call(`/api/v2/users/${a.id}/assign_number`, { method: 'POST', body: { area_code: '332', primary: false } });
    expect(byArea.json).toMatchObject({ number: '+13325550199', area_code: '332' });
    const fresh = await call(`/api/v2/users/${a.id}/assign_number`, { method: 'POST', body: { area_code: '646' } });
    expect((fresh.json as unknown as NumberJson).number).toMatch(/^\+1646\d{7}$/);
    const freshNumber = (fresh.json as unknown as NumberJson).number;
    expect(dialpad.user(a.id)?.phoneNumbers).toEqual([freshNumber, '+12125550181', '+13325550199']);

    const unassigned = await call(`/api/v2/users/${a.id}/unassign_number`, { method: 'POST', body: { number: '+12125550181' } });
    expect(unassigned.json).toMatchObject({ number: '+12125550181', status: 'available' });
    expect(unassigned.json).not.toHaveProperty('target_id');
    expect((await call(`/api/v2/users/${a.id}/unassign_number`, { method: 'POST', body: { number: '+12125550181' } })).status).toBe(400);
  });

  it('records every request with its body, and counts the writes', async () => {
    await createUser({ email: 'r@example.com', office_id: newYork });
    await call('/api/v2/users');
    expect(dialpad.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/api/v2/users', 200],
      ['GET', '/api/v2/users', 200],
    ]);
    expect(dialpad.requests[0]?.body).toEqual({ email: 'r@example.com', office_id: newYork });
    expect(dialpad.writeRequestCount()).toBe(1);
    dialpad.clearRequests();
    expect(dialpad.requests).toEqual([]);
  });
});
