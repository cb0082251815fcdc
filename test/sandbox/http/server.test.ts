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
