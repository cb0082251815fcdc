import { describe, expect, it } from 'vitest';
import { answeringTenant } from '../../src/reconcile/tenant-guard.js';

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
