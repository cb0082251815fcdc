import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DialpadSandbox } from '../../sandbox/dialpad/sandbox.js';
import { OktaSandbox } from '../../sandbox/okta/sandbox.js';
import { seedSampleOrg } from '../../sandbox/sample-org.js';

const okta = new OktaSandbox();
const dialpad = new DialpadSandbox();

beforeAll(async () => {
  await Promise.all([okta.start(), dialpad.start()]);
  seedSampleOrg(okta, dialpad);
});

afterAll(async () => {
  await Promise.all([okta.stop(), dialpad.stop()]);
});

describe('seedSampleOrg', () => {
  it('assigns twelve Okta users to the app, directly and through a group, one of them suspended', async () => {
    const res = await fetch(`${okta.url}/api/v1/apps/${okta.appId}/users?limit=200&expand=user`, { headers: { Authorization: `SSWS ${okta.token}` } });
    const appUsers = (await res.json()) as { scope: string; profile: { licenseType?: string; officeName?: string }; _embedded: { user: { status: string; profile: { login: string } } } }[];
    expect(appUsers).toHaveLength(12);
    expect(appUsers.filter((u) => u.scope === 'GROUP')).toHaveLength(3);
    expect(appUsers.filter((u) => u._embedded.user.status === 'SUSPENDED').map((u) => u._embedded.user.profile.login)).toEqual(['kate.oconnor@example.com']);
    const licenses = new Set(appUsers.map((u) => u.profile.licenseType));
    for (const value of ['Dialpad_Ai Voice', 'dialpad_support', 'dialpad_enterprise_plus', 'Dialpad_Ai Sales']) expect(licenses).toContain(value);
    expect(appUsers.some((u) => u.profile.officeName === 'new york ')).toBe(true);
    expect(okta.listUsers()).toHaveLength(13);
  });

  it('has three offices in two countries with pools, a user to adopt and one nobody owns', () => {
    const offices = dialpad.offices();
    expect(offices.map((o) => o.name)).toEqual(['New York', 'Austin', 'London']);
    expect(new Set(offices.map((o) => o.country))).toEqual(new Set(['us', 'gb']));
    expect(offices.every((o) => o.mainLines.length === 1)).toBe(true);
    expect(dialpad.numbers().filter((n) => n.status === 'available').length).toBeGreaterThanOrEqual(3);
    const oktaLogins = new Set(okta.listUsers().map((u) => String(u.profile.login)));
    const emails = dialpad.users().map((u) => u.emails[0] ?? '');
    expect(emails.filter((e) => oktaLogins.has(e))).toEqual(['jordan.lee@example.com']);
    expect(emails.filter((e) => !oktaLogins.has(e))).toEqual(['front.desk@example.com']);
  });
});
