import { describe, expect, it } from 'vitest';
import type { DialpadUser } from '../../src/dialpad/types.js';
import { isGoneDialpadUser, livePrimaryEmailKey, theLivePrimaryHolder, untouchableReason } from '../../src/plan/live-dialpad-user.js';
import { dialpadUser } from './fixtures.js';

describe('isGoneDialpadUser', () => {
  it.each<[DialpadUser['state'], boolean]>([
    ['active', false],
    ['pending', false],
    ['suspended', false],
    ['deleted', true],
    ['cancelled', true],
    ['frozen', false],
  ])('a user in state %s is gone: %s', (state, gone) => {
    expect(isGoneDialpadUser({ state })).toBe(gone);
  });
});

describe('untouchableReason', () => {
  it.each<[string, Partial<DialpadUser>, string | null]>([
    ['a known state with an email may be acted on', {}, null],
    ['an unknown state is not touched', { state: 'frozen' }, 'Dialpad user 1 is in state "frozen", which dialsync does not know: it is not touched'],
    ['no email at all is not touched', { emails: [] }, 'Dialpad returned user 1 without any email: it is not touched until Dialpad returns its emails'],
  ])('%s', (_situation, overrides, reason) => {
    expect(untouchableReason(dialpadUser('1', 'ann@acme.com', overrides))).toBe(reason);
  });
});

describe('livePrimaryEmailKey', () => {
  it.each<[string, Partial<DialpadUser>, string | null]>([
    ['a live user: the emailKey of its first email', { emails: ['Ann@ACME.com', 'other@acme.com'] }, 'ann@acme.com'],
    ['a deleted user holds no email', { state: 'deleted' }, null],
    ['a cancelled user holds no email', { state: 'cancelled' }, null],
    ['a user without emails holds none', { emails: [] }, null],
  ])('%s', (_situation, overrides, key) => {
    expect(livePrimaryEmailKey(dialpadUser('1', 'ann@acme.com', overrides))).toBe(key);
  });
});

describe('theLivePrimaryHolder', () => {
  const ann = dialpadUser('1', 'ann@acme.com');
  const annDeleted = dialpadUser('2', 'ann@acme.com', { state: 'deleted' });
  const annTwin = dialpadUser('3', 'ANN@acme.com');
  const secondary = dialpadUser('4', 'bob@acme.com', { emails: ['bob@acme.com', 'ann@acme.com'] });

  it.each<[string, DialpadUser[], string | null]>([
    ['the one live user with the primary email, in any spelling', [ann, annDeleted], '1'],
    ['a gone user does not count', [annDeleted], null],
    ['two live users with it: neither', [ann, annTwin], null],
    ['a secondary email does not count', [secondary], null],
    ['nobody: null', [], null],
  ])('%s', (_situation, users, id) => {
    expect(theLivePrimaryHolder(users, 'Ann@Acme.com')?.id ?? null).toBe(id);
  });
});
