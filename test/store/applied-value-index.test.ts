// The packed applied values a full run plans with: for every case, exactly what the plain map (forUsers) holds,
// minus the decision time.
import { describe, expect, it } from 'vitest';
import type { AppliedField, AppliedValues } from '../../src/plan/types.js';
import { AppliedValueIndexBuilder } from '../../src/store/applied-value-index.js';

type Row = [dialpadUserId: string, field: string, applied: string | null, okta: string | null];

/** What forUsers' map would hold for these rows (the last of a user and field wins), without `at`. */
function plainMap(rows: readonly Row[]): Map<string, AppliedValues> {
  const map = new Map<string, AppliedValues>();
  for (const [id, field, applied, okta] of rows) {
    if (!['first_name', 'last_name', 'job_title', 'office', 'license'].includes(field)) continue;
    const user = map.get(id) ?? {};
    user[field as AppliedField] = { applied, okta };
    map.set(id, user);
  }
  return map;
}

function indexOf(rows: readonly Row[]): ReturnType<AppliedValueIndexBuilder['build']> {
  const builder = new AppliedValueIndexBuilder();
  for (const [id, field, applied, okta] of rows) builder.add(id, { field, applied, okta });
  return builder.build();
}

const FIVE: Row[] = [
  ['621', 'first_name', 'Ada', 'Ada'],
  ['621', 'last_name', 'Lovelace', 'Lovelace'],
  ['621', 'job_title', 'Countess', 'Engineer'],
  ['621', 'office', '5001', '5001'],
  ['621', 'license', 'talk', null],
];

const CASES: { name: string; rows: Row[]; lookups: string[] }[] = [
  { name: 'five fields, one adopted (applied ≠ okta), one with no Okta value', rows: FIVE, lookups: ['621'] },
  { name: 'a user with no row, and an empty index', rows: [], lookups: ['621', '', 'x'] },
  { name: 'a missing field', rows: [['7', 'office', '5001', '5001']], lookups: ['7', '8'] },
  {
    name: 'null values and the empty string kept apart',
    rows: [
      ['9', 'first_name', null, null],
      ['9', 'last_name', '', null],
      ['9', 'job_title', null, ''],
      ['9', 'office', null, '5002'],
      ['9', 'license', '', ''],
    ],
    lookups: ['9'],
  },
  {
    name: 'users in any order, ids of different lengths (numeric order is not text order)',
    rows: [['100', 'office', 'a', 'a'], ['9', 'office', 'b', 'c'], ['4503599627370497', 'license', 'talk', 'talk'], ['9999999999999999999', 'office', 'd', 'd'], ['0', 'office', null, null], ...FIVE],
    lookups: ['100', '9', '4503599627370497', '4503599627370496', '9999999999999999999', '0', '621', '0100', '+9', '9.0', '', '99999999999999999999'],
  },
  {
    name: 'an id past 64 bits (all ids kept as text)',
    rows: [['18446744073709551616', 'office', 'd', 'd'], ['100', 'office', 'a', 'a'], ['9', 'office', 'b', 'c']],
    lookups: ['18446744073709551616', '100', '9', '0'],
  },
  {
    name: 'ids that are not all numbers (text order, found by text)',
    rows: [['b7', 'office', '1', '1'], ['0621', 'office', '2', '3'], ['a1', 'license', null, 'talk'], ['621', 'office', '4', '4']],
    lookups: ['b7', '0621', '621', 'a1', 'A1', '7'],
  },
  {
    name: 'a field given twice for one user keeps the last; a field it does not know is ignored',
    rows: [['5', 'job_title', 'Old', 'Old'], ['5', 'phone', '+1', '+1'], ['5', 'job_title', 'New', 'Old'], ['5', 'job_title', 'Newer', 'Newer'], ['6', 'phone', '+1', '+1']],
    lookups: ['5', '6'],
  },
];

describe('AppliedValueIndex', () => {
  it.each(CASES)('returns what the plain map returns: $name', ({ rows, lookups }) => {
    const plain = plainMap(rows);
    const index = indexOf(rows);
    for (const id of [...plain.keys(), ...lookups]) expect(index.get(id), id).toEqual(plain.get(id));
    expect([...index.keys()].sort()).toEqual([...plain.keys()].sort());
    expect(index.size).toBe(plain.size);
  });

  it('hands each field its own object, in the map’s shape (no decision time)', () => {
    const index = indexOf(FIVE);
    const first = index.get('621');
    expect(first).toStrictEqual(plainMap(FIVE).get('621'));
    if (first?.office) first.office.applied = 'changed';
    expect(index.get('621')?.office).toStrictEqual({ applied: '5001', okta: '5001' });
  });

  it('refuses rows of one user split by another user’s (the store reads a user’s rows together)', () => {
    expect(() =>
      indexOf([
        ['1', 'office', 'a', 'a'],
        ['2', 'office', 'a', 'a'],
        ['1', 'license', 'b', 'b'],
      ]),
    ).toThrow('applied values of Dialpad user 1 were not read together');
  });
});
