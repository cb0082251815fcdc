import { describe, expect, it } from 'vitest';
import {
  availableLicensesSchema,
  numberProtoSchema,
  officeProtoSchema,
  toDialpadAvailableLicenses,
  toDialpadNumber,
  toDialpadOffice,
  toDialpadUserListing,
} from '../../src/dialpad/schema.js';

// Shaped like the spec's own example (ids as protobuf-JSON strings), plus fields we do not read.
const specExampleUser = {
  admin_office_ids: ['6422934115149452'],
  company_id: '4508591728425653',
  country: 'us',
  date_active: '2021-06-20T19:18:00',
  display_name: 'Tést Bot',
  emails: ['Bot@fuzz-ball.com', 'bot2@fuzz-ball.com'],
  first_name: 'Tést',
  group_details: [{ do_not_disturb: false, group_id: '6422934115149452', group_type: 'office', role: 'admin' }],
  id: '5835806903417907',
  job_title: 'Mock Job Title',
  language: 'en',
  last_name: 'Bot',
  license: 'talk',
  office_id: '6422934115149452',
  phone_numbers: ['+14155551001'],
  state: 'active',
  timezone: 'US/Pacific',
  some_future_field: { nested: true },
};

describe('toDialpadUserListing', () => {
  it('maps UserProto into DialpadUser, ids as strings', () => {
    const { users, rejected } = toDialpadUserListing([specExampleUser, { id: 42, state: 'deleted' }]);
    expect(rejected).toEqual([]);
    expect(users).toEqual([
      {
        id: '5835806903417907',
        emails: ['Bot@fuzz-ball.com', 'bot2@fuzz-ball.com'],
        firstName: 'Tést',
        lastName: 'Bot',
        jobTitle: 'Mock Job Title',
        officeId: '6422934115149452',
        license: 'talk',
        state: 'active',
        phoneNumbers: ['+14155551001'],
        country: 'us',
        language: 'en',
      },
      {
        id: '42',
        emails: [],
        firstName: null,
        lastName: null,
        jobTitle: null,
        officeId: null,
        license: null,
        state: 'deleted',
        phoneNumbers: [],
        country: null,
        language: null,
      },
    ]);
  });

  it('keeps license and state values the spec does not list yet', () => {
    const { users } = toDialpadUserListing([{ id: 1, state: 'archived', license: 'user' }]);
    expect(users[0]).toMatchObject({ state: 'archived', license: 'user' });
  });

  it('rejects, with a reason, a user without id or state or with wrong types, and keeps the others', () => {
    const { users, rejected } = toDialpadUserListing([
      { emails: ['a@x.com'], state: 'active' },
      { id: '77', emails: ['b@x.com'] },
      { id: 78, state: 'active', emails: [5] },
      { id: 'abc', state: 'active' },
      'not an object',
      { id: 79, state: 'active', emails: null, first_name: null },
    ]);
    expect(users.map((u) => u.id)).toEqual(['79']);
    expect(rejected).toHaveLength(5);
    expect(rejected[0]?.id).toBeNull();
    expect(rejected[0]?.reason).toMatch(/^id: /);
    expect(rejected[1]).toEqual({ id: '77', reason: 'state: state is missing', emails: ['b@x.com'] });
    expect(rejected[0]?.emails).toEqual(['a@x.com']);
    expect(rejected[2]?.id).toBe('78');
    expect(rejected[2]?.reason).toMatch(/^emails\.0: /);
    expect(rejected[3]).toMatchObject({ id: null });
    expect(rejected[3]?.reason).toContain('id');
    expect(rejected[4]?.id).toBeNull();
  });
});

describe('offices, numbers, licenses', () => {
  it('maps OfficeProto, taking office_id when id is absent', () => {
    const office = officeProtoSchema.parse({ office_id: 124, name: 'HQ', country: 'us', state: 'active', is_primary_office: true, phone_numbers: ['+14155551000'], ring_seconds: '30' });
    expect(toDialpadOffice(office)).toEqual({ id: '124', name: 'HQ', country: 'us', state: 'active', isPrimary: true, phoneNumbers: ['+14155551000'] });
    expect(toDialpadOffice(officeProtoSchema.parse({ id: '125' }))).toEqual({ id: '125', name: '', country: null, state: null, isPrimary: false, phoneNumbers: [] });
    expect(officeProtoSchema.safeParse({ name: 'no id' }).success).toBe(false);
  });

  it('maps NumberProto', () => {
    const number = numberProtoSchema.parse({ area_code: '415', company_id: '123', number: '+14155551002', office_id: '124', status: 'user', target_id: '2', target_type: 'user', type: 'local' });
    expect(toDialpadNumber(number)).toEqual({ number: '+14155551002', status: 'user', officeId: '124', targetId: '2', targetType: 'user', areaCode: '415' });
    expect(numberProtoSchema.safeParse({ status: 'available' }).success).toBe(false);
  });

  it('reads license counts sent as strings or numbers', () => {
    const proto = availableLicensesSchema.parse({ talk_lines: '4', sell_lines: 0, fax_lines: '1' });
    expect(toDialpadAvailableLicenses(proto)).toEqual({ talkLines: 4, sellLines: 0, contactCenterLines: null });
    expect(availableLicensesSchema.safeParse({ talk_lines: 'many' }).success).toBe(false);
  });
});
