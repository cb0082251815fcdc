import { afterEach, describe, expect, it } from 'vitest';
import { SandboxHttpServer } from '../../../sandbox/http/server.js';

describe('SandboxHttpServer latency', () => {
  let server: SandboxHttpServer | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  async function timedGet(url: string): Promise<{ ms: number; status: number }> {
    const t0 = performance.now();
    const response = await fetch(url);
    await response.text();
    return { ms: performance.now() - t0, status: response.status };
  }

  it('delays every answer by latencyMs, and setLatency changes it for the next requests', async () => {
    server = new SandboxHttpServer(() => ({ status: 200, body: '{}' }), { latencyMs: 150 });
    await server.start();
    const slow = await timedGet(`${server.url}/x`);
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(145);

    server.setLatency(0);
    const fast = await timedGet(`${server.url}/x`);
    expect(fast.ms).toBeLessThan(120);
  });
});

describe('SandboxHttpServer listen address', () => {
  let server: SandboxHttpServer | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  it('binds where `listen` says and names itself by the public host (compose.yaml: another container reaches it)', async () => {
    server = new SandboxHttpServer((request) => ({ status: 200, body: JSON.stringify({ path: request.path }) }), {
      listen: { host: '0.0.0.0', port: 0, publicHost: 'sandbox' },
    });
    await server.start();
    const url = new URL(server.url);
    expect(url.hostname).toBe('sandbox');
    // Reachable on any of this machine's addresses, not only 127.0.0.1's default.
    const response = await fetch(`http://localhost:${url.port}/x`);
    expect(await response.json()).toEqual({ path: '/x' });
  });

  it('without `listen`: 127.0.0.1 on an ephemeral port', async () => {
    server = new SandboxHttpServer(() => ({ status: 200, body: '{}' }));
    await server.start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
