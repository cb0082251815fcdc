import { describe, expect, it } from 'vitest';
import { stringifyJsonWithInt64 } from '../../src/dialpad/int64-json.js';
import {
  assignNumberRequest,
  createUserRequest,
  deleteUserRequest,
  moveOfficeRequest,
  updateUserRequest,
  type DialpadWriteRequest,
} from '../../src/dialpad/write-requests.js';

const USER = '6200000000000000123';
const OFFICE = '5220648944236254001';

/** The request as the journal stores it (a plain JSON.stringify) and as the client sends it. */
const journalView = (request: DialpadWriteRequest): unknown => JSON.parse(JSON.stringify(request));
const wireBody = (request: DialpadWriteRequest): string | undefined => (request.body === undefined ? undefined : stringifyJsonWithInt64(request.body));

describe('Dialpad write requests', () => {
  it.each([
    [
      'create a user',
      createUserRequest({ email: 'ann@acme.com', officeId: OFFICE, firstName: 'Ann', lastName: 'Lee', license: 'talk', autoAssign: true }),
      {
        method: 'POST',
        path: '/api/v2/users',
        body: { email: 'ann@acme.com', office_id: OFFICE, first_name: 'Ann', last_name: 'Lee', license: 'talk', auto_assign: true },
      },
      `{"email":"ann@acme.com","office_id":${OFFICE},"first_name":"Ann","last_name":"Lee","license":"talk","auto_assign":true}`,
    ],
    [
      'set a job title (only the fields asked for)',
      updateUserRequest(USER, { jobTitle: 'Engineer' }),
      { method: 'PATCH', path: `/api/v2/users/${USER}`, body: { job_title: 'Engineer' } },
      '{"job_title":"Engineer"}',
    ],
    [
      'change the license, keeping paid numbers',
      updateUserRequest(USER, { license: 'agents', keepPaidNumbers: true }),
      { method: 'PATCH', path: `/api/v2/users/${USER}`, body: { license: 'agents', keep_paid_numbers: true } },
      '{"license":"agents","keep_paid_numbers":true}',
    ],
    [
      'suspend',
      updateUserRequest(USER, { state: 'suspended' }),
      { method: 'PATCH', path: `/api/v2/users/${USER}`, body: { state: 'suspended' } },
      '{"state":"suspended"}',
    ],
    [
      'move office',
      moveOfficeRequest(USER, OFFICE),
      { method: 'PATCH', path: `/api/v2/users/${USER}/move_office`, body: { office_id: OFFICE } },
      `{"office_id":${OFFICE}}`,
    ],
    [
      'assign a number from an area code (primary by default)',
      assignNumberRequest(USER, { areaCode: '415' }),
      { method: 'POST', path: `/api/v2/users/${USER}/assign_number`, body: { area_code: '415', primary: true } },
      '{"area_code":"415","primary":true}',
    ],
    ['delete', deleteUserRequest(USER), { method: 'DELETE', path: `/api/v2/users/${USER}` }, undefined],
  ])('describes %s: int64 ids are strings in the journal, bare numbers on the wire', (_name, request, journaled, sent) => {
    expect(journalView(request)).toEqual(journaled);
    expect(wireBody(request)).toBe(sent);
  });

  it('encodes the id in the path', () => {
    expect(deleteUserRequest('a/b').path).toBe('/api/v2/users/a%2Fb');
  });
});
