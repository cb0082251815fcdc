// The Okta pacer against the Okta sandbox: real HTTP, real rate-limit headers, injected faults.
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOktaClient } from '../../src/okta/client.js';
import { bucketOf, OktaRatePacer, type OktaRateBucket } from '../../src/okta/rate-pacer.js';
import { OktaSource } from '../../src/okta/source.js';
import type { FaultOptions } from '../../sandbox/http/fault-injector.js';
import { OktaSandbox, type OktaSandboxOptions } from '../../sandbox/okta/sandbox.js';

let sandbox: OktaSandbox | undefined;

afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function startOkta(options: OktaSandboxOptions, users: number): Promise<OktaSandbox> {
  sandbox = new OktaSandbox(options);
  await sandbox.start();
  for (let i = 0; i < users; i += 1) {
    const id = sandbox.createUser({ login: `user${i}@acme.com`, email: `user${i}@acme.com`, firstName: 'Pat', lastName: `Person${i}` });
    sandbox.assignUser(id, {});
  }
  return sandbox;
}

function sourceFor(okta: OktaSandbox, pacer: OktaRatePacer, pageSize: number): OktaSource {
  const client = createOktaClient({ orgUrl: okta.url, appId: okta.appId, auth: { kind: 'token', token: okta.token } }, { pacer });
  return new OktaSource({ client, appId: okta.appId, pageSize });
}

/** The body text of a GET sent through the pacer, as OktaSource's reader sees it. */
async function getText(okta: OktaSandbox, pacer: OktaRatePacer, path: string): Promise<string> {
  const client = createOktaClient({ orgUrl: okta.url, appId: okta.appId, auth: { kind: 'token', token: okta.token } }, { pacer });
  const response = await client.get(`${okta.url}${path}`);
  return response.text();
}

/** Fails the first `count` requests that match, then none: retries must get through. */
function firstRequests(count: number, match: (method: string, path: string) => boolean): NonNullable<FaultOptions['applies']> {
  let seen = 0;
  return (request) => match(request.method, request.path) && (seen += 1) <= count;
}

describe('bucketOf', () => {
  it.each<[string, string, OktaRateBucket]>([
    ['GET', 'https://acme.okta.com/api/v1/apps/0oa1/users?limit=500', 'apps'],
    ['POST', 'https://acme.okta.com/api/v1/apps/0oa1/users/00u1', 'apps'],
    ['GET', 'https://acme.okta.com/api/v1/users/00u1', 'user_reads'],
    ['POST', 'https://acme.okta.com/api/v1/users/00u1', 'user_writes'],
    ['GET', 'https://acme.okta.com/api/v1/logs?since=x', 'logs'],
    ['GET', 'https://acme.okta.com/api/v1/users?q=ann', 'other'],
    ['GET', 'https://acme.okta.com/api/v1/users/00u1/groups', 'other'],
  ])('%s %s → %s', (method, url, bucket) => {
    expect(bucketOf(method, url)).toBe(bucket);
  });
});

