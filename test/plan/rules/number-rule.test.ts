import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../src/plan/rules/default-rules.js';
import { NumberPool, areaCodeOf, planNumberAssignment, wantsNumber } from '../../../src/plan/rules/number-rule.js';
import { BERLIN, NY, SF, office, poolNumber } from '../fixtures.js';

describe('wantsNumber', () => {
  it.each([
    ['talk', true],
    ['agents', true],
    ['lite_lines', true],
    ['magenta_lines', true],
    ['lite_support_agents', false],
  ] as const)('%s → %s with the default rules', (license, expected) => {
    expect(wantsNumber(license, defaultRules())).toBe(expected);
  });

  it('follows noNumberLicenses', () => {
    expect(wantsNumber('lite_support_agents', { noNumberLicenses: [] })).toBe(true);
    expect(wantsNumber('talk', { noNumberLicenses: ['talk'] })).toBe(false);
  });
});

describe('NumberPool', () => {
  it('hands out the lowest available number of the office, each only once', () => {
    const pool = new NumberPool([
      poolNumber('+12125550199', NY.id),
      poolNumber('+12125550102', NY.id),
      poolNumber('+12125550101', NY.id, 'user'),
      poolNumber('+14155550123', SF.id),
      poolNumber('+12125550102', NY.id),
    ]);
    expect(pool.take(NY.id)).toBe('+12125550102');
    expect(pool.take(NY.id)).toBe('+12125550199');
    expect(pool.take(NY.id)).toBeNull();
    expect(pool.take(SF.id)).toBe('+14155550123');
    expect(pool.take(BERLIN.id)).toBeNull();
  });
});

describe('areaCodeOf', () => {
  it.each([
    ['+12125550100', '212'],
    ['+1 (415) 555-0100', '415'],
    ['+493055501000', null],
    ['+1212555', null],
  ])('%s → %j', (number, expected) => {
    expect(areaCodeOf(number)).toBe(expected);
  });
});

describe('planNumberAssignment', () => {
  it('takes a pool number first', () => {
    const action = planNumberAssignment(NY, new NumberPool([poolNumber('+12125550150', NY.id)]));
    expect(action).toMatchObject({ kind: 'assign_number', number: '+12125550150', areaCode: null });
    expect(action.reason).toContain('pool');
  });

  it.each([
    ['a +1 office: the main line area code', NY, '212'],
    ['an office abroad: Dialpad chooses', BERLIN, null],
    ['an office without a main line: Dialpad chooses', office({ id: '7', name: 'Remote', phoneNumbers: [] }), null],
  ])('empty pool, %s', (_label, o, areaCode) => {
    const action = planNumberAssignment(o, new NumberPool([poolNumber('+14155550123', SF.id)]));
    expect(action).toMatchObject({ kind: 'assign_number', number: null, areaCode });
    expect(action.reason).toContain(areaCode === null ? 'Dialpad chooses' : `area code ${areaCode}`);
  });
});
