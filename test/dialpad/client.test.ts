import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DialpadClient, parseRetryAfter, type DialpadClientOptions, type DialpadResponseInfo } from '../../src/dialpad/client.js';
import { DialpadError } from '../../src/dialpad/errors.js';
import { RateLimiter } from '../../src/dialpad/rate-limiter.js';
import { Redactor } from '../../src/log/redactor.js';

const BASE = 'https://dialpad.test';
const API_KEY = 'dpk_live_s3cr3t_0123456789abcdef';
const BIG_USER_ID = '6200000000000000123';
const BIG_OFFICE_ID = '6200000000000000999';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function makeClient(overrides: Partial<DialpadClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = new DialpadClient({
    baseUrl: BASE,
    apiKey: API_KEY,
    // Fast real limiter; the spacing itself is tested with a fake clock below.
    requestsPerSecond: 1000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, sleeps };
}

/** JSON written by hand, so ids can be bare numbers beyond 2^53 as Dialpad's int64 would be. */
function rawJson(text: string, status = 200, headers: Record<string, string> = {}) {
  return new HttpResponse(text, { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function userJson(id: string, email: string, extra = ''): string {
  return `{"id":${id},"emails":["${email}"],"first_name":"F${id.slice(-3)}","last_name":"L","office_id":5220648944236254,"state":"active","license":"talk","phone_numbers":["+14155550${id.slice(-3)}"]${extra}}`;
}

async function rejection(promise: Promise<unknown>): Promise<DialpadError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DialpadError) return error;
    throw error;
  }
  throw new Error('expected a DialpadError, got success');
}

describe('listing users', () => {
  it('follows the cursor over several pages, with state=all and no limit, tolerating null items', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) => {
        const url = new URL(request.url);
        seen.push(url.search);
        expect(url.searchParams.get('state')).toBe('all');
        expect(url.searchParams.has('limit')).toBe(false);
        switch (url.searchParams.get('cursor')) {
          case null:
            return rawJson(`{"items":[${userJson('101', 'a@x.com')},${userJson('102', 'b@x.com')}],"cursor":"c1"}`);
          case 'c1':
            return rawJson('{"items":null,"cursor":"c2"}');
          case 'c2':
            return rawJson(`{"items":[${userJson('103', 'c@x.com')}],"cursor":"c3"}`);
          case 'c3':
            return rawJson(`{"items":[${userJson(BIG_USER_ID, 'd@x.com')}]}`);
          default:
            return rawJson('{}', 400);
        }
      }),
    );
    const { client } = makeClient();
    const listing = await client.listUsers();
    expect(listing.rejected).toEqual([]);
    expect(listing.users.map((u) => u.id)).toEqual(['101', '102', '103', BIG_USER_ID]);
    expect(listing.users[0]).toMatchObject({ emails: ['a@x.com'], officeId: '5220648944236254', state: 'active', phoneNumbers: ['+14155550101'] });
    expect(seen).toEqual(['?state=all', '?state=all&cursor=c1', '?state=all&cursor=c2', '?state=all&cursor=c3']);
  });

  it('streams pages through listUserPages and stops on an empty cursor', async () => {
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) =>
        new URL(request.url).searchParams.get('cursor') === 'next'
          ? rawJson(`{"items":[${userJson('2', 'b@x.com')}],"cursor":""}`)
          : rawJson(`{"items":[${userJson('1', 'a@x.com')}],"cursor":"next"}`),
      ),
    );
    const { client } = makeClient();
    const pages: string[][] = [];
    for await (const page of client.listUserPages()) pages.push(page.users.map((u) => u.id));
    expect(pages).toEqual([['1'], ['2']]);
  });

  it('rejects a malformed user with its reason and returns the others', async () => {
    server.use(
      http.get(`${BASE}/api/v2/users`, () =>
        rawJson(`{"items":[${userJson('1', 'a@x.com')},{"id":2,"emails":"not-a-list","state":"active"},${userJson('3', 'c@x.com')}],"cursor":null}`),
      ),
    );
    const { client } = makeClient();
    const listing = await client.listUsers();
    expect(listing.users.map((u) => u.id)).toEqual(['1', '3']);
    expect(listing.rejected).toHaveLength(1);
    expect(listing.rejected[0]?.id).toBe('2');
    expect(listing.rejected[0]?.reason).toMatch(/^emails: /);
  });

  it('fails instead of looping when Dialpad repeats a cursor', async () => {
    server.use(http.get(`${BASE}/api/v2/users`, () => rawJson(`{"items":[${userJson('1', 'a@x.com')}],"cursor":"same"}`)));
    const { client } = makeClient();
    const error = await rejection(client.listUsers());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('cursor');
  });

  it('fails with invalid_response when a page is not a collection', async () => {
    server.use(http.get(`${BASE}/api/v2/users`, () => rawJson('{"items":{"id":1}}')));
    const { client } = makeClient();
    const error = await rejection(client.listUsers());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('items');
  });

  it('counts a user listed on two pages once (the first listed), and an unreadable item with an id once', async () => {
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) =>
        new URL(request.url).searchParams.get('cursor') === 'c1'
          ? rawJson(`{"items":[${userJson('102', 'b-later@x.com')},${userJson('103', 'c@x.com')},{"id":9,"state":null},{"state":null}]}`)
          : rawJson(`{"items":[${userJson('101', 'a@x.com')},${userJson('102', 'b@x.com')},{"id":9,"state":null},{"state":null}],"cursor":"c1"}`),
      ),
    );
    const { client } = makeClient();
    const listing = await client.listUsers();
    expect(listing.users.map((u) => `${u.id} ${u.emails[0]}`)).toEqual(['101 a@x.com', '102 b@x.com', '103 c@x.com']);
    // Items without an id cannot be told apart: both kept.
    expect(listing.rejected.map((r) => r.id)).toEqual(['9', null, null]);
  });

  it.each([
    ['{}', '{}'],
    ['{"items":null}', '{"items":null}'],
    ['{"items":[]}', '{"items":[]}'],
  ])('reads %s as an empty page (items is optional and nullable in UserCollection)', async (_name, body) => {
    server.use(http.get(`${BASE}/api/v2/users`, () => rawJson(body)));
    const { client } = makeClient();
    expect(await client.listUsers()).toEqual({ users: [], rejected: [] });
  });

  it.each([
    ['an object without items or cursor', '{"users":[]}', 'not a collection: it has neither items nor cursor (keys: users)'],
    ['items that are not a list', '{"items":"none"}', 'items'],
    ['a list instead of an object', '[]', 'expected object'],
    ['a cursor that is not a string', '{"items":[],"cursor":5}', 'cursor'],
  ])('fails with invalid_response on %s', async (_name, body, message) => {
    server.use(http.get(`${BASE}/api/v2/users`, () => rawJson(body)));
    const { client } = makeClient();
    const error = await rejection(client.listUsers());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain(message);
  });

  it('restarts the listing from its first page once when Dialpad refuses a cursor, counting each user once', async () => {
    const seen: string[] = [];
    let refused = 0;
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        seen.push(cursor ?? 'first');
        if (cursor === null) return rawJson(`{"items":[${userJson('101', 'a@x.com')}],"cursor":"c1"}`);
        if (cursor === 'c1' && refused === 0) {
          refused += 1;
          return rawJson('{"error":{"code":400,"message":"Invalid or expired cursor"}}', 400);
        }
        return rawJson(`{"items":[${userJson('102', 'b@x.com')}]}`);
      }),
    );
    const { client } = makeClient();
    const listing = await client.listUsers();
    expect(listing.users.map((u) => u.id)).toEqual(['101', '102']);
    expect(seen).toEqual(['first', 'c1', 'first', 'c1']);
  });

  it('fails when a cursor is refused again after the restart, and never restarts over a refused first page', async () => {
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) =>
        new URL(request.url).searchParams.get('cursor') === null
          ? rawJson(`{"items":[${userJson('101', 'a@x.com')}],"cursor":"c1"}`)
          : rawJson('{"error":{"code":400,"message":"Invalid or expired cursor"}}', 400),
      ),
      http.get(`${BASE}/api/v2/offices`, () => rawJson('{"error":{"code":400,"message":"Bad request"}}', 400)),
    );
    const { client } = makeClient();
    const error = await rejection(client.listUsers());
    expect(error.code).toBe('bad_request');
    expect(error.apiMessage).toBe('Invalid or expired cursor');
    expect((await rejection(client.listOffices())).code).toBe('bad_request');
  });

  it('finds users by email over all pages, keeping only those that hold the email', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(`${url.searchParams.get('email')}|${url.searchParams.get('state')}|${url.searchParams.get('cursor')}`);
        return url.searchParams.get('cursor') === 'p2'
          ? rawJson(`{"items":[${userJson('9', 'other@x.com')}]}`)
          : rawJson(`{"items":[${userJson('8', 'Jane.Doe@X.com')}],"cursor":"p2"}`);
      }),
    );
    const { client } = makeClient();
    const users = await client.findUsersByEmail('jane.doe@x.com');
    expect(users.map((u) => u.id)).toEqual(['8']);
    expect(queries).toEqual(['jane.doe@x.com|all|null', 'jane.doe@x.com|all|p2']);
  });

  it('asks for an internationalized email in both spellings and finds its holder in either, once', async () => {
    const queries: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) => {
        const email = new URL(request.url).searchParams.get('email');
        queries.push(email);
        // Dialpad's matching is not documented: here it matches only the form it stores (ASCII), in any case.
        return email?.toLowerCase() === 'lena@xn--bcher-kva.example'
          ? rawJson(`{"items":[${userJson('8', 'Lena@xn--bcher-kva.example')}]}`)
          : rawJson('{"items":[]}');
      }),
    );
    const { client } = makeClient();
    expect((await client.findUsersByEmail('lena@BÜCHER.example')).map((u) => u.id)).toEqual(['8']);
    expect((await client.listUsersByEmail('lena@xn--bcher-kva.example')).users.map((u) => u.id)).toEqual(['8']);
    expect(queries).toEqual(['lena@BÜCHER.example', 'lena@xn--bcher-kva.example', 'lena@xn--bcher-kva.example', 'lena@bücher.example']);
  });
});

