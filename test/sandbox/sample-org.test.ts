import { describe, expect, it } from 'vitest';
import { CONSOLE_ADMINS_GROUP, CONSOLE_VIEWERS_GROUP, SAMPLE_CONSOLE_LOGINS, SAMPLE_PILOT_GROUP } from '../../sandbox/sample-org.js';
import { useSampleOrg } from './use-sample-org.js';

const { okta, dialpad } = useSampleOrg();

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

  it('puts two users in dialsync-admins, one in dialsync-viewers and nobody else in either', () => {
    const inGroup = (group: string): string[] => okta.listUsers().filter((user) => okta.groupNamesOf(user.id).includes(group)).map((user) => String(user.profile.login));
    expect(inGroup(CONSOLE_ADMINS_GROUP)).toEqual([SAMPLE_CONSOLE_LOGINS.admin, 'jordan.lee@example.com']);
    expect(inGroup(CONSOLE_VIEWERS_GROUP)).toEqual([SAMPLE_CONSOLE_LOGINS.viewer]);
    expect(okta.groupNamesOf(okta.listUsers().find((user) => user.profile.login === SAMPLE_CONSOLE_LOGINS.nonMember)?.id ?? '')).toEqual([]);
  });

  it('has a pilot group and contractors to try scoping with', () => {
    const logins = (filter: (user: ReturnType<typeof okta.listUsers>[number]) => boolean): string[] => okta.listUsers().filter(filter).map((user) => String(user.profile.login));
    expect(logins((user) => okta.groupNamesOf(user.id).includes(SAMPLE_PILOT_GROUP))).toEqual(['alice.nguyen@example.com', 'carmen.diaz@example.com', 'ivan.petrov@example.com']);
    expect(logins((user) => user.profile.userType === 'Contractor')).toEqual(['george.brown@example.com', 'ivan.petrov@example.com']);
    expect(okta.listUsers().every((user) => user.profile.userType === 'Employee' || user.profile.userType === 'Contractor')).toBe(true);
  });
});
