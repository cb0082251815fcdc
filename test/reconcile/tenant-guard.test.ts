import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DialpadError } from '../../src/dialpad/errors.js';
import type { DialpadGateway, DialpadUserListing } from '../../src/dialpad/types.js';
import { silentLogger } from '../../src/log/logger.js';
import type { OktaGateway } from '../../src/okta/types.js';
import { answeringTenant, guardTenant, TenantMismatchError } from '../../src/reconcile/tenant-guard.js';
import { Store } from '../../src/store/store.js';

const configured = { oktaOrgUrl: 'https://acme.okta.com', oktaAppId: '0oa1' };

describe('answeringTenant', () => {
  it('pairs the Dialpad company with the configured Okta org and app', () => {
    expect(answeringTenant({ id: '4700000000000000001', name: 'Example Corp' }, configured, '00o1')).toEqual({
      dialpadCompanyId: '4700000000000000001',
      dialpadCompanyName: 'Example Corp',
      oktaOrgUrl: 'https://acme.okta.com',
      oktaOrgId: '00o1',
      oktaAppId: '0oa1',
    });
  });

  it('keeps a hostile company name to one line of at most 100 characters (it is only shown)', () => {
    const tenant = answeringTenant({ id: '1', name: `Evil\nCorp\u0000${'é'.repeat(5000)}` }, configured, null);
    expect(tenant.dialpadCompanyName).toMatch(/^Evil Corp é+$/);
    expect([...(tenant.dialpadCompanyName ?? '')]).toHaveLength(100);
    expect(answeringTenant({ id: '1', name: ' \n ' }, configured, null).dialpadCompanyName).toBeNull();
  });
});

describe('guardTenant on a store from before pinning', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(':memory:');
    await store.runs.start('run-1', 'reconcile', true);
    for (const i of [1, 2, 3]) await store.links.save({ oktaUserId: `00u${i}`, dialpadUserId: `62${i}`, origin: 'created' }, `u${i}@acme.com`);
  });
  afterEach(async () => {
    await store.close();
  });

  /** A Dialpad company that answers each linked user read by id with `answer`. */
  function company(answer: (id: string) => DialpadUserListing | Error): DialpadGateway {
    return {
      getCompany: () => Promise.resolve({ id: '4700000000000000002', name: 'Other Corp' }),
      getUserListing: (id: string) => {
        const result = answer(id);
        return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
      },
    } as unknown as DialpadGateway;
  }
  const okta = { getOrgId: () => Promise.resolve('00o1') } as unknown as OktaGateway;
  const guard = (dialpad: DialpadGateway) => guardTenant({ store, dialpad, okta, configured, apply: true, runId: 'run-1', logger: silentLogger() });
  const user = (id: string): DialpadUserListing => ({ users: [{ id, emails: [], firstName: null, lastName: null, jobTitle: null, officeId: null, license: null, state: 'active', phoneNumbers: [], country: null, language: null }], rejected: [] });

  it('pins when the linked users are there, one of them unreadable or gone', async () => {
    const report = await guard(company((id) => (id === '621' ? { users: [], rejected: [] } : id === '622' ? { users: [], rejected: [{ id, reason: 'state is missing' }] } : user(id))));
    expect(report.status).toBe('pinned');
    expect(await store.tenantPins.current()).toMatchObject({ dialpadCompanyId: '4700000000000000002', oktaOrgId: '00o1', reason: 'existing_store', runId: 'run-1' });
  });

  it.each([
    ['404', () => ({ users: [], rejected: [] })],
    ['403', () => new DialpadError({ code: 'forbidden', status: 403, method: 'GET', path: '/api/v2/users/{id}' })],
  ])('refuses when Dialpad answers %s for the linked users, and pins nothing', async (_status, answer) => {
    const error = await guard(company(answer)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantMismatchError);
    expect((error as TenantMismatchError).check).toEqual({ kind: 'unproven', sample: { sampled: 3, found: 0 } });
    expect(await store.tenantPins.current()).toBeNull();
  });

  it('lets any other failure through: the run fails, nothing is pinned', async () => {
    const failure = new DialpadError({ code: 'server_error', status: 503, method: 'GET', path: '/api/v2/users/{id}' });
    await expect(guard(company(() => failure))).rejects.toBe(failure);
    expect(await store.tenantPins.current()).toBeNull();
  });
});
