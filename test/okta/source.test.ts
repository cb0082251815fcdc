import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createOktaClient } from '../../src/okta/client.js';
import { OktaError } from '../../src/okta/errors.js';
import { OktaSource } from '../../src/okta/source.js';
import { APP_ID, ORG, TOKEN, appUserJson, oktaErrorJson, tokenSettings, tokenSource, useOktaServer, userJson } from './fake-okta.js';

const server = useOktaServer();

const APP_USERS = `${ORG}/api/v1/apps/:appId/users`;

/** A token source that keeps only the given profile attributes. */
function keepingSource(keepAttributes: Iterable<string>, pageSize?: number): OktaSource {
  const client = createOktaClient(tokenSettings());
  return new OktaSource({ client, appId: APP_ID, keepAttributes, ...(pageSize ? { pageSize } : {}) });
}

async function rejectionOf(promise: Promise<unknown>): Promise<OktaError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(OktaError);
  return error as OktaError;
}

/** Okta sends self and next as two Link headers; the `next` one, like Okta's, lacks expand=user. */
function linkHeaders(self: string, next: string | null): Headers {
  const headers = new Headers({ 'Content-Type': 'application/json' });
  headers.append('Link', `<${self}>; rel="self"`);
  if (next) headers.append('Link', `<${next}>; rel="next"`);
  return headers;
}

