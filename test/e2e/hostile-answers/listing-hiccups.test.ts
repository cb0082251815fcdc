// Listing hiccups: a cursor refused mid-listing, and pages that overlap (an item on two pages, as when users are
// added while a listing is read). After a first apply of the synced scenario org, with pages of 2 on Dialpad and 5
// on Okta, a second run has nothing to do: it must do nothing, count everyone once, and not fail.
import { beforeEach, describe, expect, it } from 'vitest';
import { applyInProcess, runInProcess, useSyncedScenario } from '../sync-scenario.js';

interface Report {
  counts: { assignments: number; dialpadUsers: number; offices: number };
  plan: { users: unknown[]; warnings: { message: string }[]; unmanaged: unknown[] };
}

const given = useSyncedScenario({ dialpad: { pageSize: 2 } }, 'dialpad:\n  requestsPerSecond: 20\nokta:\n  pageSize: 5\n');

beforeEach(() => {
  const world = given();
  world.okta.clearRequests();
  world.dialpad.clearRequests();
});

function apply(): Promise<{ code: number; report: Report; stderr: string }> {
  const world = given();
  return applyInProcess<Report>(world);
}

/** What a clean run reports: every user and office once. */
function realCounts() {
  const world = given();
  return { assignments: 21, dialpadUsers: world.dialpad.users().filter((u) => u.state !== 'deleted').length, offices: 3 };
}

function writes(): string[] {
  const world = given();
  return [...world.okta.requests, ...world.dialpad.requests].filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

function userListingRequests(): { query: string; status: number }[] {
  const world = given();
  return world.dialpad.requests.filter((r) => r.method === 'GET' && r.path === '/api/v2/users' && r.query.includes('state=all')).map((r) => ({ query: r.query, status: r.status }));
}

describe('a cursor refused mid-listing', () => {
  it('once: the listing restarts from its first page (logged) and the run does its (empty) work, exit 0', async () => {
    const world = given();
    world.dialpad.faultListing('users', { refuseCursors: 1 });
    const { code, report, stderr } = await apply();
    expect(code, stderr).toBe(0);
    expect(writes()).toEqual([]);
    expect(report.counts).toEqual(realCounts());
    expect(report.plan.users).toEqual([]);
    const requests = userListingRequests();
    // Page 1, page 2 refused, then the whole listing again.
    expect(requests[1]?.status).toBe(400);
    expect(requests.filter((r) => r.query === 'state=all')).toHaveLength(2);
    expect(requests.filter((r) => r.status === 400)).toHaveLength(1);
    expect(stderr).toContain('Dialpad refused a listing cursor; restarting the listing from its first page');
  });

  it('once on the office listing: restarted the same way', async () => {
    const world = given();
    world.dialpad.faultListing('offices', { refuseCursors: 1 });
    const { code, report } = await apply();
    expect(code).toBe(0);
    expect(report.counts).toEqual(realCounts());
  });

  it('once on the Okta app-user listing: restarted the same way', async () => {
    const world = given();
    world.okta.faultListing({ refuseCursors: 1 });
    const { code, report, stderr } = await apply();
    expect(code, stderr).toBe(0);
    expect(writes()).toEqual([]);
    expect(report.counts).toEqual(realCounts());
    expect(stderr).toContain('Okta refused a listing cursor');
  });

  it('twice: the run fails as a whole (exit 4) and changes nothing', async () => {
    const world = given();
    world.dialpad.faultListing('users', { refuseCursors: 2 });
    const run = await runInProcess(world, ['reconcile', '--apply']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('Invalid or expired cursor');
    expect(writes()).toEqual([]);
  });
});

describe('an item repeated across two pages is counted once', () => {
  it.each<[string, () => void]>([
    ['Dialpad users', () => given().dialpad.faultListing('users', { overlap: 1 })],
    ['Dialpad offices', () => given().dialpad.faultListing('offices', { overlap: 1 })],
    ['Okta app users', () => given().okta.faultListing({ overlap: 1 })],
    [
      'all of them at once',
      () => {
        const world = given();
        world.dialpad.faultListing('users', { overlap: 1 });
        world.dialpad.faultListing('offices', { overlap: 1 });
        world.okta.faultListing({ overlap: 1 });
      },
    ],
  ])('%s', async (_name, fault) => {
    fault();
    const { code, report } = await apply();
    expect(code).toBe(0);
    expect(writes()).toEqual([]);
    expect(report.counts).toEqual(realCounts());
    expect(report.plan.users).toEqual([]);
    expect(report.plan.unmanaged).toEqual([]);
    expect(report.plan.warnings).toEqual([]);
  });
});
