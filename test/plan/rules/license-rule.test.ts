import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../src/plan/rules/default-rules.js';
import { resolveLicense } from '../../../src/plan/rules/license-rule.js';

describe('resolveLicense', () => {
  const r = defaultRules();

  it.each([
    ['dialpad_talk', 'talk'],
    ['DIALPAD_TALK', 'talk'],
    ['Dialpad_Ai Voice', 'talk'],
    ['  dialpad_ai voice  ', 'talk'],
    ['dialpad_lite', 'lite_lines'],
    ['Dialpad_Lite', 'lite_lines'],
    ['dialpad_support', 'lite_support_agents'],
    ['Dialpad_Support', 'lite_support_agents'],
    ['dialpad_sell', 'agents'],
    ['Dialpad_Ai Sales', 'agents'],
    ['DIALPAD_AI SALES', 'agents'],
    ['dialpad_tfb', 'magenta_lines'],
    ['Dialpad_TFB', 'magenta_lines'],
  ])('alias %j → %s', (value, license) => {
    expect(resolveLicense(value, r)).toEqual({ ok: true, license, source: 'alias' });
  });

  it.each([null, '', '   '])('missing (%j) → the default license', (value) => {
    expect(resolveLicense(value, r)).toEqual({ ok: true, license: 'talk', source: 'default' });
    expect(resolveLicense(value, { ...r, defaultLicense: 'agents' })).toEqual({ ok: true, license: 'agents', source: 'default' });
  });

  it.each([
    ['talk', 'talk'],
    ['Agents', 'agents'],
    [' lite_support_agents ', 'lite_support_agents'],
  ])('a Dialpad API license name (%j) is accepted as %s', (value, license) => {
    expect(resolveLicense(value, r)).toEqual({ ok: true, license, source: 'api-name' });
  });

  it.each(['Dialpad_Premium', 'support', 'dialpad talk', 'dialpad_ai'])('unknown %j → not ok, with the value', (value) => {
    expect(resolveLicense(value, r)).toEqual({ ok: false, value });
  });

  it('configured aliases are matched case-insensitively and win over API names', () => {
    const custom = { ...r, licenseAliases: { 'Sales Seat': 'agents' as const, talk: 'lite_lines' as const } };
    expect(resolveLicense('sales seat', custom)).toEqual({ ok: true, license: 'agents', source: 'alias' });
    expect(resolveLicense('TALK', custom)).toEqual({ ok: true, license: 'lite_lines', source: 'alias' });
  });
});
