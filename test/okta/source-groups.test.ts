// OktaSource's reads of the scoping groups (scope.groups): resolving names and ids, a group's members paged, and a
// user's groups by id; and a malformed page of the app's group assignments (the sandbox serves only good ones).
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { OktaError } from '../../src/okta/errors.js';
import { ScopeGroupError } from '../../src/okta/scope-group-error.js';
import { APP_ID, ORG, oktaErrorJson, tokenSource, useOktaServer, userJson } from './fake-okta.js';

const server = useOktaServer();

const PILOT = '00gpilot000000000001';
const PILOT_TWIN = '00gpilot000000000002';

function groupJson(id: string, name: string) {
  return { id, type: 'OKTA_GROUP', profile: { name, description: null }, _links: {} };
}

function linked(body: unknown, self: string, next: string | null): HttpResponse<string> {
  const headers = new Headers({ 'Content-Type': 'application/json' });
  headers.append('Link', `<${self}>; rel="self"`);
  if (next) headers.append('Link', `<${next}>; rel="next"`);
  return new HttpResponse(JSON.stringify(body), { status: 200, headers });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
}

describe('OktaSource.listGroupMemberIds', () => {
  it('reads every page (limit 200, following the Link headers) and keeps only the ids', async () => {
    const requests: URL[] = [];
    server.use(
      http.get(`${ORG}/api/v1/groups/:groupId/users`, ({ request, params }) => {
        const url = new URL(request.url);
        requests.push(url);
        expect(params['groupId']).toBe(PILOT);
        const after = url.searchParams.get('after');
        if (after === null) return linked([userJson('00u1'), userJson('00u2')], url.href, `${ORG}/api/v1/groups/${PILOT}/users?after=00u2&limit=200`);
        if (after === '00u2') return linked([userJson('00u3')], url.href, null);
        return HttpResponse.json(oktaErrorJson('E0000001', 'bad cursor'), { status: 400 });
      }),
    );
    const members = await tokenSource().listGroupMemberIds(PILOT);
    expect([...members]).toEqual(['00u1', '00u2', '00u3']);
    expect(requests.map((url) => [url.searchParams.get('limit'), url.searchParams.get('after')])).toEqual([
      ['200', null],
      ['200', '00u2'],
    ]);
  });

  it.each<[string, unknown]>([
    ['not a list', { error: 'nope' }],
    ['a user without an id', [userJson('00u1'), { status: 'ACTIVE', profile: {} }]],
  ])('rejects a page that is %s (the run fails rather than plan from part of the membership)', async (_name, body) => {
    server.use(
      http.get(`${ORG}/api/v1/groups/:groupId/users`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('after') === null) return linked([userJson('00u0')], url.href, `${ORG}/api/v1/groups/${PILOT}/users?after=00u0&limit=200`);
        return linked(body, url.href, null);
      }),
    );
    const error = await rejectionOf(tokenSource().listGroupMemberIds(PILOT));
    expect(error).toBeInstanceOf(OktaError);
    expect((error as OktaError).code).toBe('invalid_response');
    expect((error as OktaError).message).toMatch(/members of Okta group 00gpilot000000000001 \(page 2\)/);
  });

  it('fails on a group Okta does not have (404)', async () => {
    server.use(http.get(`${ORG}/api/v1/groups/:groupId/users`, () => HttpResponse.json(oktaErrorJson('E0000007', 'Not found'), { status: 404 })));
    const error = await rejectionOf(tokenSource().listGroupMemberIds(PILOT));
    expect((error as OktaError).code).toBe('not_found');
  });
});

describe('OktaSource.listAppGroupIds', () => {
  it('rejects a page that is not a list of group assignments with ids (page 2 named)', async () => {
    server.use(
      http.get(`${ORG}/api/v1/apps/:appId/groups`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('after') === null) return linked([{ id: PILOT }], url.href, `${ORG}/api/v1/apps/${APP_ID}/groups?after=${PILOT}&limit=200`);
        return linked([{ id: PILOT_TWIN }, { priority: 0 }], url.href, null);
      }),
    );
    const error = await rejectionOf(tokenSource().listAppGroupIds());
    expect(error).toBeInstanceOf(OktaError);
    expect((error as OktaError).code).toBe('invalid_response');
    expect((error as OktaError).message).toMatch(new RegExp(`^listing the groups assigned to Okta app ${APP_ID} \\(page 2\\): `));
  });
});

