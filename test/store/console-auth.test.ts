import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { TokenNameTakenError } from '../../src/store/api-tokens.js';
import { rawDatabase } from './raw-database.js';
import { STORE_BACKENDS, useStores } from './backends.js';

const TOKEN = 'dsk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe.each(STORE_BACKENDS)('on %s', (backend) => {
  const open = useStores(backend);
  let store: Store;
  let clock: number;

  beforeEach(async () => {
    clock = Date.parse('2026-11-30T10:00:00Z');
    store = await open(() => new Date(clock));
  });

  describe('ConsoleSessionStore', () => {
    it('finds a session by the id the cookie carries, touches, prunes and deletes it', async () => {
      const created = await store.consoleSessions.create('random-session-id', { subject: '00uADMIN', email: 'ada@example.com', name: 'Ada', role: 'admin' });
      expect(created).toEqual({ subject: '00uADMIN', email: 'ada@example.com', name: 'Ada', role: 'admin', createdAt: '2026-11-30T10:00:00.000Z', lastSeenAt: '2026-11-30T10:00:00.000Z' });
      expect(await store.consoleSessions.find('another-id')).toBeNull();
      clock += 60_000;
      await store.consoleSessions.touch('random-session-id');
      expect((await store.consoleSessions.find('random-session-id'))?.lastSeenAt).toBe('2026-11-30T10:01:00.000Z');

      await store.consoleSessions.create('stale-session-id', { subject: '00uVIEW', email: 'v@example.com', name: null, role: 'viewer' });
      expect(await store.consoleSessions.prune({ idleBefore: new Date('2026-11-30T10:00:30Z'), createdBefore: new Date('2026-11-30T09:00:00Z') })).toBe(0);
      expect(await store.consoleSessions.prune({ idleBefore: new Date('2026-11-30T10:01:30Z'), createdBefore: new Date('2026-11-30T09:00:00Z') })).toBe(2);

      await store.consoleSessions.create('third-id', { subject: '00uADMIN', email: 'ada@example.com', name: 'Ada', role: 'admin' });
      expect(await store.consoleSessions.delete('third-id')).toBe(true);
      expect(await store.consoleSessions.delete('third-id')).toBe(false);
    });

    it('lists the sessions oldest first and ends those of one email (any case), then all', async () => {
      await store.consoleSessions.create('id-1', { subject: '00uADA', email: 'Ada@example.com', name: 'Ada', role: 'admin' });
      clock += 1_000;
      await store.consoleSessions.create('id-2', { subject: '00uVIEW', email: 'v@example.com', name: null, role: 'viewer' });
      clock += 1_000;
      await store.consoleSessions.create('id-3', { subject: '00uADA', email: 'ada@example.com', name: 'Ada', role: 'admin' });
      expect((await store.consoleSessions.list()).map((s) => [s.email, s.role, s.createdAt])).toEqual([
        ['Ada@example.com', 'admin', '2026-11-30T10:00:00.000Z'],
        ['v@example.com', 'viewer', '2026-11-30T10:00:01.000Z'],
        ['ada@example.com', 'admin', '2026-11-30T10:00:02.000Z'],
      ]);
      expect((await store.consoleSessions.end('ADA@example.com')).map((s) => s.email)).toEqual(['Ada@example.com', 'ada@example.com']);
      expect(await store.consoleSessions.find('id-1')).toBeNull();
      expect(await store.consoleSessions.find('id-3')).toBeNull();
      expect(await store.consoleSessions.end('nobody@example.com')).toEqual([]);
      expect((await store.consoleSessions.end('all')).map((s) => s.email)).toEqual(['v@example.com']);
      expect(await store.consoleSessions.list()).toEqual([]);
    });

    it('stores only the hash of the session id', async () => {
      await store.consoleSessions.create('random-session-id', { subject: '00uADMIN', email: 'ada@example.com', name: 'Ada', role: 'admin' });
      const rows = await rawDatabase(store).select('id').from('console_sessions');
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain('random-session-id');
    });
  });

  describe('ApiTokenStore', () => {
    it('keeps the hash and prefix, finds an active token, marks its use, revokes it, and frees its name', async () => {
      const created = await store.apiTokens.create({ name: 'ci', role: 'viewer', token: TOKEN, createdBy: 'cli:ada@host' });
      expect(created).toMatchObject({ name: 'ci', role: 'viewer', prefix: 'dsk_abcdef', createdBy: 'cli:ada@host', lastUsedAt: null, revokedAt: null });
      await expect(store.apiTokens.create({ name: 'ci', role: 'admin', token: `${TOKEN}x`, createdBy: 'cli:ada@host' })).rejects.toBeInstanceOf(TokenNameTakenError);

      expect(JSON.stringify(await rawDatabase(store).select('*').from('api_tokens'))).not.toContain(TOKEN);
      expect((await store.apiTokens.findActive(TOKEN))?.id).toBe(created.id);
      expect(await store.apiTokens.findActive(`${TOKEN}y`)).toBeNull();
      clock += 5_000;
      await store.apiTokens.markUsed(created.id);
      expect((await store.apiTokens.list())[0]?.lastUsedAt).toBe('2026-11-30T10:00:05.000Z');

      expect((await store.apiTokens.revoke('ci'))?.revokedAt).toBe('2026-11-30T10:00:05.000Z');
      expect(await store.apiTokens.revoke('ci')).toBeNull();
      expect(await store.apiTokens.findActive(TOKEN)).toBeNull();
      const again = await store.apiTokens.create({ name: 'ci', role: 'admin', token: `${TOKEN}z`, createdBy: 'cli:ada@host' });
      expect(again.id).not.toBe(created.id);
      expect((await store.apiTokens.list()).map((t) => [t.name, t.role, t.revokedAt !== null])).toEqual([
        ['ci', 'viewer', true],
        ['ci', 'admin', false],
      ]);
    });
  });
});
