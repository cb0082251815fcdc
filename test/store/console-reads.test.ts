// What the console asks of the links and user_errors tables beyond the CLI: a count and an email search of the
// links, and the release of a selection of users by key.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';

describe.each(STORE_BACKENDS)('the console’s reads of links and user errors on %s', (backend) => {
  const open = useStores(backend);

  async function linked(store: Store, ...emails: string[]): Promise<void> {
    for (const [i, email] of emails.entries()) await store.links.save({ oktaUserId: `00u-${i}`, dialpadUserId: `${500 + i}`, origin: i % 2 === 0 ? 'created' : 'adopted' }, email);
  }

  it('counts the links and finds them by part of the email (stored lower-case), case-insensitively, % and _ matching themselves', async () => {
    const store = await open();
    expect(await store.links.count()).toBe(0);
    await linked(store, 'Ann.Lee@acme.com', 'anna@acme.com', 'bob@acme.com', 'x_y@acme.com', 'xzy@acme.com', '100%@acme.com');
    expect(await store.links.count()).toBe(6);
    expect((await store.links.search('ann', 10)).map((link) => [link.email, link.oktaUserId, link.dialpadUserId, link.origin])).toEqual([
      ['ann.lee@acme.com', '00u-0', '500', 'created'],
      ['anna@acme.com', '00u-1', '501', 'adopted'],
    ]);
    expect((await store.links.search('ann', 1)).map((link) => link.email)).toEqual(['ann.lee@acme.com']);
    expect((await store.links.search('x_y', 10)).map((link) => link.email)).toEqual(['x_y@acme.com']);
    expect((await store.links.search('0%', 10)).map((link) => link.email)).toEqual(['100%@acme.com']);
    expect(await store.links.search('nobody', 10)).toEqual([]);
  });

  it('releases the users with these keys that have a failing run counted, and only them', async () => {
    const at = new Date('2026-11-30T12:00:00.000Z');
    const store = await open(() => at);
    for (const key of ['00u-a', '00u-b', '00u-c']) {
      await store.userErrors.record({ userKey: key, oktaUserId: key, email: `${key}@acme.com`, runId: 'r1', action: 'create', message: 'failed', cause: 'dialpad.bad_request' });
    }
    const released = await store.userErrors.releaseKeys(['00u-a', '00u-c', '00u-unknown']);
    expect(released.map((user) => [user.userKey, user.consecutiveFailures, user.releasedAt])).toEqual([
      ['00u-a', 0, at.toISOString()],
      ['00u-c', 0, at.toISOString()],
    ]);
    expect((await store.userErrors.failing()).map((user) => user.userKey)).toEqual(['00u-b']);
    expect(await store.userErrors.releaseKeys(['00u-a'])).toEqual([]);
    expect(await store.userErrors.releaseKeys([])).toEqual([]);
  });
});
