import { describe, expect, it } from 'vitest';
import { checkTenant, describeTenantRefusal, repinnedTenant, type TenantIdentity } from '../../src/plan/tenant-check.js';

const pinned: TenantIdentity = {
  dialpadCompanyId: '4700000000000000001',
  dialpadCompanyName: 'Example Corp',
  oktaOrgUrl: 'https://acme.okta.com',
  oktaOrgId: '00oACME',
  oktaAppId: '0oaDIALPAD',
};
const otherCompany: TenantIdentity = { ...pinned, dialpadCompanyId: '4700000000000000002', dialpadCompanyName: 'Other Corp' };

describe('checkTenant', () => {
  it.each([
    ['the pinned tenant answers', pinned, { kind: 'match' }],
    ['the same company under another name (names are not compared)', { ...pinned, dialpadCompanyName: 'Example Corp (renamed)' }, { kind: 'match' }],
    ['the same org URL in other case and with a trailing slash', { ...pinned, oktaOrgUrl: 'https://ACME.okta.com/' }, { kind: 'match' }],
    [
      'the API key of another Dialpad company',
      otherCompany,
      { kind: 'mismatch', differences: [{ field: 'dialpad_company', pinned: '4700000000000000001 (Example Corp)', answering: '4700000000000000002 (Other Corp)' }] },
    ],
    ['another app of the same Okta org', { ...pinned, oktaAppId: '0oaOTHER' }, { kind: 'mismatch', differences: [{ field: 'okta_app', pinned: '0oaDIALPAD', answering: '0oaOTHER' }] }],
    [
      'another Okta org URL (its id not read)',
      { ...pinned, oktaOrgUrl: 'https://other.okta.com', oktaOrgId: null },
      { kind: 'mismatch', differences: [{ field: 'okta_org', pinned: 'https://acme.okta.com (org 00oACME)', answering: 'https://other.okta.com' }] },
    ],
    [
      'another Okta org, by its id',
      { ...pinned, oktaOrgUrl: 'https://other.okta.com', oktaOrgId: '00oOTHER' },
      { kind: 'mismatch', differences: [{ field: 'okta_org', pinned: 'https://acme.okta.com (org 00oACME)', answering: 'https://other.okta.com (org 00oOTHER)' }] },
    ],
    ['the pinned org at its custom domain (the same org id)', { ...pinned, oktaOrgUrl: 'https://login.acme.com', oktaOrgId: '00oACME' }, { kind: 'match' }],
    ['the pinned org URL, its id not read on this run', { ...pinned, oktaOrgId: null }, { kind: 'match' }],
    [
      'the same host on another port',
      { ...pinned, oktaOrgUrl: 'https://acme.okta.com:8443', oktaOrgId: null },
      { kind: 'mismatch', differences: [{ field: 'okta_org', pinned: 'https://acme.okta.com (org 00oACME)', answering: 'https://acme.okta.com:8443' }] },
    ],
  ])('%s', (_situation, answering, verdict) => {
    expect(checkTenant({ pinned, answering, linkSample: null })).toEqual(verdict);
  });

  it('names every part that differs, Dialpad first', () => {
    const answering = { ...otherCompany, oktaOrgUrl: 'https://other.okta.com', oktaOrgId: null, oktaAppId: '0oaOTHER' };
    const check = checkTenant({ pinned, answering, linkSample: null });
    expect(check.kind === 'mismatch' && check.differences.map((d) => d.field)).toEqual(['dialpad_company', 'okta_org', 'okta_app']);
  });

  it.each([
    ['an empty store', null, { kind: 'pin', reason: 'first_run' }],
    ['a store whose links were all found', { sampled: 10, found: 10 }, { kind: 'pin', reason: 'existing_store' }],
    ['a store with one linked user deleted in Dialpad since', { sampled: 3, found: 2 }, { kind: 'pin', reason: 'existing_store' }],
    ['a store none of whose linked users exist in this company', { sampled: 10, found: 0 }, { kind: 'unproven', sample: { sampled: 10, found: 0 } }],
    ['a store with exactly half found (not more than half)', { sampled: 4, found: 2 }, { kind: 'unproven', sample: { sampled: 4, found: 2 } }],
  ])('with nothing pinned: %s', (_situation, linkSample, verdict) => {
    expect(checkTenant({ pinned: null, answering: otherCompany, linkSample })).toEqual(verdict);
  });

  it('compares with the pin, not the links, once pinned', () => {
    expect(checkTenant({ pinned, answering: pinned, linkSample: { sampled: 10, found: 0 } })).toEqual({ kind: 'match' });
  });
});

