// The Dialpad client and its limiter against a fake Dialpad whose budget other integrations share: it answers
// 429 once more than 12 requests came in the last second (a strict sliding window), while dialsync is configured
// at 15/s. Played out on a simulated clock (20 ms per answer): what is asserted is how many requests were
// answered 429 and how long the run took on the simulated clock against the floor of the rate actually available
// (deterministic: nothing here depends on how fast the machine is).
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DialpadClient } from '../../src/dialpad/client.js';
import { RateLimiter } from '../../src/dialpad/rate-limiter.js';
import { VirtualClock } from '../timing/virtual-clock.js';

const BASE = 'https://dialpad.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/**
 * A Dialpad left with `perSecond(accepted so far)` requests in any 1 s, answering after `latencyMs`; it counts what it answered, and
 * the floor: each accepted request at min(`configured`, the rate left when it came), in ms.
 */
function sharedDialpad(clock: VirtualClock, perSecond: (accepted: number) => number, latencyMs = 20, configured = Number.POSITIVE_INFINITY) {
  const accepted: number[] = [];
  const answered = { ok: 0, throttled: 0, floorMs: 0 };
  server.use(
    http.get(`${BASE}/api/v2/users/:id`, async ({ params }) => {
      const now = clock.now();
      while (accepted.length > 0 && accepted[0]! <= now - 1_000) accepted.shift();
      if (accepted.length >= perSecond(answered.ok)) {
        answered.throttled += 1;
        const retryAfter = Math.max(1, Math.ceil((accepted[0]! + 1_000 - now) / 1_000));
        await clock.sleep(latencyMs);
        return HttpResponse.json({ error: { code: 429, message: 'Rate limit exceeded' } }, { status: 429, headers: { 'Retry-After': String(retryAfter) } });
      }
      accepted.push(now);
      answered.ok += 1;
      answered.floorMs += 1000 / Math.min(configured, perSecond(answered.ok - 1));
      await clock.sleep(latencyMs);
      const id = String(params.id);
      return HttpResponse.json({ id: Number(id), emails: [`u${id}@acme.com`], first_name: 'F', last_name: 'L', office_id: 1, state: 'active', license: 'talk', phone_numbers: [] });
    }),
  );
  return answered;
}

/** Reads `count` users, `concurrency` at a time, through one client and its limiter. */
async function readUsers(client: DialpadClient, count: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      await client.getUser(String(1000 + next));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function clientAt(clock: VirtualClock, limiter: RateLimiter): DialpadClient {
  return new DialpadClient({ baseUrl: BASE, apiKey: 'dpk_test_0123456789abcdef', rateLimiter: limiter, sleep: clock.sleep, random: () => 0.5, maxRetries: 6 });
}

describe('the adaptive Dialpad budget', () => {
  it('configured at 15/s with 12/s left, settles under what is left: few 429s over 300 requests', async () => {
    const clock = new VirtualClock();
    const answered = sharedDialpad(clock, () => 12);
    const limiter = new RateLimiter({ requestsPerSecond: 15, now: clock.now, sleep: clock.sleep });
    await clock.run(readUsers(clientAt(clock, limiter), 300, 8));

    expect(answered.ok).toBe(300);
    const share = answered.throttled / (answered.ok + answered.throttled);
    expect(share).toBeLessThan(0.03);
    expect(limiter.state().current).toBeLessThanOrEqual(15);
    expect(limiter.state().throttled).toBe(answered.throttled);
  });

  it('told 19/s, follows a limit that drops from 20/s to 10/s mid-run, with few 429s', async () => {
    const clock = new VirtualClock();
    let left = 20;
    const answered = sharedDialpad(clock, () => left);
    const limiter = new RateLimiter({ requestsPerSecond: 19, now: clock.now, sleep: clock.sleep });
    const client = clientAt(clock, limiter);
    await clock.run(readUsers(client, 200, 8));
    expect(answered.throttled).toBe(0);
    left = 10;
    await clock.run(readUsers(client, 300, 8));

    expect(answered.ok).toBe(500);
    expect(answered.throttled / (answered.ok + answered.throttled)).toBeLessThan(0.03);
    expect(limiter.state().current).toBeLessThan(10.5);
  });

  /**
   * An initial sync's worth of requests (2,000, 16 in flight as the per-user work keeps them) with `left(accepted)`
   * requests/s left: the simulated wall time against the floor, and the share of 429s.
   */
  async function syncUnder(configured: number, left: (accepted: number) => number): Promise<{ ratio: number; share: number; current: number }> {
    const clock = new VirtualClock();
    const answered = sharedDialpad(clock, left, 20, configured);
    const limiter = new RateLimiter({ requestsPerSecond: configured, now: clock.now, sleep: clock.sleep });
    await clock.run(readUsers(clientAt(clock, limiter), 2_000, 16));
    expect(answered.ok).toBe(2_000);
    return { ratio: clock.now() / answered.floorMs, share: answered.throttled / (answered.ok + answered.throttled), current: limiter.state().current };
  }

  it('configured at 15/s with 12/s left, 2,000 requests: within 1.15 × the floor at 12/s, under 2 % 429s', async () => {
    const { ratio, share, current } = await syncUnder(15, () => 12);
    expect(ratio).toBeLessThanOrEqual(1.15);
    expect(share).toBeLessThan(0.02);
    expect(current).toBeLessThanOrEqual(12.5);
  });

  it.each([19, 15])('configured at %i/s, follows 20/s dropping to 10/s halfway: within 1.2 × the floor at min(configured, left), under 2 % 429s', async (configured) => {
    const { ratio, share, current } = await syncUnder(configured, (accepted) => (accepted < 1_000 ? 20 : 10));
    expect(ratio).toBeLessThanOrEqual(1.2);
    expect(share).toBeLessThan(0.02);
    expect(current).toBeLessThan(10.5);
  });

  it('configured at 15/s, recovers when what is left rises from 8/s to 14/s halfway: within 1.2 × the floor, under 2 % 429s', async () => {
    const { ratio, share, current } = await syncUnder(15, (accepted) => (accepted < 1_000 ? 8 : 14));
    expect(ratio).toBeLessThanOrEqual(1.2);
    expect(share).toBeLessThan(0.02);
    expect(current).toBeGreaterThan(12);
  });
});
