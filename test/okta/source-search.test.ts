// OktaSource.searchAssignments at the HTTP boundary: one page of listApplicationUsers with q (Okta's starts-with
// match on user name, first name, last name and email), expand=user, parsed with the listing's schemas.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { OktaError } from '../../src/okta/errors.js';
import { APP_ID, ORG, appUserJson, oktaErrorJson, tokenSource, useOktaServer, userJson } from './fake-okta.js';

const server = useOktaServer();

const APP_USERS = `${ORG}/api/v1/apps/:appId/users`;

describe('OktaSource.searchAssignments', () => {
  it('asks for one page of the app’s users starting with the query, with the users embedded, and reads them', async () => {
    const asked: URL[] = [];
    server.use(
      http.get(APP_USERS, ({ request, params }) => {
        const url = new URL(request.url);
        asked.push(url);
        expect(params['appId']).toBe(APP_ID);
        const items = [
          appUserJson('00u1', { user: userJson('00u1', { profile: { login: 'ann.lee@acme.example', email: 'ann.lee@acme.example', firstName: 'Ann', lastName: 'Lee' } }) }),
          appUserJson('00u2', { scope: 'GROUP', user: userJson('00u2', { status: 'SUSPENDED', profile: { login: 'lee.ko@acme.example', email: 'lee.ko@acme.example', firstName: 'Lee', lastName: 'Ko' } }) }),
          { id: '00u3', scope: 'USER', status: 'ACTIVE' },
        ];
        const headers = new Headers({ 'Content-Type': 'application/json' });
        headers.append('Link', `<${url.href}>; rel="self"`);
        headers.append('Link', `<${ORG}/api/v1/apps/${APP_ID}/users?after=00u3&limit=20&q=lee>; rel="next"`);
        return new HttpResponse(JSON.stringify(items), { status: 200, headers });
      }),
    );
    const found = await tokenSource().searchAssignments('  lee ', 20);
    expect(asked).toHaveLength(1);
    expect(Object.fromEntries(asked[0]?.searchParams ?? [])).toEqual({ q: 'lee', limit: '20', expand: 'user' });
    expect(found.assignments.map((a) => [a.oktaUserId, a.scope, a.status, a.profile.firstName, a.profile.lastName])).toEqual([
      ['00u1', 'USER', 'ACTIVE', 'Ann', 'Lee'],
      ['00u2', 'GROUP', 'SUSPENDED', 'Lee', 'Ko'],
    ]);
    // The item without its Okta user is rejected, not thrown; the next link is reported, not followed.
    expect(found.rejected.map((r) => r.oktaUserId)).toEqual(['00u3']);
    expect(found.more).toBe(true);
  });

  it('says there is no more without a next link', async () => {
    server.use(http.get(APP_USERS, () => HttpResponse.json([appUserJson('00u1')])));
    expect(await tokenSource().searchAssignments('00u1', 20)).toMatchObject({ more: false, rejected: [] });
  });

  it('asks nothing for a blank query', async () => {
    // No handler: a request would fail the test (unhandled requests are errors).
    expect(await tokenSource().searchAssignments('   ', 20)).toEqual({ assignments: [], rejected: [], more: false });
  });

  it('turns Okta’s refusal into an OktaError naming the search, and an answer that is not a list into invalid_response', async () => {
    server.use(http.get(APP_USERS, () => HttpResponse.json(oktaErrorJson('E0000006', 'You do not have permission to perform the requested action'), { status: 403 })));
    const refused = await tokenSource().searchAssignments('ann', 20).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OktaError);
    expect(refused).toMatchObject({ code: 'forbidden' });
    expect((refused as OktaError).message).toContain(`searching the users assigned to Okta app ${APP_ID}`);

    server.use(http.get(APP_USERS, () => HttpResponse.json({ id: '00u1' })));
    await expect(tokenSource().searchAssignments('ann', 20)).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('refuses a limit Okta would not accept', async () => {
    await expect(tokenSource().searchAssignments('ann', 0)).rejects.toThrow(RangeError);
    await expect(tokenSource().searchAssignments('ann', 501)).rejects.toThrow(RangeError);
  });
});
