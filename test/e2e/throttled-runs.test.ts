// Each run records the 429 answers each API gave during it (the gateways' tally in the composition root), so the
// console can chart them: here both sandboxes refuse their first two writes with 429 and the run counts exactly those.
import { describe, expect, it } from 'vitest';
import type { SandboxRequest } from '../../sandbox/http/server.js';
import { useWorldPerTest } from './use-world.js';
import { hire } from './world.js';

/**
 * Fault options that answer the first `n` writes with 429 and nothing after: writes come within the run (the
 * command's access check before it reads only), and a refused write is retried.
 */
function first429s(n: number) {
  let seen = 0;
  return { rate: 1, kinds: ['429'] as const, applies: (request: SandboxRequest) => request.method !== 'GET' && (seen += 1) <= n };
}

describe('429 answers per run', () => {
  const start = useWorldPerTest();

  it('a run keeps how many 429s Dialpad and Okta answered during it; a later run counts only its own', async () => {
    const { world } = await start({ okta: { faults: first429s(2) }, dialpad: { faults: first429s(2) } });
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    const first = await world.reconcile('--apply');
    expect(first.code, first.stderr).toBe(0);
    const second = await world.reconcile('--apply');
    expect(second.code, second.stderr).toBe(0);
    expect([world.okta.faults?.injected['429'], world.dialpad.faults?.injected['429']]).toEqual([2, 2]);
    await world.withStore(async (store) => {
      expect(await store.runs.get(first.report.runId)).toMatchObject({ oktaThrottled: 2, dialpadThrottled: 2 });
      expect(await store.runs.get(second.report.runId)).toMatchObject({ oktaThrottled: 0, dialpadThrottled: 0 });
    });
  });
});