describe('OktaSource.resolveGroups', () => {
  function groupsServer(searches: string[]) {
    server.use(
      http.get(`${ORG}/api/v1/groups`, ({ request }) => {
        const url = new URL(request.url);
        const search = url.searchParams.get('search') ?? '';
        searches.push(search);
        // Okta's eq ignores case: "dialpad pilot" finds "Dialpad pilot" too.
        if (search === 'profile.name eq "Dialpad pilot"') return linked([groupJson(PILOT, 'Dialpad pilot'), groupJson('00gpilot000000000009', 'DIALPAD PILOT')], url.href, null);
        if (search === 'profile.name eq "Twins"') return linked([groupJson(PILOT, 'Twins')], url.href, `${ORG}/api/v1/groups?after=${PILOT}&search=x`);
        if (url.searchParams.get('after') === PILOT) return linked([groupJson(PILOT_TWIN, 'Twins')], url.href, null);
        if (search === 'profile.name eq "Say \\"hi\\""') return linked([groupJson(PILOT, 'Say "hi"')], url.href, null);
        return linked([], url.href, null);
      }),
      http.get(`${ORG}/api/v1/groups/:groupId`, ({ params }) => {
        const known = new Map([
          [PILOT, 'Dialpad pilot'],
          [PILOT_TWIN, 'Phones'],
        ]);
        const name = known.get(String(params['groupId']));
        return name === undefined ? HttpResponse.json(oktaErrorJson('E0000007', 'Not found'), { status: 404 }) : HttpResponse.json(groupJson(String(params['groupId']), name));
      }),
    );
  }

  it('resolves a name by exact match (case included) and an id by reading it; each group once', async () => {
    const searches: string[] = [];
    groupsServer(searches);
    expect(await tokenSource().resolveGroups(['Dialpad pilot', PILOT_TWIN, PILOT])).toEqual([
      { id: PILOT, name: 'Dialpad pilot' },
      { id: PILOT_TWIN, name: 'Phones' },
    ]);
    expect(searches).toEqual(['profile.name eq "Dialpad pilot"']);
  });

  it('escapes quotes in a name', async () => {
    groupsServer([]);
    expect(await tokenSource().resolveGroups(['Say "hi"'])).toEqual([{ id: PILOT, name: 'Say "hi"' }]);
  });

  it('rejects a page of the name lookup that is not a list of groups (page 2 named)', async () => {
    server.use(
      http.get(`${ORG}/api/v1/groups`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('after') === null) return linked([groupJson(PILOT, 'Twins')], url.href, `${ORG}/api/v1/groups?after=${PILOT}&limit=200`);
        return linked([{ id: PILOT_TWIN, profile: {} }], url.href, null);
      }),
    );
    const error = await rejectionOf(tokenSource().resolveGroups(['Twins']));
    expect(error).toBeInstanceOf(OktaError);
    expect((error as OktaError).code).toBe('invalid_response');
    expect((error as OktaError).message).toMatch(/^looking up the Okta group named "Twins" \(scope\.groups\) \(page 2\): /);
  });

  it.each<[string, string, ScopeGroupError['code'], RegExp]>([
    ['a name no group has', 'Nobody', 'group_not_found', /Okta has no group named "Nobody"/],
    ['a name in another case only', 'dialpad pilot', 'group_not_found', /no group named "dialpad pilot"/],
    ['a name two groups share (across pages)', 'Twins', 'group_name_ambiguous', /several Okta groups are named "Twins" \(00gpilot000000000001, 00gpilot000000000002\): give the id/],
    ['an id Okta does not know', '00gmissing0000000001', 'group_not_found', /no group with id "00gmissing0000000001" \(check the id in the Okta Admin Console, Directory > Groups: it is in the group's URL\)$/],
    ['a name, hinting at the id', 'Nobody', 'group_not_found', /no group named "Nobody" \(names match exactly, case included; or give the group's id, 00g…\)$/],
  ])('fails clearly on %s', async (_name, entry, code, message) => {
    groupsServer([]);
    const error = await rejectionOf(tokenSource().resolveGroups([entry]));
    expect(error).toBeInstanceOf(ScopeGroupError);
    expect((error as ScopeGroupError).code).toBe(code);
    expect((error as ScopeGroupError).message).toMatch(message);
  });
});

describe('OktaSource.listUserGroupIds', () => {
  it("lists a user's groups in one request", async () => {
    let requests = 0;
    server.use(
      http.get(`${ORG}/api/v1/users/:userId/groups`, ({ params }) => {
        requests += 1;
        expect(params['userId']).toBe('00u1');
        return HttpResponse.json([groupJson(PILOT, 'Dialpad pilot'), groupJson('00gEveryone0000000001', 'Everyone')]);
      }),
    );
    expect(await tokenSource().listUserGroupIds('00u1')).toEqual([PILOT, '00gEveryone0000000001']);
    expect(requests).toBe(1);
  });

  it('is empty for a user Okta no longer has (404), and rejects a malformed answer', async () => {
    server.use(http.get(`${ORG}/api/v1/users/:userId/groups`, ({ params }) =>
      params['userId'] === '00uGone' ? HttpResponse.json(oktaErrorJson('E0000007', 'Not found'), { status: 404 }) : HttpResponse.json([{ profile: { name: 'no id' } }]),
    ));
    expect(await tokenSource().listUserGroupIds('00uGone')).toEqual([]);
    expect(((await rejectionOf(tokenSource().listUserGroupIds('00u1'))) as OktaError).code).toBe('invalid_response');
  });
});
