import { describe, expect, it } from 'vitest';
import { bearerToken, mintApiToken } from '../../src/console/api-token.js';

describe('API tokens', () => {
  it('are dsk_ and 43 base64url characters, different each time', () => {
    const token = mintApiToken();
    expect(token).toMatch(/^dsk_[A-Za-z0-9_-]{43}$/);
    expect(mintApiToken()).not.toBe(token);
    expect(mintApiToken((bytes) => Buffer.alloc(bytes, 0))).toBe(`dsk_${'A'.repeat(43)}`);
  });

  it('are read from a Bearer Authorization header; another credential is not one', () => {
    const token = mintApiToken();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwdw==')).toBeUndefined();
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer  ${token} `)).toBe(token);
    expect(bearerToken('Bearer eyJhbGciOi.something')).toBeNull();
    expect(bearerToken(`Bearer ${token}x`)).toBeNull();
  });
});
