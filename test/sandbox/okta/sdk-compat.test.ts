// The Okta sandbox must work with the SDK dialsync uses, including its Link parsing and 429 retry.
import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { afterEach, describe, expect, it } from 'vitest';
import { OktaSandbox } from '../../../sandbox/okta/sandbox.js';

let okta: OktaSandbox | undefined;

afterEach(async () => {
  await okta?.stop();
});

function clientFor(sandbox: OktaSandbox, maxRetries = 0): Client {
  return new Client({
    orgUrl: sandbox.url,
    token: sandbox.token,
    cacheMiddleware: null,
    requestExecutor: new DefaultRequestExecutor({ maxRetries, requestTimeout: 0 }),
  });
}

describe('OktaSandbox with @okta/okta-sdk-nodejs', () => {
  it('lists every app user across pages, losing _embedded.user after the first page (okta-sdk-nodejs#439)', async () => {
    okta = new OktaSandbox();
    await okta.start();
    const ids = Array.from({ length: 5 }, (_, i) => {
      const id = okta?.createUser({ login: `u${i}@example.com`, email: `u${i}@example.com` }) ?? '';
      okta?.assignUser(id);
      return id;
    });
    const collection = await clientFor(okta).applicationApi.listApplicationUsers({ appId: okta.appId, expand: 'user', limit: 2 });
    const seen: { id: string | undefined; embedded: boolean }[] = [];
    for await (const appUser of collection) {
      if (appUser !== null) seen.push({ id: appUser.id, embedded: appUser._embedded?.user !== undefined });
    }
    expect(seen.map((s) => s.id)).toEqual(ids);
    expect(seen.map((s) => s.embedded)).toEqual([true, true, false, false, false]);
  });

  it('sends a partial profile update that the sandbox merges', async () => {
    okta = new OktaSandbox();
    await okta.start();
    const id = okta.createUser({ login: 'p@example.com', email: 'p@example.com', firstName: 'Pat', lastName: 'Lee' });
    await clientFor(okta).userApi.updateUser({ userId: id, user: { profile: { dialpadPhone: '+12125550101' } } });
    expect(okta.getUser(id)?.profile).toEqual({ login: 'p@example.com', email: 'p@example.com', firstName: 'Pat', lastName: 'Lee', dialpadPhone: '+12125550101' });
    expect(okta.requests.map((r) => [r.method, r.path])).toEqual([['POST', `/api/v1/users/${id}`]]);
  });

  it('gives the SDK the Date and X-Rate-Limit-Reset it needs to wait and retry after a 429', async () => {
    okta = new OktaSandbox({ rateLimits: { users: 1, perMinuteWindowMs: 1000 } });
    await okta.start();
    const id = okta.createUser({ login: 'r@example.com', email: 'r@example.com' });
    const client = clientFor(okta, 2);
    await client.userApi.getUser({ userId: id });
    const started = Date.now();
    const user = await client.userApi.getUser({ userId: id });
    expect(user.id).toBe(id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(okta.requests.map((r) => r.status)).toEqual([200, 429, 200]);
  });
});