describe('OktaSource.listAssignments', () => {
  /** Three pages of two users; like Okta, items only carry _embedded.user when the request asked for it. */
  function threePages(requests: URL[]) {
    const pages = new Map<string | null, { ids: string[]; next: string | null }>([
      [null, { ids: ['00u1', '00u2'], next: 'cur1' }],
      ['cur1', { ids: ['00u3', '00u4'], next: 'cur2' }],
      ['cur2', { ids: ['00u5', '00u6'], next: null }],
    ]);
    server.use(
      http.get(APP_USERS, ({ request, params }) => {
        const url = new URL(request.url);
        requests.push(url);
        expect(params['appId']).toBe(APP_ID);
        const page = pages.get(url.searchParams.get('after'));
        if (!page) return HttpResponse.json(oktaErrorJson('E0000007', 'Not found: page'), { status: 404 });
        const expand = url.searchParams.get('expand') === 'user';
        const items = page.ids.map((id, index) =>
          appUserJson(id, {
            scope: index === 0 ? 'GROUP' : 'USER',
            user: expand ? userJson(id, { profile: { department: `Dept ${id}` } }) : null,
          }),
        );
        const next = page.next ? `${ORG}/api/v1/apps/${APP_ID}/users?after=${page.next}&limit=2` : null;
        return new HttpResponse(JSON.stringify(items), { status: 200, headers: linkHeaders(url.href, next) });
      }),
    );
  }

  it('keeps expand=user on every page although Okta drops it from the next link (okta-sdk-nodejs#439)', async () => {
    const requests: URL[] = [];
    threePages(requests);

    const listing = await tokenSource({ pageSize: 2 }).listAssignments();

    expect(requests.map((url) => [url.searchParams.get('after'), url.searchParams.get('expand'), url.searchParams.get('limit')])).toEqual([
      [null, 'user', '2'],
      ['cur1', 'user', '2'],
      ['cur2', 'user', '2'],
    ]);
    expect(listing.rejected).toEqual([]);
    expect(listing.assignments.map((a) => a.oktaUserId)).toEqual(['00u1', '00u2', '00u3', '00u4', '00u5', '00u6']);
    expect(listing.assignments.map((a) => a.profile['department'])).toEqual(['Dept 00u1', 'Dept 00u2', 'Dept 00u3', 'Dept 00u4', 'Dept 00u5', 'Dept 00u6']);
    expect(listing.assignments[4]).toEqual({
      oktaUserId: '00u5',
      scope: 'GROUP',
      appUserStatus: 'ACTIVE',
      status: 'ACTIVE',
      profile: { login: '00u5@acme.example', email: '00u5@acme.example', firstName: 'First 00u5', lastName: 'Last 00u5', department: 'Dept 00u5' },
      appProfile: { licenseType: 'talk', officeName: 'Paris' },
    });
    expect(listing.assignments[5]?.scope).toBe('USER');
  });

  it('keeps only the keepAttributes of the profile and app profile, on every page', async () => {
    threePages([]);
    const listing = await keepingSource(['login', 'department', 'licenseType'], 2).listAssignments();

    expect(listing.rejected).toEqual([]);
    expect(listing.assignments).toHaveLength(6);
    for (const assignment of listing.assignments) {
      const id = assignment.oktaUserId;
      expect(assignment.profile).toEqual({ login: `${id}@acme.example`, department: `Dept ${id}` });
      expect(assignment.appProfile).toEqual({ licenseType: 'talk' });
    }
  });

  it('counts a user listed on two pages once, keeping the first listed (the listing is not a snapshot), unreadable ones too', async () => {
    server.use(
      http.get(APP_USERS, ({ request }) => {
        const url = new URL(request.url);
        const after = url.searchParams.get('after');
        const ids = after === null ? ['00u1', '00u2'] : ['00u2', '00u3', '00u1'];
        const items = ids.map((id) => appUserJson(id, { user: userJson(id, { profile: { department: `${after ?? 'first'} ${id}` } }) }));
        // An unreadable user, on both pages too.
        items.push(appUserJson('00u9', { user: userJson('00u9', { status: 'WEIRD' }) }));
        const next = after === null ? `${ORG}/api/v1/apps/${APP_ID}/users?after=00u2&limit=2` : null;
        return new HttpResponse(JSON.stringify(items), { status: 200, headers: linkHeaders(url.href, next) });
      }),
    );
    const listing = await tokenSource({ pageSize: 2 }).listAssignments();
    expect(listing.assignments.map((a) => `${a.oktaUserId} ${String(a.profile['department'])}`)).toEqual(['00u1 first 00u1', '00u2 first 00u2', '00u3 00u2 00u3']);
    expect(listing.rejected.map((r) => r.oktaUserId)).toEqual(['00u9']);
  });

  it('restarts the listing once when Okta refuses a later page with 400, and fails on a second refusal', async () => {
    const afters: (string | null)[] = [];
    let refusals = 1;
    server.use(
      http.get(APP_USERS, ({ request }) => {
        const url = new URL(request.url);
        const after = url.searchParams.get('after');
        afters.push(after);
        if (after !== null && refusals > 0) {
          refusals -= 1;
          return HttpResponse.json(oktaErrorJson('E0000001', 'Api validation failed: after'), { status: 400 });
        }
        const ids = after === null ? ['00u1', '00u2'] : ['00u3'];
        const next = after === null ? `${ORG}/api/v1/apps/${APP_ID}/users?after=00u2&limit=2` : null;
        return new HttpResponse(JSON.stringify(ids.map((id) => appUserJson(id))), { status: 200, headers: linkHeaders(url.href, next) });
      }),
    );
    const listing = await tokenSource({ pageSize: 2 }).listAssignments();
    expect(listing.assignments.map((a) => a.oktaUserId)).toEqual(['00u1', '00u2', '00u3']);
    expect(afters).toEqual([null, '00u2', null, '00u2']);

    refusals = 2;
    const error = await rejectionOf(tokenSource({ pageSize: 2 }).listAssignments());
    expect(error.code).toBe('bad_request');
  });

  it('yields one listing per page', async () => {
    threePages([]);
    const pages = [];
    for await (const page of tokenSource({ pageSize: 2 }).listAssignmentPages()) pages.push(page.assignments.map((a) => a.oktaUserId));
    expect(pages).toEqual([['00u1', '00u2'], ['00u3', '00u4'], ['00u5', '00u6']]);
  });

  it('asks for 500 users a page by default', async () => {
    const limits: (string | null)[] = [];
    server.use(
      http.get(APP_USERS, ({ request }) => {
        limits.push(new URL(request.url).searchParams.get('limit'));
        return HttpResponse.json([]);
      }),
    );
    const listing = await tokenSource().listAssignments();
    expect(limits).toEqual(['500']);
    expect(listing).toEqual({ assignments: [], rejected: [] });
  });

  it('rejects malformed items and keeps the rest', async () => {
    server.use(
      http.get(APP_USERS, () =>
        HttpResponse.json([
          appUserJson('00u1'),
          appUserJson('00u2', { user: userJson('00u2', { status: 'WEIRD' }) }),
          appUserJson('00u3', { user: null }),
          { ...appUserJson('00u4'), _embedded: { user: { id: '00u4', status: 'ACTIVE', profile: { email: 'x@acme.example' } } } },
          appUserJson('00u5', { scope: 'GROUP' }),
        ]),
      ),
    );

    const listing = await tokenSource().listAssignments();

    expect(listing.assignments.map((a) => a.oktaUserId)).toEqual(['00u1', '00u5']);
    expect(listing.rejected).toEqual([
      { oktaUserId: '00u2', login: '00u2@acme.example', reason: expect.stringContaining('"WEIRD"') },
      { oktaUserId: '00u3', login: '00u3@acme.example', reason: expect.stringContaining('_embedded.user') },
      { oktaUserId: '00u4', login: '00u4@acme.example', reason: expect.stringContaining('login') },
    ]);
  });

  it('refuses a next link that leaves the org, before following it', async () => {
    let calls = 0;
    server.use(
      http.get(APP_USERS, ({ request }) => {
        calls += 1;
        return new HttpResponse(JSON.stringify([appUserJson('00u1')]), {
          headers: linkHeaders(request.url, 'https://attacker.example/api/v1/apps/x/users?after=1'),
        });
      }),
    );
    const error = await rejectionOf(tokenSource().listAssignments());
    expect(error.code).toBe('invalid_response');
    expect(calls).toBe(1);
  });

  it('stops when a next link points back to a page already read', async () => {
    server.use(
      http.get(APP_USERS, ({ request }) =>
        new HttpResponse(JSON.stringify([]), { headers: linkHeaders(request.url, request.url) }),
      ),
    );
    const error = await rejectionOf(tokenSource().listAssignments());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('repeats');
  });

  it.each([
    ['an object', { not: 'a list' }],
    ['null', null],
  ])('turns an answer that is %s instead of a list into invalid_response', async (_label, body) => {
    server.use(http.get(APP_USERS, () => HttpResponse.json(body)));
    const error = await rejectionOf(tokenSource().listAssignments());
    expect(error.code).toBe('invalid_response');
  });

  it('retries a 429 that carries X-Rate-Limit-Reset and Date, then succeeds', async () => {
    const retryCounts: (string | null)[] = [];
    server.use(
      http.get(APP_USERS, ({ request }) => {
        retryCounts.push(request.headers.get('x-okta-retry-count'));
        if (retryCounts.length === 1) {
          const now = new Date();
          return HttpResponse.json(oktaErrorJson('E0000047', 'API call exceeded rate limit due to too many requests.'), {
            status: 429,
            headers: {
              'X-Rate-Limit-Limit': '100',
              'X-Rate-Limit-Remaining': '0',
              'X-Rate-Limit-Reset': String(Math.floor(now.getTime() / 1000)),
              Date: now.toUTCString(),
              'X-Okta-Request-Id': 'req-1',
            },
          });
        }
        return HttpResponse.json([appUserJson('00u1')]);
      }),
    );

    const listing = await tokenSource().listAssignments();

    expect(retryCounts).toEqual([null, '1']);
    expect(listing.assignments.map((a) => a.oktaUserId)).toEqual(['00u1']);
  });

  it('surfaces a 429 without X-Rate-Limit-Reset as rate_limited', async () => {
    let calls = 0;
    server.use(
      http.get(APP_USERS, () => {
        calls += 1;
        return HttpResponse.json(oktaErrorJson('E0000047', 'API call exceeded rate limit due to too many requests.'), { status: 429 });
      }),
    );
    const error = await rejectionOf(tokenSource().listAssignments());
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, oktaErrorCode: 'E0000047' });
    expect(calls).toBe(1);
  });

  it('turns a non-JSON 5xx into api_error with its status', async () => {
    server.use(http.get(APP_USERS, () => new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })));
    const error = await rejectionOf(tokenSource().listAssignments());
    expect(error).toMatchObject({ code: 'api_error', status: 502, oktaErrorCode: null });
  });

  it('turns a connection failure into network', async () => {
    server.use(http.get(APP_USERS, () => HttpResponse.error()));
    const error = await rejectionOf(tokenSource().listAssignments());
    expect(error).toMatchObject({ code: 'network', status: null });
  });
});