describe('OktaRatePacer', () => {
  it('stays under half of a bucket: waits for the reset instead of meeting a 429', async () => {
    // 10 app requests per 1-second window; a page of 2 users per request: 11 requests for 21 users.
    const okta = await startOkta({ rateLimits: { apps: 10, perMinuteWindowMs: 1_000 } }, 21);
    const waits: [OktaRateBucket, number][] = [];
    const pacer = new OktaRatePacer({ maxRetries: 0, requestTimeout: 10_000, onWait: (bucket, ms) => waits.push([bucket, ms]) });
    const listing = await sourceFor(okta, pacer, 2).listAssignments();

    expect(listing.assignments).toHaveLength(21);
    expect(okta.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(pacer.waits).toBeGreaterThanOrEqual(1);
    expect(waits.every(([bucket, ms]) => bucket === 'apps' && ms > 0)).toBe(true);
    // 11 requests at 5 per window: at least two waits for a reset.
    expect(pacer.waits).toBeGreaterThanOrEqual(2);
    expect(pacer.bucketState('apps')?.limit).toBe(10);
  }, 20_000);

  it("cuts a bucket's share when another integration drained it (once per window), and holds the bucket's requests until its reset", async () => {
    const okta = await startOkta({ rateLimits: { apps: 10, perMinuteWindowMs: 3_000 } }, 3);
    const throttled: OktaRateBucket[] = [];
    const pacer = new OktaRatePacer({ maxRetries: 0, requestTimeout: 10_000, onThrottled: (bucket) => throttled.push(bucket) });
    const path = `/api/v1/apps/${okta.appId}/users`;
    await getText(okta, pacer, path);
    expect(pacer.shareStates().apps).toEqual({ ceiling: 0.5, current: 0.5, throttled: 0 });
    // Another integration spends the rest of the window between two of our requests.
    for (let i = 0; i < 9; i += 1) {
      const response = await fetch(`${okta.url}${path}`, { headers: { Authorization: `SSWS ${okta.token}` } });
      expect(response.status).toBe(200);
    }
    // Two requests sent on the pacer's count (1 of its 5 used) meet 429s: one signal, one cut.
    const refused = await Promise.allSettled([getText(okta, pacer, path), getText(okta, pacer, path)]);
    expect(refused.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(throttled).toEqual(['apps', 'apps']);
    expect(pacer.shareStates().apps).toEqual({ ceiling: 0.5, current: expect.closeTo(0.35, 9) as number, throttled: 2 });

    // Every request of the bucket waits for X-Rate-Limit-Reset: none is sent into the drained window.
    const sentBefore = okta.requests.length;
    const waitsBefore = pacer.waits;
    await Promise.all([getText(okta, pacer, path), getText(okta, pacer, path), getText(okta, pacer, path)]);
    expect(pacer.waits - waitsBefore).toBe(3);
    expect(okta.requests.slice(sentBefore).map((request) => request.status)).toEqual([200, 200, 200]);
    // Answers without a 429 after the window: the share recovers, not above the configured one.
    const share = pacer.shareStates().apps?.current ?? 0;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThanOrEqual(0.5);
  }, 20_000);

  it.each(['500', '503', 'malformed', 'reset'] as const)('retries a read that met a %s, with backoff', async (kind) => {
    const okta = await startOkta({ faults: { rate: 1, kinds: [kind], applies: firstRequests(2, (method) => method === 'GET') } }, 3);
    const delays: number[] = [];
    const pacer = new OktaRatePacer({ maxRetries: 3, requestTimeout: 10_000, sleep: async (ms) => void delays.push(ms), random: () => 0.5 });
    const listing = await sourceFor(okta, pacer, 500).listAssignments();
    expect(listing.assignments).toHaveLength(3);
    expect(okta.faults?.total).toBe(2);
    // Exponential: 500 ms then 1000 ms ceilings, with jitter in their upper half.
    expect(delays).toEqual([375, 750]);
  });

  it('retries a write-back that met a 500 (setting an attribute is safe to repeat)', async () => {
    const okta = await startOkta({ faults: { rate: 1, kinds: ['500'], applies: firstRequests(1, (method) => method === 'POST') } }, 1);
    const pacer = new OktaRatePacer({ maxRetries: 2, requestTimeout: 10_000, sleep: async () => undefined });
    const [user] = okta.listUsers();
    await sourceFor(okta, pacer, 500).writeProfileAttribute(user?.id ?? '', 'user', 'dialpadPhone', '+12125550101');
    expect(okta.getUser(user?.id ?? '')?.profile.dialpadPhone).toBe('+12125550101');
    expect(okta.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([200]);
  });

  it('gives up after maxRetries and reports the failure', async () => {
    const okta = await startOkta({ faults: { rate: 1, kinds: ['503'] } }, 1);
    const pacer = new OktaRatePacer({ maxRetries: 2, requestTimeout: 10_000, sleep: async () => undefined });
    await expect(sourceFor(okta, pacer, 500).listAssignments()).rejects.toThrow(/503|unavailable/i);
    expect(okta.faults?.injected['503']).toBe(3);
  });

  it('retries a read that timed out', async () => {
    const okta = await startOkta({ faults: { rate: 1, kinds: ['slow'], slowMs: 1_500, applies: firstRequests(1, (method) => method === 'GET') } }, 2);
    const pacer = new OktaRatePacer({ maxRetries: 2, requestTimeout: 300, sleep: async () => undefined });
    const listing = await sourceFor(okta, pacer, 500).listAssignments();
    expect(listing.assignments).toHaveLength(2);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => new OktaRatePacer({ maxRetries: 0, requestTimeout: 0, share: 0 })).toThrow(RangeError);
    expect(() => new OktaRatePacer({ maxRetries: 0, requestTimeout: 0, share: 1.5 })).toThrow(RangeError);
  });
});

describe('OktaRatePacer and the stop signal (shutdown)', () => {
  /** Resolves when the first request matching reaches the sandbox; never lets a fault strike. */
  function arrival(match: (method: string) => boolean): { applies: NonNullable<FaultOptions['applies']>; arrived: Promise<void> } {
    let done = (): void => undefined;
    const arrived = new Promise<void>((resolve) => (done = resolve));
    return { applies: (request) => (match(request.method) ? (done(), true) : false), arrived };
  }

  it('sends nothing once stopped', async () => {
    const okta = await startOkta({}, 1);
    const stop = new AbortController();
    stop.abort();
    const pacer = new OktaRatePacer({ maxRetries: 2, requestTimeout: 10_000, signal: stop.signal });
    await expect(sourceFor(okta, pacer, 500).listAssignments()).rejects.toMatchObject({ code: 'aborted' });
    expect(okta.requests).toEqual([]);
  });

  it('starts no retry when stopped during the backoff', async () => {
    const okta = await startOkta({ faults: { rate: 1, kinds: ['503'] } }, 1);
    const stop = new AbortController();
    let backingOff = (): void => undefined;
    const backoff = new Promise<void>((resolve) => (backingOff = resolve));
    const pacer = new OktaRatePacer({ maxRetries: 3, requestTimeout: 10_000, signal: stop.signal, sleep: () => (backingOff(), new Promise(() => undefined)) });
    const listing = sourceFor(okta, pacer, 500).listAssignments();
    await backoff;
    stop.abort();
    await expect(listing).rejects.toMatchObject({ code: 'aborted' });
    expect(okta.faults?.injected['503']).toBe(1);
  });

  it.each([
    // [what, fault on the listing, when to stop]
    ["ends the wait for a 429's reset", '429', (pacer: OktaRatePacer) => once(pacer, 'backoff').then(() => undefined)],
    ['cuts off a read in flight', 'slow', (_pacer: OktaRatePacer, arrived: Promise<void>) => arrived],
  ] as const)('%s', async (_what, kind, ready) => {
    const { applies, arrived } = arrival((method) => method === 'GET');
    const okta = await startOkta({ faults: { rate: 1, kinds: [kind], slowMs: 600_000, applies } }, 1);
    const stop = new AbortController();
    const pacer = new OktaRatePacer({ maxRetries: 3, requestTimeout: 600_000, signal: stop.signal });
    const listing = sourceFor(okta, pacer, 500).listAssignments();
    await ready(pacer, arrived);
    stop.abort();
    await expect(listing).rejects.toMatchObject({ code: 'aborted' });
    expect(okta.faults?.injected[kind]).toBe(1);
  });
});

describe('OktaRatePacer.takeParsed', () => {
  function pacer(maxRetries = 0): OktaRatePacer {
    return new OktaRatePacer({ maxRetries, requestTimeout: 10_000, sleep: async () => undefined });
  }

  it('hands out the parsed JSON of an assignment listing page once', async () => {
    const okta = await startOkta({}, 2);
    const paced = pacer();
    const text = await getText(okta, paced, `/api/v1/apps/${okta.appId}/users?expand=user&limit=500`);

    const parsed = paced.takeParsed(text);
    expect(parsed).toEqual(JSON.parse(text));
    expect((parsed as { id: string }[]).map((item) => item.id).sort()).toEqual(okta.listUsers().map((user) => user.id).sort());
    expect(paced.takeParsed(text)).toBeUndefined();
  });

  it('keeps nothing for a user or a single app user', async () => {
    const okta = await startOkta({}, 1);
    const paced = pacer();
    const [user] = okta.listUsers();
    const id = user?.id ?? '';

    const userText = await getText(okta, paced, `/api/v1/users/${id}`);
    expect(JSON.parse(userText)).toMatchObject({ id });
    expect(paced.takeParsed(userText)).toBeUndefined();

    const appUserText = await getText(okta, paced, `/api/v1/apps/${okta.appId}/users/${id}?expand=user`);
    expect(JSON.parse(appUserText)).toMatchObject({ id });
    expect(paced.takeParsed(appUserText)).toBeUndefined();
  });

  it('keeps only the two latest listing pages nobody took', async () => {
    const okta = await startOkta({}, 3);
    const paced = pacer();
    const texts: string[] = [];
    for (const limit of [1, 2, 3]) texts.push(await getText(okta, paced, `/api/v1/apps/${okta.appId}/users?expand=user&limit=${limit}`));
    expect(new Set(texts).size).toBe(3);

    expect(paced.takeParsed(texts[0] ?? '')).toBeUndefined();
    expect(paced.takeParsed(texts[1] ?? '')).toEqual(JSON.parse(texts[1] ?? ''));
    expect(paced.takeParsed(texts[2] ?? '')).toEqual(JSON.parse(texts[2] ?? ''));
  });

  it('keeps the good answer of a listing page retried after garbled JSON', async () => {
    const okta = await startOkta({ faults: { rate: 1, kinds: ['malformed'], applies: firstRequests(1, (method) => method === 'GET') } }, 2);
    const paced = pacer(2);
    const text = await getText(okta, paced, `/api/v1/apps/${okta.appId}/users?expand=user&limit=500`);
    expect(okta.faults?.injected.malformed).toBe(1);
    expect(paced.takeParsed(text)).toEqual(JSON.parse(text));
  });

  it('keeps nothing for a listing page that is not valid JSON', async () => {
    const okta = await startOkta({ faults: { rate: 1, kinds: ['malformed'] } }, 2);
    const paced = pacer(0);
    const text = await getText(okta, paced, `/api/v1/apps/${okta.appId}/users?expand=user&limit=500`);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(paced.takeParsed(text)).toBeUndefined();
  });

  it('hands OktaSource each listing page it parsed, so the source does not parse it again', async () => {
    const okta = await startOkta({}, 3);
    const paced = pacer();
    const take = vi.spyOn(paced, 'takeParsed');
    const listing = await sourceFor(okta, paced, 2).listAssignments();
    expect(listing.assignments).toHaveLength(3);
    // Two pages (2 users, then 1): each found already parsed.
    expect(take.mock.results.map((result) => Array.isArray(result.value))).toEqual([true, true]);
  });
});
