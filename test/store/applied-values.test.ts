import { describe, expect, it } from 'vitest';
import type { AppliedRecord, AppliedValues } from '../../src/plan/types.js';
import { STORE_BACKENDS, useStore } from './backends.js';

const T1 = '2026-11-30T10:00:01.000Z';
const T2 = '2026-11-30T10:00:02.000Z';

/** A user's values as the packed form holds them: without the decision times. */
function withoutTimes(values: AppliedValues | undefined): AppliedValues | undefined {
  if (values === undefined) return undefined;
  return Object.fromEntries(Object.entries(values).map(([field, value]) => [field, { applied: value.applied, okta: value.okta }]));
}

describe.each(STORE_BACKENDS)('AppliedValueStore on %s', (backend) => {
  const store = useStore(backend, '2026-11-30T10:00:00Z');

  it('holds nothing in a new store', async () => {
    expect(await store().appliedValues.forUsers(null)).toEqual(new Map());
    expect(await store().appliedValues.forUsers(['62'])).toEqual(new Map());
  });

  it('records values, replaces a field recorded again and keeps the others, stamped with the clock', async () => {
    await store().appliedValues.record([
      { dialpadUserId: '621', field: 'job_title', applied: 'Engineer', okta: 'Engineer' },
      { dialpadUserId: '621', field: 'office', applied: '5001', okta: '5001' },
      { dialpadUserId: '622', field: 'license', applied: 'talk', okta: null },
    ]);
    await store().appliedValues.record([{ dialpadUserId: '621', field: 'job_title', applied: 'Staff Engineer', okta: 'Engineer' }]);
    expect(await store().appliedValues.forUsers(null)).toEqual(
      new Map([
        [
          '621',
          {
            job_title: { applied: 'Staff Engineer', okta: 'Engineer', at: T2 },
            office: { applied: '5001', okta: '5001', at: T1 },
          },
        ],
        ['622', { license: { applied: 'talk', okta: null, at: T1 } }],
      ]),
    );
    expect([...(await store().appliedValues.forUsers(['622', 'nobody'])).keys()]).toEqual(['622']);
  });

  it('takes the same field twice in one batch: the last wins', async () => {
    await store().appliedValues.record([
      { dialpadUserId: '621', field: 'first_name', applied: 'Ada', okta: 'Ada' },
      { dialpadUserId: '621', field: 'first_name', applied: 'Augusta', okta: 'Ada' },
    ]);
    expect((await store().appliedValues.forUsers(['621'])).get('621')).toEqual({ first_name: { applied: 'Augusta', okta: 'Ada', at: T1 } });
  });

  it('takes the same field twice in one batch, far apart (statements of 500 rows): the last wins', async () => {
    const filler: AppliedRecord[] = Array.from({ length: 700 }, (_, i) => ({ dialpadUserId: `7${String(i).padStart(4, '0')}`, field: 'office', applied: '5001', okta: '5001' }));
    await store().appliedValues.record([
      { dialpadUserId: '621', field: 'job_title', applied: 'Engineer', okta: 'Engineer' },
      ...filler.slice(0, 600),
      { dialpadUserId: '621', field: 'job_title', applied: 'Staff Engineer', okta: 'Engineer' },
      ...filler.slice(600),
      // Twice within one statement too, after the first chunk.
      { dialpadUserId: '621', field: 'job_title', applied: 'Principal', okta: 'Engineer' },
    ]);
    expect((await store().appliedValues.forUsers(['621'])).get('621')).toEqual({ job_title: { applied: 'Principal', okta: 'Engineer', at: T1 } });
    expect((await store().appliedValues.all()).size).toBe(701);
  });

  it('records and reads many users in chunks and pages (5 fields of 1,200 users)', async () => {
    const fields = ['first_name', 'last_name', 'job_title', 'office', 'license'] as const;
    const rows: AppliedRecord[] = [];
    for (let i = 0; i < 1_200; i += 1) for (const field of fields) rows.push({ dialpadUserId: `62${String(i).padStart(5, '0')}`, field, applied: `${field}-${i % 7}`, okta: `${field}-${i % 7}` });
    await store().appliedValues.record(rows);
    const all = await store().appliedValues.forUsers(null);
    expect(all.size).toBe(1_200);
    expect([...all.values()].every((values) => Object.keys(values).length === 5)).toBe(true);
    expect(all.get('6201199')?.license).toEqual({ applied: 'license-2', okta: 'license-2', at: T1 });
    // The full run's packed form: the same values, without the decision time, across pages.
    const packed = await store().appliedValues.all();
    expect(packed.size).toBe(1_200);
    for (const [id, values] of all) expect(packed.get(id)).toEqual(withoutTimes(values));
    const some = await store().appliedValues.forUsers(rows.slice(0, 3_000).map((row) => row.dialpadUserId));
    expect(some.size).toBe(600);
  });

  it('reads every user packed (all) as forUsers(null) does, without the decision times', async () => {
    await store().appliedValues.record([
      { dialpadUserId: '621', field: 'first_name', applied: 'Ada', okta: 'Ada' },
      { dialpadUserId: '621', field: 'job_title', applied: 'Countess', okta: 'Engineer' },
      { dialpadUserId: '621', field: 'license', applied: 'talk', okta: null },
      { dialpadUserId: '9', field: 'office', applied: null, okta: '5001' },
      { dialpadUserId: '9', field: 'last_name', applied: '', okta: null },
    ]);
    const plain = await store().appliedValues.forUsers(null);
    const packed = await store().appliedValues.all();
    expect([...packed.keys()].sort()).toEqual(['621', '9']);
    for (const id of ['621', '9', '62', 'nobody']) expect(packed.get(id)).toEqual(withoutTimes(plain.get(id)));
    expect(packed.get('621')).toEqual({ first_name: { applied: 'Ada', okta: 'Ada' }, job_title: { applied: 'Countess', okta: 'Engineer' }, license: { applied: 'talk', okta: null } });
  });

  it('forgets the fields of deleted Dialpad users only', async () => {
    await store().appliedValues.record([
      { dialpadUserId: '621', field: 'job_title', applied: 'Engineer', okta: 'Engineer' },
      { dialpadUserId: '622', field: 'job_title', applied: 'Engineer', okta: 'Engineer' },
    ]);
    await store().appliedValues.forget(['621']);
    expect([...(await store().appliedValues.forUsers(null)).keys()]).toEqual(['622']);
  });
});