describe('OktaSource.checkAccess', () => {
  const APP = `${ORG}/api/v1/apps/:appId`;

  it('passes when the token can read the app, sending it as SSWS', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(APP, ({ request, params }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json({ id: params['appId'], name: 'dialpad', label: 'Dialpad', status: 'ACTIVE', signOnMode: 'SAML_2_0' });
      }),
    );
    await tokenSource().checkAccess();
    expect(seen).toEqual([`SSWS ${TOKEN}`]);
  });

  it('turns a 401 into unauthorized without the token anywhere in the error', async () => {
    server.use(http.get(APP, () => HttpResponse.json(oktaErrorJson('E0000011', 'Invalid token provided'), { status: 401 })));
    const error = await rejectionOf(tokenSource().checkAccess());
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, oktaErrorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    expect(error.message).toMatch(/^Okta rejected the credentials/);
    expect(error.message).not.toContain(TOKEN);
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('turns a 403 into forbidden naming okta.apps.read', async () => {
    server.use(http.get(APP, () => HttpResponse.json(oktaErrorJson('E0000006', 'You do not have permission to perform the requested action'), { status: 403 })));
    const error = await rejectionOf(tokenSource().checkAccess());
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('okta.apps.read');
  });

  it('turns a 404 into app_not_found naming the app id', async () => {
    server.use(http.get(APP, () => HttpResponse.json(oktaErrorJson('E0000007', `Not found: Resource not found: ${APP_ID} (AppInstance)`), { status: 404 })));
    const error = await rejectionOf(tokenSource().checkAccess());
    expect(error).toMatchObject({ code: 'app_not_found', status: 404, oktaErrorCode: 'E0000007' });
    expect(error.message).toContain(APP_ID);
  });

  describe('with a service app (PrivateKey)', () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });

    function privateKeySource(key = privateKey): OktaSource {
      const client = createOktaClient({
        orgUrl: ORG,
        appId: APP_ID,
        auth: { kind: 'privateKey', clientId: '0oaService', privateKey: key, keyId: 'kid-1', scopes: ['okta.apps.read', 'okta.users.read'] },
      });
      return new OktaSource({ client, appId: APP_ID });
    }

    it('says the token endpoint refused the credentials instead of a vague 401', async () => {
      let appCalls = 0;
      server.use(
        http.post(`${ORG}/oauth2/v1/token`, () =>
          HttpResponse.json({ error: 'invalid_client', error_description: 'The client_assertion signature is invalid.' }, { status: 401 }),
        ),
        http.get(APP, () => {
          appCalls += 1;
          return HttpResponse.json(oktaErrorJson('E0000011', 'Invalid token provided'), { status: 401 });
        }),
      );
      const error = await rejectionOf(privateKeySource().checkAccess());
      expect(error).toMatchObject({ code: 'unauthorized', oktaErrorCode: 'invalid_client' });
      expect(error.message).toContain("token endpoint refused the credentials of service app 0oaService");
      expect(error.message).toContain('The client_assertion signature is invalid.');
      expect(appCalls).toBe(0);
    });

    it('says which scopes are missing when the token endpoint answers invalid_scope', async () => {
      server.use(
        http.post(`${ORG}/oauth2/v1/token`, () =>
          HttpResponse.json({ error: 'invalid_scope', error_description: 'The following scopes are not allowed: okta.apps.read' }, { status: 400 }),
        ),
      );
      const error = await rejectionOf(privateKeySource().checkAccess());
      expect(error.code).toBe('forbidden');
      expect(error.message).toContain('okta.apps.read');
    });

    it('gets a token with the scopes and uses it as Bearer', async () => {
      const tokenRequests: URLSearchParams[] = [];
      const authorizations: (string | null)[] = [];
      server.use(
        http.post(`${ORG}/oauth2/v1/token`, async ({ request }) => {
          tokenRequests.push(new URLSearchParams(await request.text()));
          return HttpResponse.json({ token_type: 'Bearer', expires_in: 3600, access_token: 'at-1', scope: 'okta.apps.read okta.users.read' });
        }),
        http.get(APP, ({ request }) => {
          authorizations.push(request.headers.get('authorization'));
          return HttpResponse.json({ id: APP_ID, name: 'dialpad', label: 'Dialpad', status: 'ACTIVE', signOnMode: 'SAML_2_0' });
        }),
      );
      await privateKeySource().checkAccess();
      expect(tokenRequests.map((params) => [params.get('grant_type'), params.get('scope')])).toEqual([
        ['client_credentials', 'okta.apps.read okta.users.read'],
      ]);
      expect(authorizations).toEqual(['Bearer at-1']);
    });

    it('reports an unreadable private key without repeating it', async () => {
      const badKey = '-----BEGIN PRIVATE KEY-----\nnot-a-key-c2VjcmV0\n-----END PRIVATE KEY-----';
      const error = await rejectionOf(privateKeySource(badKey).checkAccess());
      expect(error.code).toBe('unauthorized');
      expect(error.message).toContain('private key');
      expect(inspect(error, { depth: 10 })).not.toContain('c2VjcmV0');
    });
  });
});

