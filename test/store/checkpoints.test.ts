import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';

describe.each(STORE_BACKENDS)('on %s', (backend) => {
  const open = useStores(backend);
  let store: Store;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-11-29T10:00:00.000Z');
    store = await open(() => now);
  });

  describe('CheckpointStore', () => {
    it('keeps one value per name, replacing it on set', async () => {
      expect(await store.checkpoints.get('okta-system-log')).toBeNull();
      await store.checkpoints.set('okta-system-log', 'https://acme.okta.com/api/v1/logs?after=1');
      now = new Date('2026-11-29T10:01:00.000Z');
      await store.checkpoints.set('okta-system-log', 'https://acme.okta.com/api/v1/logs?after=2');
      await store.checkpoints.set('other', 'x');
      expect(await store.checkpoints.get('okta-system-log')).toBe('https://acme.okta.com/api/v1/logs?after=2');
      expect(await store.checkpoints.updatedAt('okta-system-log')).toBe('2026-11-29T10:01:00.000Z');
      expect(await store.checkpoints.get('other')).toBe('x');
    });
  });

  describe('HookEventStore', () => {
    it('returns only the uuids not seen before, each once', async () => {
      expect(await store.hookEvents.claim(['a', 'b', 'a'])).toEqual(['a', 'b']);
      expect(await store.hookEvents.claim(['b', 'c'])).toEqual(['c']);
      expect(await store.hookEvents.claim([])).toEqual([]);
    });

    it('claims a uuid once even when two deliveries race', async () => {
      const results = await Promise.all([store.hookEvents.claim(['x', 'y']), store.hookEvents.claim(['y', 'x'])]);
      expect(results.flat().sort()).toEqual(['x', 'y']);
    });

    it('handles more uuids than SQLite binds in one statement', async () => {
      const many = Array.from({ length: 1500 }, (_, i) => `u${i}`);
      expect(await store.hookEvents.claim(many)).toHaveLength(1500);
      expect(await store.hookEvents.claim([...many, 'new'])).toEqual(['new']);
    });

    it('forgets uuids received before a date', async () => {
      now = new Date('2026-11-28T00:00:00.000Z');
      await store.hookEvents.claim(['old']);
      now = new Date('2026-11-29T12:00:00.000Z');
      await store.hookEvents.claim(['recent']);
      expect(await store.hookEvents.prune(new Date('2026-11-29T00:00:00.000Z'))).toBe(1);
      expect(await store.hookEvents.claim(['old', 'recent'])).toEqual(['old']);
    });
  });
});
