// The sandboxes' fault injection and write hook: reproducible faults, and faults before or after the effect.
import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_KINDS, FaultInjector } from '../../../sandbox/http/fault-injector.js';
import { DialpadSandbox, type DialpadSandboxOptions } from '../../../sandbox/dialpad/sandbox.js';
import type { SandboxRequest } from '../../../sandbox/http/server.js';

const request: SandboxRequest = { method: 'GET', path: '/x', rawQuery: '', query: new URLSearchParams(), headers: {}, bodyText: '' };

describe('FaultInjector', () => {
  it('gives the same faults for the same seed, and different ones for another seed', () => {
    const run = (seed: number) => {
      const injector = new FaultInjector({ rate: 0.5, kinds: FAULT_KINDS, seed });
      return Array.from({ length: 200 }, () => injector.decide(request)?.kind ?? null);
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    const kinds = run(42);
    const share = kinds.filter((kind) => kind !== null).length / kinds.length;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
    for (const kind of FAULT_KINDS) expect(kinds).toContain(kind);
  });

  it('injects nothing at rate 0 or where `applies` says no', () => {
    const none = new FaultInjector({ rate: 0, kinds: ['500'] });
    const elsewhere = new FaultInjector({ rate: 1, kinds: ['500'], applies: (r) => r.method === 'POST' });
    for (let i = 0; i < 50; i += 1) {
      expect(none.decide(request)).toBeNull();
      expect(elsewhere.decide(request)).toBeNull();
    }
    expect(none.total + elsewhere.total).toBe(0);
  });

  it('strikes a 429 before the effect, a garbled answer after it, and a share of 5xx after it', () => {
    const limited = new FaultInjector({ rate: 1, kinds: ['429'], afterEffect: 1 });
    const garbled = new FaultInjector({ rate: 1, kinds: ['malformed'] });
    const after = new FaultInjector({ rate: 1, kinds: ['503'], afterEffect: 1 });
    expect(limited.decide(request)).toEqual({ kind: '429', afterEffect: false });
    expect(garbled.decide(request)).toEqual({ kind: 'malformed', afterEffect: true });
    expect(after.decide(request)).toEqual({ kind: '503', afterEffect: true });
  });

  it('refuses a rate outside 0..1 and an empty list of kinds', () => {
    expect(() => new FaultInjector({ rate: 2, kinds: ['500'] })).toThrow(RangeError);
    expect(() => new FaultInjector({ kinds: [] })).toThrow(RangeError);
  });
});

describe('sandbox faults over HTTP', () => {
  let dialpad: DialpadSandbox | undefined;
  afterEach(async () => {
    await dialpad?.stop();
    dialpad = undefined;
  });

  async function start(options: DialpadSandboxOptions): Promise<{ sandbox: DialpadSandbox; office: string }> {
    dialpad = new DialpadSandbox(options);
    await dialpad.start();
    return { sandbox: dialpad, office: dialpad.addOffice({ name: 'New York', country: 'us', isPrimary: true, mainLine: '+12125550100' }) };
  }

  const create = (sandbox: DialpadSandbox, office: string) =>
    fetch(`${sandbox.url}/api/v2/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'ann@acme.com', office_id: office }),
    });

  it('a 500 after the effect: the user exists, the client saw an error in Dialpad\'s shape', async () => {
    const { sandbox, office } = await start({ faults: { rate: 1, kinds: ['500'], afterEffect: 1 } });
    const response = await create(sandbox, office);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { code: 500 } });
    expect(sandbox.users().map((user) => user.emails[0])).toEqual(['ann@acme.com']);
  });

  it('a 429 before the effect: nothing happened, and Retry-After says when to come back', async () => {
    const { sandbox, office } = await start({ faults: { rate: 1, kinds: ['429'] } });
    const response = await create(sandbox, office);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(sandbox.users()).toEqual([]);
  });

  it('onWriteRequest sees each write after it took effect, and "drop" leaves the client without an answer', async () => {
    const seen: [number, string][] = [];
    const { sandbox, office } = await start({
      onWriteRequest: (count, req) => {
        seen.push([count, `${req.method} ${req.path}`]);
        return 'drop';
      },
    });
    await expect(create(sandbox, office)).rejects.toThrow();
    expect(seen).toEqual([[1, 'POST /api/v2/users']]);
    expect(sandbox.users().map((user) => user.emails[0])).toEqual(['ann@acme.com']);
    // Reads are not writes.
    await fetch(`${sandbox.url}/api/v2/users`, { headers: { Authorization: `Bearer ${sandbox.apiKey}` } });
    expect(seen).toHaveLength(1);
  });
});