describe('OktaSource.getAssignment', () => {
  it('reads one app user with expand=user', async () => {
    const expands: (string | null)[] = [];
    server.use(
      http.get(`${APP_USERS}/:userId`, ({ request, params }) => {
        expands.push(new URL(request.url).searchParams.get('expand'));
        return HttpResponse.json(appUserJson(String(params['userId'])));
      }),
    );
    const assignment = await tokenSource().getAssignment('00u7');
    expect(expands).toEqual(['user']);
    expect(assignment).toMatchObject({ oktaUserId: '00u7', scope: 'USER', status: 'ACTIVE', profile: { login: '00u7@acme.example' } });
  });

  it('keeps only the keepAttributes of the profile and app profile', async () => {
    server.use(
      http.get(`${APP_USERS}/:userId`, ({ params }) => {
        const id = String(params['userId']);
        return HttpResponse.json(
          appUserJson(id, { profile: { licenseType: 'talk', officeName: 'Paris' }, user: userJson(id, { profile: { title: 'Engineer', mobilePhone: '+33100000000' } }) }),
        );
      }),
    );
    const assignment = await keepingSource(['login', 'email', 'title', 'officeName']).getAssignment('00u7');
    expect(assignment?.profile).toEqual({ login: '00u7@acme.example', email: '00u7@acme.example', title: 'Engineer' });
    expect(assignment?.appProfile).toEqual({ officeName: 'Paris' });
  });

  it('keeps every attribute without keepAttributes', async () => {
    server.use(
      http.get(`${APP_USERS}/:userId`, ({ params }) => {
        const id = String(params['userId']);
        return HttpResponse.json(appUserJson(id, { user: userJson(id, { profile: { mobilePhone: '+33100000000' } }) }));
      }),
    );
    const assignment = await tokenSource().getAssignment('00u7');
    expect(assignment?.profile).toEqual({
      login: '00u7@acme.example',
      email: '00u7@acme.example',
      firstName: 'First 00u7',
      lastName: 'Last 00u7',
      mobilePhone: '+33100000000',
    });
    expect(assignment?.appProfile).toEqual({ licenseType: 'talk', officeName: 'Paris' });
  });

  it('gives null when the user is not assigned (404)', async () => {
    server.use(http.get(`${APP_USERS}/:userId`, () => HttpResponse.json(oktaErrorJson('E0000007', 'Not found: Resource not found: 00u7 (AppUser)'), { status: 404 })));
    expect(await tokenSource().getAssignment('00u7')).toBeNull();
  });

  it('throws invalid_response for an app user it cannot read', async () => {
    server.use(http.get(`${APP_USERS}/:userId`, () => HttpResponse.json(appUserJson('00u7', { user: null }))));
    const error = await rejectionOf(tokenSource().getAssignment('00u7'));
    expect(error.code).toBe('invalid_response');
  });
});

