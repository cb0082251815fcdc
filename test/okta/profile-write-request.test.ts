import { describe, expect, it } from 'vitest';
import { profileWriteRequest } from '../../src/okta/profile-write-request.js';

describe('profileWriteRequest', () => {
  it.each([
    ['the user profile', profileWriteRequest('00u1', 'user', 'dialpadPhone', '+15551234567', '0oaApp'), '/api/v1/users/00u1', '+15551234567'],
    ['the app-user profile of the app', profileWriteRequest('00u1', 'appUser', 'dialpadPhone', null, '0oaApp'), '/api/v1/apps/0oaApp/users/00u1', null],
    ['the app-user profile, before the app is known (the journal)', profileWriteRequest('00u1', 'appUser', 'dialpadPhone', null), '/api/v1/apps/{appId}/users/00u1', null],
  ])('writes to %s with a partial POST holding only the attribute', (_name, request, path, value) => {
    expect(request).toEqual({ method: 'POST', path, body: { profile: { dialpadPhone: value } } });
  });
});