describe('describeTenantRefusal', () => {
  it('names the pinned and the answering tenant and the repin flag that accepts the change', () => {
    const check = checkTenant({ pinned, answering: otherCompany, linkSample: null });
    if (check.kind !== 'mismatch') throw new Error('expected a mismatch');
    const text = describeTenantRefusal(check, otherCompany);
    expect(text).toContain('pinned 4700000000000000001 (Example Corp), now answering 4700000000000000002 (Other Corp)');
    expect(text).toContain('dialsync repin --dialpad-company');
    expect(text).not.toContain('--okta-app');
  });

  it('asks for --okta-app once when both the org and the app differ', () => {
    const answering = { ...pinned, oktaOrgUrl: 'https://other.okta.com', oktaOrgId: null, oktaAppId: '0oaOTHER' };
    const check = checkTenant({ pinned, answering, linkSample: null });
    if (check.kind !== 'mismatch') throw new Error('expected a mismatch');
    expect(describeTenantRefusal(check, answering)).toMatch(/`dialsync repin --okta-app`/);
  });

  it('explains an unproven store with the counts and the company', () => {
    const check = checkTenant({ pinned: null, answering: otherCompany, linkSample: { sampled: 10, found: 0 } });
    if (check.kind !== 'unproven') throw new Error('expected unproven');
    const text = describeTenantRefusal(check, otherCompany);
    expect(text).toContain('only 0 of 10 linked Dialpad users checked exist in Dialpad company 4700000000000000002 (Other Corp)');
    expect(text).toContain('dialsync repin --dialpad-company --okta-app');
  });
});

describe('repinnedTenant', () => {
  const answering = { ...otherCompany, oktaAppId: '0oaOTHER' };

  it('takes only the Dialpad company with --dialpad-company', () => {
    expect(repinnedTenant(pinned, answering, { dialpadCompany: true, oktaApp: false })).toEqual({
      tenant: { ...pinned, dialpadCompanyId: '4700000000000000002', dialpadCompanyName: 'Other Corp' },
      differences: [{ field: 'dialpad_company', pinned: '4700000000000000001 (Example Corp)', answering: '4700000000000000002 (Other Corp)' }],
    });
  });

  it('takes only the Okta org and app with --okta-app', () => {
    expect(repinnedTenant(pinned, answering, { dialpadCompany: false, oktaApp: true })).toEqual({
      tenant: { ...pinned, oktaAppId: '0oaOTHER' },
      differences: [{ field: 'okta_app', pinned: '0oaDIALPAD', answering: '0oaOTHER' }],
    });
  });

  it('records a new URL of the same org (by id) as a change, though it is no mismatch', () => {
    const customDomain = { ...pinned, oktaOrgUrl: 'https://login.acme.com' };
    expect(repinnedTenant(pinned, customDomain, { dialpadCompany: false, oktaApp: true })).toEqual({
      tenant: customDomain,
      differences: [{ field: 'okta_org', pinned: 'https://acme.okta.com (org 00oACME)', answering: 'https://login.acme.com (org 00oACME)' }],
    });
  });

  it('has nothing to change when the named part already matches', () => {
    expect(repinnedTenant(pinned, pinned, { dialpadCompany: true, oktaApp: true }).differences).toEqual([]);
  });

  it('pins everything that answers when nothing was pinned', () => {
    expect(repinnedTenant(null, answering, { dialpadCompany: true, oktaApp: false })).toEqual({ tenant: answering, differences: [] });
  });
});