describe('ids beyond 2^53', () => {
  it('survive a list → update → move round trip exactly, in paths and bodies', async () => {
    const patches: { path: string; body: string }[] = [];
    server.use(
      http.get(`${BASE}/api/v2/users`, () => rawJson(`{"items":[${userJson(BIG_USER_ID, 'big@x.com')}]}`)),
      http.patch(`${BASE}/api/v2/users/:id`, async ({ request }) => {
        patches.push({ path: new URL(request.url).pathname, body: await request.text() });
        return rawJson(userJson(BIG_USER_ID, 'big@x.com', ',"job_title":"Boss"'));
      }),
      http.patch(`${BASE}/api/v2/users/:id/move_office`, async ({ request }) => {
        patches.push({ path: new URL(request.url).pathname, body: await request.text() });
        return rawJson(`{"id":${BIG_USER_ID},"office_id":${BIG_OFFICE_ID},"state":"active"}`);
      }),
    );
    const { client } = makeClient();
    const [user] = (await client.listUsers()).users;
    expect(user?.id).toBe(BIG_USER_ID);
    const updated = await client.updateUser(user?.id ?? '', { jobTitle: 'Boss', state: 'suspended' });
    expect(updated.id).toBe(BIG_USER_ID);
    expect(updated.jobTitle).toBe('Boss');
    const moved = await client.moveOffice(BIG_USER_ID, BIG_OFFICE_ID);
    expect(moved.officeId).toBe(BIG_OFFICE_ID);
    expect(patches).toEqual([
      { path: `/api/v2/users/${BIG_USER_ID}`, body: '{"job_title":"Boss","state":"suspended"}' },
      { path: `/api/v2/users/${BIG_USER_ID}/move_office`, body: `{"office_id":${BIG_OFFICE_ID}}` },
    ]);
  });

  it('createUser sends office_id as a bare JSON number with every digit', async () => {
    let body = '';
    let contentType: string | null = null;
    server.use(
      http.post(`${BASE}/api/v2/users`, async ({ request }) => {
        body = await request.text();
        contentType = request.headers.get('content-type');
        return rawJson(`{"id":${BIG_USER_ID},"emails":["new@x.com"],"office_id":${BIG_OFFICE_ID},"state":"active","license":"agents"}`);
      }),
    );
    const { client } = makeClient();
    const created = await client.createUser({ email: 'new@x.com', officeId: BIG_OFFICE_ID, firstName: 'N', lastName: 'U', license: 'agents', autoAssign: true });
    expect(body).toBe(`{"email":"new@x.com","office_id":${BIG_OFFICE_ID},"first_name":"N","last_name":"U","license":"agents","auto_assign":true}`);
    expect(contentType).toBe('application/json');
    expect(created).toMatchObject({ id: BIG_USER_ID, officeId: BIG_OFFICE_ID, license: 'agents' });
  });
});

