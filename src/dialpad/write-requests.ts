// Dialpad's writes, each described once: the method, path and JSON body of every write the gateway offers. The
// client sends exactly these, and the action journal records them as they are described here, so no Dialpad path
// or field name is spelled outside this folder. Each names its operation in Dialpad's OpenAPI spec.
import { Int64Literal } from './int64-json.js';
import type { AssignNumberInput, CreateUserInput, UpdateUserInput } from './types.js';

/** One write to Dialpad's REST API v2, as sent. */
export interface DialpadWriteRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  /** Below the base URL, ids encoded; no query string. */
  path: string;
  /**
   * The JSON body. Int64 ids are Int64Literal: the client writes them as bare numbers (stringifyJsonWithInt64),
   * a plain JSON.stringify (the journal's) as strings of their digits.
   */
  body?: Record<string, unknown>;
}

/** The users collection: GET lists it, POST creates in it. */
export const USERS_PATH = '/api/v2/users';

/** One user's resource: GET reads it, PATCH updates it, DELETE deletes it. */
export function userPath(id: string): string {
  return `${USERS_PATH}/${encodeURIComponent(id)}`;
}

/** POST /api/v2/users (`users.create`): the user as created; Dialpad's create takes no job title. */
export function createUserRequest(input: CreateUserInput): DialpadWriteRequest {
  return {
    method: 'POST',
    path: USERS_PATH,
    body: {
      email: input.email,
      office_id: new Int64Literal(input.officeId),
      first_name: input.firstName,
      last_name: input.lastName,
      license: input.license,
      auto_assign: input.autoAssign,
    },
  };
}

/**
 * PATCH /api/v2/users/{id} (`users.update`): only the fields asked for are in the body, since Dialpad's PATCH
 * updates the fields that are present.
 */
export function updateUserRequest(id: string, input: UpdateUserInput): DialpadWriteRequest {
  const fields: Record<string, unknown> = {
    first_name: input.firstName,
    last_name: input.lastName,
    job_title: input.jobTitle,
    emails: input.emails,
    state: input.state,
    license: input.license,
    keep_paid_numbers: input.keepPaidNumbers,
  };
  return { method: 'PATCH', path: userPath(id), body: Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) };
}

/** PATCH /api/v2/users/{id}/move_office (`users.move_office.patch`): the user into office `officeId`. */
export function moveOfficeRequest(id: string, officeId: string): DialpadWriteRequest {
  return { method: 'PATCH', path: `${userPath(id)}/move_office`, body: { office_id: new Int64Literal(officeId) } };
}

/**
 * POST /api/v2/users/{id}/assign_number (`numbers.assign_user_number.post`): a given number, or one from the office's pool
 * (by area code when given); primary unless `primary` is false.
 */
export function assignNumberRequest(id: string, input: AssignNumberInput): DialpadWriteRequest {
  const body: Record<string, unknown> = {};
  if (input.number !== undefined) body.number = input.number;
  if (input.areaCode !== undefined) body.area_code = input.areaCode;
  body.primary = input.primary ?? true;
  return { method: 'POST', path: `${userPath(id)}/assign_number`, body };
}

/** DELETE /api/v2/users/{id} (`users.delete`). */
export function deleteUserRequest(id: string): DialpadWriteRequest {
  return { method: 'DELETE', path: userPath(id) };
}