describe('OktaSource user lookups', () => {
  it('finds a user id by login', async () => {
    const paths: string[] = [];
    server.use(
      http.get(`${ORG}/api/v1/users/:userId`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json(userJson('00u9', { profile: { login: 'jane.doe@acme.example' } }));
      }),
    );
    expect(await tokenSource().findUserIdByLogin('jane.doe@acme.example')).toBe('00u9');
    expect(paths.map(decodeURIComponent)).toEqual(['/api/v1/users/jane.doe@acme.example']);
  });

  it('gives null for an unknown login', async () => {
    server.use(http.get(`${ORG}/api/v1/users/:userId`, () => HttpResponse.json(oktaErrorJson('E0000007', 'Not found: Resource not found: nobody (User)'), { status: 404 })));
    expect(await tokenSource().findUserIdByLogin('nobody@acme.example')).toBeNull();
  });

  it('gives the fate of a user: exists with its status, or deleted on 404', async () => {
    server.use(
      http.get(`${ORG}/api/v1/users/:userId`, ({ params }) =>
        params['userId'] === '00uGone'
          ? HttpResponse.json(oktaErrorJson('E0000007', 'Not found: Resource not found: 00uGone (User)'), { status: 404 })
          : HttpResponse.json(userJson(String(params['userId']), { status: 'DEPROVISIONED' })),
      ),
    );
    const source = tokenSource();
    expect(await source.getUserFate('00uGone')).toEqual({ kind: 'deleted' });
    expect(await source.getUserFate('00u1')).toEqual({ kind: 'exists', status: 'DEPROVISIONED' });
  });

  it('reads the user afresh every time (no SDK cache)', async () => {
    const statuses = ['ACTIVE', 'SUSPENDED'];
    let calls = 0;
    server.use(
      http.get(`${ORG}/api/v1/users/:userId`, () => {
        calls += 1;
        return HttpResponse.json(userJson('00u1', { status: statuses[calls - 1] ?? 'ACTIVE' }));
      }),
    );
    const source = tokenSource();
    expect(await source.getUserFate('00u1')).toEqual({ kind: 'exists', status: 'ACTIVE' });
    expect(await source.getUserFate('00u1')).toEqual({ kind: 'exists', status: 'SUSPENDED' });
    expect(calls).toBe(2);
  });

  it('does not call a user with an unknown status deleted', async () => {
    server.use(http.get(`${ORG}/api/v1/users/:userId`, () => HttpResponse.json(userJson('00u1', { status: 'SOMETHING_NEW' }))));
    const error = await rejectionOf(tokenSource().getUserFate('00u1'));
    expect(error.code).toBe('invalid_response');
  });
});

