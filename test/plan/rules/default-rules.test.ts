import { describe, expect, it } from 'vitest';
import { DEFAULT_LICENSE_ALIASES, defaultRules } from '../../../src/plan/rules/default-rules.js';

describe('defaultRules', () => {
  it('holds the documented defaults', () => {
    const r = defaultRules();
    expect(r.mapping).toEqual({
      firstName: 'firstName',
      lastName: 'lastName',
      email: ['login', 'email'],
      title: 'title',
      office: ['officeName', 'physicalDeliveryOfficeName', 'department'],
      country: 'countryCode',
      language: 'preferredLanguage',
      license: 'licenseType',
    });
    expect(r.inScopeStatuses).toEqual(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY']);
    expect(r.defaultLicense).toBe('talk');
    expect(r.drift).toEqual({ name: 'revert', job_title: 'revert', office: 'revert', license: 'report' });
    expect(r.noNumberLicenses).toEqual(['lite_support_agents']);
    expect(r.onDeactivated).toBe('suspend');
    expect(r.onOktaSuspended).toBe('suspend');
    expect(r.writeBack).toEqual({ enabled: true, attribute: 'dialpadPhone', target: 'user', onSuspended: 'keep' });
    expect(r.policy).toBe('sync');
    expect(r.countryOffices).toEqual({});
    expect(r.defaultOffice).toBeNull();
  });

  it('lists every alias of docs/rules.md#license with lower-case keys', () => {
    expect(DEFAULT_LICENSE_ALIASES).toEqual({
      dialpad_talk: 'talk',
      'dialpad_ai voice': 'talk',
      dialpad_lite: 'lite_lines',
      dialpad_support: 'lite_support_agents',
      dialpad_sell: 'agents',
      'dialpad_ai sales': 'agents',
      dialpad_tfb: 'magenta_lines',
    });
    for (const key of Object.keys(DEFAULT_LICENSE_ALIASES)) expect(key).toBe(key.toLowerCase());
  });

  it('returns a fresh copy each time', () => {
    const a = defaultRules();
    a.licenseAliases['custom'] = 'agents';
    a.mapping.email.push('secondEmail');
    const b = defaultRules();
    expect(b.licenseAliases['custom']).toBeUndefined();
    expect(b.mapping.email).toEqual(['login', 'email']);
  });
});