describe('the other endpoints', () => {
  it('sends the key as a bearer token and asks for JSON; checkAccess reads the company', async () => {
    let auth: string | null = null;
    let accept: string | null = null;
    server.use(
      http.get(`${BASE}/api/v2/company`, ({ request }) => {
        auth = request.headers.get('authorization');
        accept = request.headers.get('accept');
        return rawJson('{"id":"123","name":"Fuzz Ball","account_type":"standard"}');
      }),
    );
    const { client } = makeClient({ baseUrl: `${BASE}/` });
    await expect(client.checkAccess()).resolves.toBeUndefined();
    expect(auth).toBe(`Bearer ${API_KEY}`);
    expect(accept).toBe('application/json');
  });

  it('getCompany reads the company the key belongs to, its int64 id exact, as a number or a string', async () => {
    server.use(http.get(`${BASE}/api/v2/company`, () => rawJson('{"id":4700000000000000123,"name":"Fuzz Ball","domain":"fuzz-ball.com","office_count":"1"}')));
    const { client } = makeClient();
    expect(await client.getCompany()).toEqual({ id: '4700000000000000123', name: 'Fuzz Ball' });
    // The spec's own example sends the id as a string, and a company may have no name.
    server.use(http.get(`${BASE}/api/v2/company`, () => rawJson('{"id":"123"}')));
    expect(await client.getCompany()).toEqual({ id: '123', name: null });
  });

  it('getCompany refuses a company without an id: nothing could be pinned to it', async () => {
    server.use(http.get(`${BASE}/api/v2/company`, () => rawJson('{"name":"Fuzz Ball"}')));
    const { client } = makeClient();
    const error = await rejection(client.getCompany());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('id');
  });

  it('getUser URL-encodes the id and returns null on 404', async () => {
    const paths: string[] = [];
    server.use(
      http.get(`${BASE}/api/v2/users/*`, ({ request }) => {
        const path = new URL(request.url).pathname;
        paths.push(path);
        return path.endsWith('/5') ? rawJson('{"id":"5","state":"suspended"}') : rawJson('{"error":{"code":404,"message":"Not found"}}', 404);
      }),
    );
    const { client } = makeClient();
    expect(await client.getUser('5')).toMatchObject({ id: '5', state: 'suspended' });
    expect(await client.getUser('a/b?c')).toBeNull();
    expect(paths).toEqual(['/api/v2/users/5', '/api/v2/users/a%2Fb%3Fc']);
  });

  it('lists offices over pages', async () => {
    server.use(
      http.get(`${BASE}/api/v2/offices`, ({ request }) =>
        new URL(request.url).searchParams.get('cursor') === 'o2'
          ? rawJson('{"items":[{"id":"125","office_id":"125","name":"Berlin","country":"de","state":"active","is_primary_office":false}]}')
          : rawJson('{"items":[{"id":124,"office_id":124,"name":"HQ","country":"us","state":"active","is_primary_office":true,"phone_numbers":["+14155551000"]}],"cursor":"o2"}'),
      ),
    );
    const { client } = makeClient();
    expect(await client.listOffices()).toEqual([
      { id: '124', name: 'HQ', country: 'us', state: 'active', isPrimary: true, phoneNumbers: ['+14155551000'] },
      { id: '125', name: 'Berlin', country: 'de', state: 'active', isPrimary: false, phoneNumbers: [] },
    ]);
  });

  it('counts an office listed on two pages once', async () => {
    server.use(
      http.get(`${BASE}/api/v2/offices`, ({ request }) =>
        new URL(request.url).searchParams.get('cursor') === 'o2'
          ? rawJson('{"items":[{"id":"124","name":"HQ"},{"id":"125","name":"Berlin"}]}')
          : rawJson('{"items":[{"id":"124","name":"HQ"}],"cursor":"o2"}'),
      ),
    );
    const { client } = makeClient();
    expect((await client.listOffices()).map((office) => office.name)).toEqual(['HQ', 'Berlin']);
  });

  it.each([
    ['{}', 'Dialpad listed no office, but every company has at least its primary office'],
    ['{"items":[]}', 'Dialpad listed no office, but every company has at least its primary office'],
    ['{"offices":"none"}', 'not a collection: it has neither items nor cursor (keys: offices)'],
    ['{"items":{}}', 'items'],
  ])('fails the office list answered %s: it is not an empty company', async (body, message) => {
    server.use(http.get(`${BASE}/api/v2/offices`, () => rawJson(body)));
    const { client } = makeClient();
    const error = await rejection(client.listOffices());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain(message);
  });

  it('fails the office list when an office has no id', async () => {
    server.use(http.get(`${BASE}/api/v2/offices`, () => rawJson('{"items":[{"name":"HQ"}]}')));
    const { client } = makeClient();
    expect((await rejection(client.listOffices())).code).toBe('invalid_response');
  });

  it('lists available numbers with status=available, skipping unreadable ones', async () => {
    let status: string | null = null;
    server.use(
      http.get(`${BASE}/api/v2/numbers`, ({ request }) => {
        status = new URL(request.url).searchParams.get('status');
        return rawJson('{"items":[{"number":"+14155551003","status":"available","office_id":"124","area_code":"415"},{"status":"available"}],"cursor":null}');
      }),
    );
    const { client } = makeClient();
    expect(await client.listAvailableNumbers()).toEqual([
      { number: '+14155551003', status: 'available', officeId: '124', targetId: null, targetType: null, areaCode: '415' },
    ]);
    expect(status).toBe('available');
  });

  it('counts a free number listed on two pages once, and reads {} as no free number', async () => {
    server.use(
      http.get(`${BASE}/api/v2/numbers`, ({ request }) =>
        new URL(request.url).searchParams.get('cursor') === 'n2'
          ? rawJson('{"items":[{"number":"+14155551003","status":"available"},{"number":"+14155551004","status":"available"}]}')
          : rawJson('{"items":[{"number":"+14155551003","status":"available"}],"cursor":"n2"}'),
      ),
    );
    const { client } = makeClient();
    expect((await client.listAvailableNumbers()).map((n) => n.number)).toEqual(['+14155551003', '+14155551004']);
    server.use(http.get(`${BASE}/api/v2/numbers`, () => rawJson('{}')));
    expect(await client.listAvailableNumbers()).toEqual([]);
  });

  it('reads available licenses', async () => {
    server.use(
      http.get(`${BASE}/api/v2/offices/${BIG_OFFICE_ID}/available_licenses`, () =>
        rawJson('{"additional_number_lines":"0","contact_center_lines":"2","sell_lines":0,"talk_lines":"4"}'),
      ),
    );
    const { client } = makeClient();
    expect(await client.getAvailableLicenses(BIG_OFFICE_ID)).toEqual({ talkLines: 4, sellLines: 0, contactCenterLines: 2 });
  });

  it('assigns a number, sending primary true unless told otherwise', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${BASE}/api/v2/users/:id/assign_number`, async ({ request, params }) => {
        bodies.push(await request.json());
        return rawJson(`{"area_code":"415","number":"+14155551002","office_id":"124","status":"user","target_id":${params.id},"target_type":"user"}`);
      }),
    );
    const { client } = makeClient();
    const number = await client.assignNumber(BIG_USER_ID, { areaCode: '415' });
    await client.assignNumber('7', { number: '+14155551002', primary: false });
    expect(number).toEqual({ number: '+14155551002', status: 'user', officeId: '124', targetId: BIG_USER_ID, targetType: 'user', areaCode: '415' });
    expect(bodies).toEqual([{ area_code: '415', primary: true }, { number: '+14155551002', primary: false }]);
  });

  it('deletes a user, and treats an already-gone user as null', async () => {
    server.use(
      http.delete(`${BASE}/api/v2/users/:id`, ({ params }) =>
        params.id === '1' ? rawJson('{"id":"1","state":"deleted","display_name":"Blocky Mockson (deactivated)"}') : rawJson('{"message":"no user"}', 404),
      ),
    );
    const { client } = makeClient();
    expect(await client.deleteUser('1')).toMatchObject({ id: '1', state: 'deleted' });
    expect(await client.deleteUser('2')).toBeNull();
  });
});

describe('errors', () => {
  it.each([
    [401, '{"error":{"code":401,"message":"Invalid API key","errors":[{"domain":"global","reason":"required","message":"Invalid API key"}]}}', 'unauthorized', 'Dialpad rejected the API key (401) on GET /api/v2/company: Invalid API key.'],
    [403, '{"message":"Requires a company admin API key"}', 'forbidden', 'Dialpad refused GET /api/v2/company (403): Requires a company admin API key.'],
    [404, '{"error":"not found"}', 'not_found', 'Dialpad found nothing at GET /api/v2/company (404): not found'],
    [409, 'User already exists', 'conflict', 'Dialpad reported a conflict on GET /api/v2/company (409): User already exists'],
    [400, '{"error":{"code":400,"message":"Invalid email"}}', 'bad_request', 'Dialpad rejected GET /api/v2/company (400): Invalid email'],
  ] as const)('turns %i into %s with the API message', async (status, body, code, message) => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v2/company`, () => {
        calls += 1;
        return new HttpResponse(body, { status });
      }),
    );
    const { client, sleeps } = makeClient();
    const error = await rejection(client.checkAccess());
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.method).toBe('GET');
    expect(error.path).toBe('/api/v2/company');
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.retryable).toBe(false);
    // Never retried.
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('turns a 409 on create into conflict without retrying', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/api/v2/users`, () => {
        calls += 1;
        return rawJson('{"error":{"code":409,"message":"A user with this email already exists"}}', 409);
      }),
    );
    const { client } = makeClient();
    const error = await rejection(client.createUser({ email: 'a@x.com', officeId: '1', firstName: 'A', lastName: 'B', license: 'talk', autoAssign: false }));
    expect(error.code).toBe('conflict');
    expect(error.apiMessage).toBe('A user with this email already exists');
    expect(calls).toBe(1);
  });

  it('never lets the API key into an error, even when Dialpad echoes it', async () => {
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) =>
        rawJson(JSON.stringify({ error: { message: `bad key ${request.headers.get('authorization')} for ${request.url}` } }), 401),
      ),
    );
    const { client } = makeClient();
    const error = await rejection(client.findUsersByEmail('a@x.com'));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('[redacted]');
    for (const text of [error.message, error.apiMessage ?? '', error.path, String(error), error.stack ?? '', JSON.stringify(error)]) {
      expect(text).not.toContain(API_KEY);
    }
    // The path carries no query string (emails, cursors).
    expect(error.path).toBe('/api/v2/users');
  });

  it('turns a non-JSON success body into invalid_response, after retrying the read (a garbled answer may be transient)', async () => {
    server.use(http.get(`${BASE}/api/v2/company`, () => new HttpResponse('<html>maintenance</html>', { status: 200 })));
    const { client, sleeps } = makeClient();
    const error = await rejection(client.checkAccess());
    expect(error.code).toBe('invalid_response');
    expect(sleeps).toHaveLength(4);
  });

  it('does not repeat a POST whose answer was garbled: it may have been carried out', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/api/v2/users`, () => {
        calls += 1;
        return new HttpResponse('{"id": 12', { status: 200 });
      }),
    );
    const { client, sleeps } = makeClient();
    const error = await rejection(client.createUser({ email: 'a@x.com', officeId: '1', firstName: 'A', lastName: 'B', license: 'talk', autoAssign: true }));
    expect(error.code).toBe('invalid_response');
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

