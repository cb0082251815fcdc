// The System Log incremental source against the Okta sandbox over real HTTP with the SDK's client.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOktaClient } from '../../src/okta/client.js';
import { OktaSource } from '../../src/okta/source.js';
import { SYSTEM_LOG_CHECKPOINT, SystemLogSource, type SystemLogSourceOptions } from '../../src/okta/system-log.js';
import { OktaSandbox } from '../../sandbox/okta/sandbox.js';
import { Store } from '../../src/store/store.js';

let okta: OktaSandbox;
let store: Store;

beforeEach(async () => {
  okta = new OktaSandbox();
  await okta.start();
  store = await Store.open(':memory:');
});

afterEach(async () => {
  await okta.stop();
  await store.close();
});

function client() {
  return createOktaClient({ orgUrl: okta.url, appId: okta.appId, auth: { kind: 'token', token: okta.token }, maxRetries: 0 });
}

function source(options: Partial<SystemLogSourceOptions> = {}): SystemLogSource {
  return new SystemLogSource({ client: client(), orgUrl: okta.url, appId: okta.appId, checkpoints: store.checkpoints, ...options });
}

function logRequests(): number {
  return okta.requests.filter((r) => r.path === '/api/v1/logs').length;
}

function hire(login: string): string {
  return okta.createUser({ login, email: login, firstName: login.split('@')[0] ?? login, lastName: 'Test' });
}