describe('OktaSource.writeProfileAttribute', () => {
  interface Write {
    method: string;
    path: string;
    body: string;
  }

  function recordWrites(writes: Write[]) {
    const record = async ({ request }: { request: Request }) => {
      writes.push({ method: request.method, path: new URL(request.url).pathname, body: await request.text() });
      return HttpResponse.json(appUserJson('00u1'));
    };
    server.use(
      http.post(`${ORG}/api/v1/users/:userId`, async ({ request }) => {
        writes.push({ method: request.method, path: new URL(request.url).pathname, body: await request.text() });
        return HttpResponse.json(userJson('00u1'));
      }),
      http.put(`${ORG}/api/v1/users/:userId`, record),
      http.post(`${APP_USERS}/:userId`, record),
      http.put(`${APP_USERS}/:userId`, record),
    );
  }

  it('updates the Okta user with a partial POST holding only the attribute', async () => {
    const writes: Write[] = [];
    recordWrites(writes);
    await tokenSource().writeProfileAttribute('00u1', 'user', 'dialpadPhone', '+15551234567');
    expect(writes).toEqual([{ method: 'POST', path: '/api/v1/users/00u1', body: '{"profile":{"dialpadPhone":"+15551234567"}}' }]);
  });

  it('clears the attribute with null', async () => {
    const writes: Write[] = [];
    recordWrites(writes);
    await tokenSource().writeProfileAttribute('00u1', 'user', 'dialpadPhone', null);
    expect(writes).toEqual([{ method: 'POST', path: '/api/v1/users/00u1', body: '{"profile":{"dialpadPhone":null}}' }]);
  });

  it('writes to the app user of the configured app for the appUser target', async () => {
    const writes: Write[] = [];
    recordWrites(writes);
    await tokenSource().writeProfileAttribute('00u1', 'appUser', 'dialpadPhone', '+15551234567');
    expect(writes).toEqual([{ method: 'POST', path: `/api/v1/apps/${APP_ID}/users/00u1`, body: '{"profile":{"dialpadPhone":"+15551234567"}}' }]);
  });

  it('explains a 400 for an attribute missing from the profile schema', async () => {
    server.use(
      http.post(`${ORG}/api/v1/users/:userId`, () =>
        HttpResponse.json(oktaErrorJson('E0000001', 'Api validation failed: profile', ["dialpadPhone: Property name 'dialpadPhone' is not defined in profile"]), { status: 400 }),
      ),
    );
    const error = await rejectionOf(tokenSource().writeProfileAttribute('00u1', 'user', 'dialpadPhone', '+15551234567'));
    expect(error).toMatchObject({ code: 'bad_request', status: 400, oktaErrorCode: 'E0000001' });
    expect(error.errorCauses).toEqual(["dialpadPhone: Property name 'dialpadPhone' is not defined in profile"]);
    expect(error.message).toContain('Profile Editor');
  });

  it('turns a 403 on the app user (mapped attribute) into forbidden', async () => {
    server.use(
      http.post(`${APP_USERS}/:userId`, () =>
        HttpResponse.json(oktaErrorJson('E0000075', 'Cannot modify the dialpadPhone attribute because it has a field mapping and profile push is enabled.'), { status: 403 }),
      ),
    );
    const error = await rejectionOf(tokenSource().writeProfileAttribute('00u1', 'appUser', 'dialpadPhone', '+15551234567'));
    expect(error).toMatchObject({ code: 'forbidden', oktaErrorCode: 'E0000075' });
  });
});

