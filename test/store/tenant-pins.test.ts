import { describe, expect, it } from 'vitest';
import type { TenantIdentity } from '../../src/plan/tenant-check.js';
import { LINK_SAMPLE_SIZE } from '../../src/store/tenant-pins.js';
import { STORE_BACKENDS, useStore } from './backends.js';

const tenant: TenantIdentity = { dialpadCompanyId: '4700000000000000001', dialpadCompanyName: 'Example Corp', oktaOrgUrl: 'https://acme.okta.com', oktaOrgId: '00o1', oktaAppId: '0oa1' };

describe.each(STORE_BACKENDS)('on %s', (backend) => {
  const store = useStore(backend, '2026-11-30T10:00:00Z');

  describe('TenantPinStore', () => {
    it('has no pin in a new store', async () => {
      expect(await store().tenantPins.current()).toBeNull();
      expect(await store().tenantPins.history(5)).toEqual([]);
    });

    it('keeps every pin: the newest is in force, the older ones are its history', async () => {
      await store().runs.start('run-1', 'reconcile', true);
      await store().runs.start('run-2', 'repin', true);
      await store().tenantPins.pin(tenant, 'first_run', 'run-1');
      const other = { ...tenant, dialpadCompanyId: '4700000000000000002', dialpadCompanyName: null, oktaOrgId: null };
      await store().tenantPins.pin(other, 'repin', 'run-2');

      expect(await store().tenantPins.current()).toEqual({ ...other, reason: 'repin', runId: 'run-2', pinnedAt: '2026-11-30T10:00:04.000Z' });
      expect((await store().tenantPins.history(5)).map((pin) => [pin.dialpadCompanyId, pin.reason, pin.runId])).toEqual([
        ['4700000000000000002', 'repin', 'run-2'],
        ['4700000000000000001', 'first_run', 'run-1'],
      ]);
      expect(await store().tenantPins.history(1)).toHaveLength(1);
    });

    it('samples at most LINK_SAMPLE_SIZE linked Dialpad users, the most recently updated first', async () => {
      expect(await store().tenantPins.linkedDialpadUserSample()).toEqual([]);
      for (let i = 1; i <= LINK_SAMPLE_SIZE + 2; i += 1) {
        await store().links.save({ oktaUserId: `00u${String(i).padStart(2, '0')}`, dialpadUserId: `62${i}`, origin: 'created' }, `u${i}@acme.com`);
      }
      const sample = await store().tenantPins.linkedDialpadUserSample();
      expect(sample).toHaveLength(LINK_SAMPLE_SIZE);
      expect(sample[0]).toBe(`62${LINK_SAMPLE_SIZE + 2}`);
      expect(sample).not.toContain('621');
    });
  });
});