describe('SystemLogSource', () => {
  it('starts at the present on its first poll, without replaying earlier events, and saves that start at once', async () => {
    const before = hire('before@example.com');
    okta.assignUser(before);
    // `since` is inclusive: keep the earlier events out of the starting millisecond.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const log = source();
    const first = await log.poll();
    expect(first.events).toEqual([]);
    expect(first.oktaUserIds).toEqual([]);
    const saved = await store.checkpoints.get(SYSTEM_LOG_CHECKPOINT);
    expect(saved).toMatch(new RegExp(`^${okta.url}/api/v1/logs\\?since=`));
    expect(new URL(saved as string).searchParams.get('filter')).toContain('eventType eq "application.user_membership.add"');
  });

  it('returns the users of an assignment, ignores its own dialpadPhone write-back, and checkpoints the next link', async () => {
    const self = await new OktaSource({ client: client(), appId: okta.appId }).whoAmI();
    expect(self).toBe(okta.tokenOwnerId);
    const log = source({ selfActorIds: [self as string] });
    await log.poll();

    const ann = hire('ann@example.com');
    okta.assignUser(ann);
    const bob = hire('bob@example.com');
    okta.updateProfile(bob, { title: 'Manager' }); // an admin edit: relevant
    // dialsync writes the number back with its own token: not work.
    const gateway = new OktaSource({ client: client(), appId: okta.appId });
    const carl = hire('carl@example.com');
    const mark = okta.systemLog.all().length;
    await gateway.writeProfileAttribute(carl, 'user', 'dialpadPhone', '+12125550123');
    expect(okta.systemLog.all().slice(mark).map((e) => [e.eventType, e.actor.id])).toEqual([['user.account.update_profile', okta.tokenOwnerId]]);

    const second = await log.poll();
    expect(second.oktaUserIds).toEqual([ann, bob, carl]);
    // carl only because of his user.lifecycle.create/activate events, not because of the write-back:
    const carlEvents = second.events.filter((e) => e.targets.some((t) => t.id === carl)).map((e) => e.eventType);
    expect(carlEvents).toEqual(['user.lifecycle.create', 'user.lifecycle.activate', 'user.account.update_profile']);
    expect(log.affectedUsers(second.events.filter((e) => e.eventType === 'user.account.update_profile' && e.targets.some((t) => t.id === carl)), new Set())).toEqual([]);

    const third = await log.poll();
    expect(third.events).toEqual([]);
    expect(third.oktaUserIds).toEqual([]);
    const saved = new URL((await store.checkpoints.get(SYSTEM_LOG_CHECKPOINT)) as string);
    expect(saved.pathname).toBe('/api/v1/logs');
    expect(saved.searchParams.get('after')).not.toBeNull();
  });

  it('ignores a write-back alone: nothing to do after dialsync writes dialpadPhone', async () => {
    const ann = hire('ann@example.com');
    okta.assignUser(ann);
    const self = await new OktaSource({ client: client(), appId: okta.appId }).whoAmI();
    const log = source({ selfActorIds: [self as string] });
    await log.poll();
    await new OktaSource({ client: client(), appId: okta.appId }).writeProfileAttribute(ann, 'user', 'dialpadPhone', '+12125550124');
    const poll = await log.poll();
    expect(poll.events.map((e) => e.eventType)).toEqual(['user.account.update_profile']);
    expect(poll.oktaUserIds).toEqual([]);
  });

  it('makes one request per poll when nothing happened (no spinning on empty pages)', async () => {
    const log = source();
    await log.poll();
    okta.clearRequests();
    for (let i = 0; i < 5; i += 1) expect((await log.poll()).events).toEqual([]);
    expect(logRequests()).toBe(5);
  });

  it('pages until a short page, within the page cap, and goes on from there next time', async () => {
    const log = source({ pageSize: 2, maxPagesPerPoll: 2 });
    await log.poll();
    const ids = ['a', 'b', 'c'].map((name) => hire(`${name}@example.com`)); // 6 events: create + activate each
    okta.clearRequests();
    const first = await log.poll();
    expect(first.caughtUp).toBe(false);
    expect(first.events).toHaveLength(4);
    expect(logRequests()).toBe(2);
    const second = await log.poll();
    expect(second.events).toHaveLength(2);
    expect(second.caughtUp).toBe(true);
    expect([...first.oktaUserIds, ...second.oktaUserIds]).toEqual(ids);
    expect(logRequests()).toBe(4); // a full page, then the empty page that says it is caught up
  });

  it('delivers at least once: a poll whose users were not handled is read again after a restart or a rewind', async () => {
    const log = source();
    await log.poll();
    const ann = hire('ann@example.com');
    okta.assignUser(ann);
    expect((await log.poll()).oktaUserIds).toEqual([ann]);
    // The process dies before handling them: a new source reads the same events again.
    const restarted = source();
    expect((await restarted.poll()).oktaUserIds).toEqual([ann]);
    // The handling failed: rewind, and the next poll reads them again.
    restarted.rewind();
    expect((await restarted.poll()).oktaUserIds).toEqual([ann]);
    await restarted.commit();
    expect((await source().poll()).oktaUserIds).toEqual([]);
  });

  it('counts group membership changes only for groups assigned to the app, asking for them only when needed', async () => {
    const sales = okta.createGroup('Sales');
    const other = okta.createGroup('Other');
    okta.assignGroup(sales);
    let asked = 0;
    const gateway = new OktaSource({ client: client(), appId: okta.appId });
    const log = source({
      appGroupIds: async () => {
        asked += 1;
        return gateway.listAppGroupIds();
      },
    });
    await log.poll();
    const ann = okta.createUser({ login: 'ann@example.com', email: 'ann@example.com' }, { status: 'STAGED' });
    const bob = okta.createUser({ login: 'bob@example.com', email: 'bob@example.com' }, { status: 'STAGED' });
    const mark = (await log.poll()).events.length;
    expect(mark).toBe(2);
    expect(asked).toBe(0);
    okta.addToGroup(other, bob);
    okta.addToGroup(sales, ann);
    const poll = await log.poll();
    expect(asked).toBe(1);
    expect(poll.oktaUserIds).toEqual([ann]);
    // A caller may also pass the groups itself.
    okta.removeFromGroup(other, bob);
    expect((await log.poll(new Set([other]))).oktaUserIds).toEqual([bob]);
  });

  it('starts over from now when the saved checkpoint is not a link to this org', async () => {
    await store.checkpoints.set(SYSTEM_LOG_CHECKPOINT, 'https://evil.example.com/api/v1/logs?after=1');
    const log = source();
    await log.poll();
    expect(okta.requests.filter((r) => r.path === '/api/v1/logs')).toHaveLength(1);
    expect(await store.checkpoints.get(SYSTEM_LOG_CHECKPOINT)).toMatch(new RegExp(`^${okta.url}/`));
  });

  it('keeps the cursor but brings the filter up to date when resuming an older checkpoint', async () => {
    const log = source();
    await log.poll();
    const ann = hire('ann@example.com');
    okta.assignUser(ann);
    const saved = new URL((await store.checkpoints.get(SYSTEM_LOG_CHECKPOINT)) as string);
    saved.searchParams.set('filter', 'eventType eq "user.lifecycle.create"');
    await store.checkpoints.set(SYSTEM_LOG_CHECKPOINT, saved.toString());
    const poll = await source().poll();
    expect(poll.events.map((e) => e.eventType)).toEqual(['user.lifecycle.create', 'user.lifecycle.activate', 'application.user_membership.add']);
  });

  it('fails with an OktaError and keeps the checkpoint when Okta refuses', async () => {
    const log = new SystemLogSource({
      client: createOktaClient({ orgUrl: okta.url, appId: okta.appId, auth: { kind: 'token', token: 'wrong' }, maxRetries: 0 }),
      orgUrl: okta.url,
      appId: okta.appId,
      checkpoints: store.checkpoints,
    });
    await expect(log.poll()).rejects.toMatchObject({ name: 'OktaError', code: 'unauthorized' });
  });
});