describe('OktaSource options', () => {
  it('refuses a page size Okta would not accept', () => {
    const client = createOktaClient({ orgUrl: ORG, appId: APP_ID, auth: { kind: 'token', token: TOKEN } });
    expect(() => new OktaSource({ client, appId: APP_ID, pageSize: 501 })).toThrow(RangeError);
    expect(() => new OktaSource({ client, appId: APP_ID, pageSize: 0 })).toThrow(RangeError);
  });
});

describe('OktaSource.getOrgId', () => {
  it("reads the org's id from its public metadata, and answers null when the org does not tell", async () => {
    server.use(http.get(`${ORG}/.well-known/okta-organization`, () => HttpResponse.json({ id: '00o1abc', pipeline: 'idx', _links: { organization: { href: ORG } } })));
    expect(await tokenSource().getOrgId()).toBe('00o1abc');
    server.use(http.get(`${ORG}/.well-known/okta-organization`, () => HttpResponse.json({ pipeline: 'v1' })));
    expect(await tokenSource().getOrgId()).toBeNull();
    server.use(http.get(`${ORG}/.well-known/okta-organization`, () => HttpResponse.json(oktaErrorJson('E0000007', 'Not found'), { status: 404 })));
    expect(await tokenSource().getOrgId()).toBeNull();
  });
});