describe('retries', () => {
  it('waits for Retry-After seconds after a 429, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v2/users/:id`, () => {
        calls += 1;
        return calls === 1 ? rawJson('{"error":"rate limit exceeded"}', 429, { 'Retry-After': '3' }) : rawJson('{"id":"1","state":"active"}');
      }),
    );
    const { client, sleeps } = makeClient();
    expect(await client.getUser('1')).toMatchObject({ id: '1', state: 'active' });
    expect(calls).toBe(2);
    expect(sleeps).toEqual([3000]);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v2/company`, () => {
        calls += 1;
        return calls === 1 ? rawJson('{}', 429, { 'Retry-After': new Date(Date.now() + 10_000).toUTCString() }) : rawJson('{"id":1}');
      }),
    );
    const { client, sleeps } = makeClient();
    await client.checkAccess();
    expect(sleeps).toHaveLength(1);
    // HTTP dates have whole seconds.
    expect(sleeps[0]).toBeGreaterThan(8_000);
    expect(sleeps[0]).toBeLessThanOrEqual(10_000);
  });

  it('retries a 429 even on POST, since Dialpad did not act', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/api/v2/users`, () => {
        calls += 1;
        return calls === 1 ? rawJson('{}', 429) : rawJson('{"id":"10","state":"active"}');
      }),
    );
    const { client, sleeps } = makeClient();
    const created = await client.createUser({ email: 'a@x.com', officeId: '1', firstName: 'A', lastName: 'B', license: 'talk', autoAssign: false });
    expect(created.id).toBe('10');
    // No Retry-After: backoff, first step 250 ms fixed + up to 250 ms jitter (random() = 0.5).
    expect(sleeps).toEqual([375]);
  });

  it('retries a 500 with exponential backoff and gives up after maxRetries with server_error', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v2/offices`, () => {
        calls += 1;
        return rawJson('{"error":{"code":500,"message":"Internal error"}}', 500);
      }),
    );
    const { client, sleeps } = makeClient({ maxRetries: 3 });
    const error = await rejection(client.listOffices());
    expect(error.code).toBe('server_error');
    expect(error.status).toBe(500);
    expect(error.apiMessage).toBe('Internal error');
    expect(calls).toBe(4);
    expect(sleeps).toEqual([375, 750, 1500]);
  });

  it('recovers when a 503 is followed by a success', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v2/numbers`, () => {
        calls += 1;
        return calls < 3 ? new HttpResponse('Service Unavailable', { status: 503 }) : rawJson('{"items":[]}');
      }),
    );
    const { client, sleeps } = makeClient();
    expect(await client.listAvailableNumbers()).toEqual([]);
    expect(sleeps).toHaveLength(2);
  });

  it('does not repeat a POST that failed with a 5xx: it may have been carried out', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/api/v2/users/:id/assign_number`, () => {
        calls += 1;
        return rawJson('{}', 502);
      }),
    );
    const { client, sleeps } = makeClient();
    const error = await rejection(client.assignNumber('1', { areaCode: '415' }));
    expect(error.code).toBe('server_error');
    expect(error.retryable).toBe(true);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('does not retry a 400', async () => {
    let calls = 0;
    server.use(
      http.patch(`${BASE}/api/v2/users/:id`, () => {
        calls += 1;
        return rawJson('{"error":{"message":"Invalid license"}}', 400);
      }),
    );
    const { client, sleeps } = makeClient();
    const error = await rejection(client.updateUser('1', { license: 'agents', keepPaidNumbers: true }));
    expect(error.code).toBe('bad_request');
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('retries network errors on GET, then reports code network', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v2/company`, () => {
        calls += 1;
        return HttpResponse.error();
      }),
    );
    const { client } = makeClient({ maxRetries: 2 });
    const error = await rejection(client.checkAccess());
    expect(error.code).toBe('network');
    expect(error.status).toBeNull();
    expect(calls).toBe(3);
  });

  it('reports code timeout when Dialpad does not answer in time, after retrying', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v2/company`, async () => {
        calls += 1;
        await delay(2_000);
        return rawJson('{}');
      }),
    );
    const infos: DialpadResponseInfo[] = [];
    const { client, sleeps } = makeClient({ timeoutMs: 50, maxRetries: 1, onResponse: (info) => infos.push(info) });
    const started = Date.now();
    const error = await rejection(client.checkAccess());
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('50 ms');
    expect(calls).toBe(2);
    expect(sleeps).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(infos.map((i) => i.status)).toEqual([null, null]);
  });
});

describe('pacing and reporting', () => {
  it('spaces requests through the shared limiter (fake clock)', async () => {
    // The clock stands still: each request must be told to wait one more interval than the one before.
    const waits: number[] = [];
    let requests = 0;
    const limiter = new RateLimiter({ requestsPerSecond: 10, now: () => 0, sleep: async (ms) => void waits.push(ms) });
    server.use(
      http.get(`${BASE}/api/v2/users`, ({ request }) => {
        requests += 1;
        const cursor = new URL(request.url).searchParams.get('cursor');
        return rawJson(cursor === null ? '{"items":[],"cursor":"a"}' : cursor === 'a' ? '{"items":[],"cursor":"b"}' : '{"items":[]}');
      }),
      http.get(`${BASE}/api/v2/company`, () => {
        requests += 1;
        return rawJson('{"id":1}');
      }),
    );
    const { client, sleeps } = makeClient({ rateLimiter: limiter });
    await Promise.all([client.listUsers(), client.checkAccess()]);
    expect(requests).toBe(4);
    expect(waits).toEqual([100, 200, 300]);
    // Pacing is the limiter's, not the retry sleep's.
    expect(sleeps).toEqual([]);
  });

  it('reports every attempt with its path (no query), status and duration', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v2/users`, () => {
        calls += 1;
        return calls === 1 ? rawJson('{}', 500) : rawJson('{"items":[]}');
      }),
    );
    const infos: DialpadResponseInfo[] = [];
    const { client } = makeClient({ onResponse: (info) => infos.push(info) });
    await client.findUsersByEmail('a@x.com');
    expect(infos.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'GET', path: '/api/v2/users', status: 500 },
      { method: 'GET', path: '/api/v2/users', status: 200 },
    ]);
    expect(infos.every((i) => i.durationMs >= 0)).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores junk', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

