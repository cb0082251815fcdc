import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHttpServer } from '../../src/daemon/http-server.js';
import { DaemonMetrics } from '../../src/daemon/metrics.js';
import { silentLogger } from '../../src/log/logger.js';

let server: DaemonHttpServer | undefined;

afterEach(async () => {
  await server?.close();
});

async function start(ready: boolean, hook = true): Promise<string> {
  server = new DaemonHttpServer({
    host: '127.0.0.1',
    port: 0,
    metrics: new DaemonMetrics({ processMetrics: false }),
    readiness: async () =>
      ready
        ? { ready: true, reasons: [], problems: [] }
        : { ready: false, reasons: ['okta_credentials'], problems: [{ reason: 'okta_credentials', detail: 'Okta answered HTTP 401 at https://acme.okta.com' }] },
    hook: hook
      ? {
          path: '/hooks/okta',
          handler: async (_req, res) => {
            res.writeHead(204).end();
          },
        }
      : undefined,
    logger: silentLogger(),
  });
  const { port } = await server.listen();
  return `http://127.0.0.1:${port}`;
}

describe('DaemonHttpServer', () => {
  it('answers the probes, metrics, 404 and 405', async () => {
    const base = await start(false);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    // Codes only: the detail (an org URL, an API's refusal text) stays in the log and `dialsync status`.
    expect(await ready.json()).toEqual({ status: 'unready', reasons: ['okta_credentials'] });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('mounts the hook handler at its path, and refuses deliveries once shutting down', async () => {
    const base = await start(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/hooks/okta`, { method: 'POST', body: '{}' })).status).toBe(204);
    server?.stopAcceptingHooks();
    expect((await fetch(`${base}/hooks/okta`, { method: 'POST', body: '{}' })).status).toBe(503);
  });

  it('has no hook endpoint when hooks are off', async () => {
    const base = await start(true, false);
    expect((await fetch(`${base}/hooks/okta`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await fetch(`${base}/hooks/okta`)).status).toBe(404);
  });
});
