import { describe, expect, it } from 'vitest';
import { API_BUDGETS, bucketOf, dialsyncBudgets, rateLimitFloor } from '../../bench/floor.js';

describe('rateLimitFloor', () => {
  it('is the slowest bucket: requests over budget', () => {
    // 1,000 Dialpad pages at 20/s = 50 s; 200 Okta app pages at 100/min = 120 s.
    const floor = rateLimitFloor({ dialpad: 1000, 'okta-apps': 200 }, API_BUDGETS);
    expect(floor.binding).toBe('okta-apps');
    expect(floor.ms).toBe(120_000);
    expect(floor.byBucket.dialpad).toBe(50_000);
  });

  it("uses dialsync's own share: 15/s Dialpad, half of each Okta bucket", () => {
    const floor = rateLimitFloor({ dialpad: 1500, 'okta-apps': 20 }, dialsyncBudgets());
    expect(floor.byBucket.dialpad).toBe(100_000);
    expect(floor.byBucket['okta-apps']).toBe(24_000);
    expect(floor.binding).toBe('dialpad');
  });

  it('divides by the time scale', () => {
    expect(rateLimitFloor({ 'okta-users': 600 }, API_BUDGETS, 10).ms).toBe(6_000);
    expect(() => rateLimitFloor({}, API_BUDGETS, 0)).toThrow(RangeError);
  });

  it('is zero without requests', () => {
    expect(rateLimitFloor({}, API_BUDGETS)).toMatchObject({ ms: 0, binding: null });
  });
});

describe('bucketOf', () => {
  it.each([
    ['okta', '/api/v1/apps/0oa1/users', 'okta-apps'],
    ['okta', '/api/v1/users/00u1', 'okta-users'],
    ['okta', '/api/v1/logs', 'okta-logs'],
    ['okta', '/api/v1/groups', 'okta-other'],
    ['dialpad', '/api/v2/users', 'dialpad'],
  ] as const)('%s %s → %s', (service, path, bucket) => {
    expect(bucketOf(service, path)).toBe(bucket);
  });
});