/** A promise and the function that resolves it. */
function signalled(): { promise: Promise<void>; done: () => void } {
  let done = (): void => undefined;
  const promise = new Promise<void>((resolve) => (done = resolve));
  return { promise, done };
}

describe('the stop signal (shutdown)', () => {
  const user = (id: string) => rawJson(userJson(id, 'ann@example.com'));

  it('sends nothing once stopped: a request waiting for the rate limiter fails as aborted', async () => {
    let reached = 0;
    server.use(http.post(`${BASE}/api/v2/users`, () => ((reached += 1), user('101'))));
    const stop = new AbortController();
    // One slot a minute: the second create waits for the limiter when the stop comes.
    const { client } = makeClient({ signal: stop.signal, rateLimiter: new RateLimiter({ requestsPerSecond: 1 / 60 }) });
    const input = { email: 'ann@example.com', officeId: '1', firstName: 'Ann', lastName: 'Lee', license: 'talk' as const, autoAssign: true };
    await client.createUser(input);
    const waiting = rejection(client.createUser(input));
    stop.abort();
    expect(await waiting).toMatchObject({ code: 'aborted', method: 'POST', path: '/api/v2/users' });
    expect((await waiting).message).toBe('Dialpad request POST /api/v2/users stopped: not sent, dialsync is shutting down');
    await expect(client.createUser(input)).rejects.toMatchObject({ code: 'aborted' });
    expect(reached).toBe(1);
  });

  it('starts no retry after the stop: the failure that was being retried stands', async () => {
    let reached = 0;
    server.use(http.get(`${BASE}/api/v2/users/7`, () => ((reached += 1), rawJson('{}', 503))));
    const stop = new AbortController();
    const backingOff = signalled();
    const { client } = makeClient({ signal: stop.signal, sleep: () => (backingOff.done(), new Promise(() => undefined)) });
    const failing = rejection(client.getUser('7'));
    await backingOff.promise;
    stop.abort();
    expect(await failing).toMatchObject({ code: 'server_error', status: 503 });
    expect(reached).toBe(1);
  });

  it('cuts off a read in flight', async () => {
    const arrived = signalled();
    server.use(http.get(`${BASE}/api/v2/users/7`, async () => (arrived.done(), await delay('infinite'), user('7'))));
    const stop = new AbortController();
    const { client } = makeClient({ signal: stop.signal });
    const reading = rejection(client.getUser('7'));
    await arrived.promise;
    stop.abort();
    expect(await reading).toMatchObject({ code: 'aborted', method: 'GET' });
  });

  it('lets a write in flight finish within its grace, and gives up on it after', async () => {
    const arrived = [signalled(), signalled()];
    const release = signalled();
    server.use(
      http.patch(`${BASE}/api/v2/users/7`, async () => (arrived[0]?.done(), await release.promise, user('7'))),
      http.patch(`${BASE}/api/v2/users/8`, async () => (arrived[1]?.done(), await delay('infinite'), user('8'))),
    );
    const stop = new AbortController();
    const { client } = makeClient({ signal: stop.signal, writeGraceMs: 60_000 });
    const answered = client.updateUser('7', { jobTitle: 'Engineer' });
    const hanging = rejection(makeClient({ signal: stop.signal, writeGraceMs: 100 }).client.updateUser('8', { jobTitle: 'Engineer' }));
    await Promise.all(arrived.map((a) => a.promise));
    stop.abort();
    release.done();
    await expect(answered).resolves.toMatchObject({ id: '7' });
    const error = await hanging;
    expect(error).toMatchObject({ code: 'timeout', method: 'PATCH' });
    expect(error.message).toContain('may have taken effect');
  });
});

describe('the API key', () => {
  it.each([
    ['a line break', `${API_KEY}\nsecond-line`],
    ['a tab', `${API_KEY}\tx`],
    ['a control character', `${API_KEY}\u0000`],
  ])('is refused when it holds %s: fetch would fail before Dialpad, and look like a network failure', (_name, apiKey) => {
    expect(() => makeClient({ apiKey })).toThrow(/whitespace or a control character/);
  });

  it("is registered with the process's redactor, which then blanks it out of any text", () => {
    const redactor = new Redactor();
    makeClient({ redactor });
    expect(redactor.redact(`Authorization: Bearer ${API_KEY}`)).toBe('Authorization: Bearer [redacted]');
  });
});
