import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHttpServer, DEFAULT_HTTP_LIMITS, type HttpLimits, type RequestHandler } from '../../src/daemon/http-server.js';
import { DaemonMetrics } from '../../src/daemon/metrics.js';
import { silentLogger } from '../../src/log/logger.js';
import { startDaemon, startSandboxes } from './harness.js';

let server: DaemonHttpServer | undefined;

afterEach(async () => {
  await server?.close();
});

async function start(ready: boolean, hook = true, limits?: Partial<HttpLimits>, handler?: RequestHandler): Promise<string> {
  server = new DaemonHttpServer({
    limits,
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
          handler:
            handler ??
            (async (req, res) => {
              // Reads the whole body first, as the event hook handler does.
              for await (const chunk of req) void chunk;
              res.writeHead(204).end();
            }),
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

  it('answers HEAD like GET, without a body', async () => {
    const base = await start(true);
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('hands the hook handler the body unread, whatever its content type, and answers 500 when it throws', async () => {
    const echo: RequestHandler = async (req, res) => {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      if (text === 'boom') throw new Error('handler failed');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.headers['content-type'] ?? 'none'}:${text}`);
    };
    const base = await start(true, true, undefined, echo);
    const json = await fetch(`${base}/hooks/okta`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await json.text()).toBe('application/json:{"a":1}');
    const odd = await fetch(`${base}/hooks/okta`, { method: 'POST', headers: { 'content-type': 'application/x-odd' }, body: 'x' });
    expect(await odd.text()).toBe('application/x-odd:x');
    // The server's 64 KiB default does not apply: the hook's handler keeps its own 5 MiB limit.
    const large = await fetch(`${base}/hooks/okta`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024) });
    expect((await large.text()).length).toBe('application/json:'.length + 1024 * 1024);
    const failed = await fetch(`${base}/hooks/okta`, { method: 'POST', body: 'boom' });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: 'internal error' });
  });

  it('has no hook endpoint when hooks are off', async () => {
    const base = await start(true, false);
    expect((await fetch(`${base}/hooks/okta`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await fetch(`${base}/hooks/okta`)).status).toBe(404);
  });
});

// ---- limits, with real sockets ----

/** Short limits, so a test takes seconds; the default ones are the same mechanism. */
const SHORT: Partial<HttpLimits> = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300, idleTimeoutMs: 600 };
/**
 * How long a test waits for the server to cut a client before calling it not cut: generous against the limits
 * above (a loaded machine), well under the 30 s at which Node's own connection check would cut it.
 */
const CUT_BOUND_MS = 10_000;

interface RawClient {
  socket: Socket;
  /** Everything the server sent so far. */
  received: () => string;
  /** Resolves true once the server closed the connection, false if it is still open after CUT_BOUND_MS. */
  cut: Promise<boolean>;
}

function rawClient(base: string): Promise<RawClient> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    // A reset or a write after the server closed: the connection is cut, which is what is being tested.
    socket.on('error', () => undefined);
    const cut = new Promise<boolean>((done) => {
      const timer = setTimeout(() => done(false), CUT_BOUND_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        done(true);
      });
    });
    socket.once('connect', () => resolve({ socket, received: () => data, cut }));
    socket.once('error', reject);
  });
}

/** Writes `chunk` every 100 ms until the socket closes. */
function trickle(client: RawClient, chunk: string): void {
  const timer = setInterval(() => {
    if (!client.socket.destroyed) client.socket.write(chunk);
  }, 100);
  client.socket.once('close', () => clearInterval(timer));
}

/** Sends GET /healthz over the connection and waits for the whole answer, or for 2 s. */
async function getOver(client: RawClient): Promise<void> {
  client.socket.write('GET /healthz HTTP/1.1\r\nHost: dialsync\r\n\r\n');
  // The whole answer: its body ends it (with a length), or the last chunk does (chunked).
  const answered = (): boolean => /\{"status":"ok"\}\n(\r\n0\r\n\r\n)?$/.test(client.received());
  for (let i = 0; i < 100 && !answered() && !client.socket.destroyed; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('DaemonHttpServer limits', () => {
  it('cuts a client that sends its headers slowly (slowloris) with 408', async () => {
    const client = await rawClient(await start(true, true, SHORT));
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: dialsync\r\n');
    trickle(client, 'X-Slow: 1\r\n');
    expect(await client.cut).toBe(true);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts a client that sends its body slowly with 408, and its delivery never reaches the handler', async () => {
    const client = await rawClient(await start(true, true, SHORT));
    client.socket.write('POST /hooks/okta HTTP/1.1\r\nHost: dialsync\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
    trickle(client, ' ');
    expect(await client.cut).toBe(true);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(client.received()).not.toContain('204');
  });

  it('cuts a client that connects and sends nothing', async () => {
    const client = await rawClient(await start(true, true, SHORT));
    expect(await client.cut).toBe(true);
    // Node answers 408 once the header timeout has passed (the idle timeout would close it silently).
    expect(client.received()).toMatch(/^(HTTP\/1\.1 408 [\s\S]*)?$/);
  });

  it('closes a kept-alive connection left idle after its request', async () => {
    const client = await rawClient(await start(true, true, SHORT));
    await getOver(client);
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*keep-alive/i);
    expect(await client.cut).toBe(true);
  });

  it('refuses the connection past maxConnections, and takes one again once a connection closes', async () => {
    const base = await start(true, true, { maxConnections: 3 });
    const open = [await rawClient(base), await rawClient(base), await rawClient(base)];
    for (const client of open) await getOver(client);
    expect(open.map((client) => client.received().startsWith('HTTP/1.1 200 '))).toEqual([true, true, true]);

    const fourth = await rawClient(base);
    fourth.socket.write('GET /healthz HTTP/1.1\r\nHost: dialsync\r\n\r\n');
    expect(await fourth.cut).toBe(true);
    expect(fourth.received()).toBe('');

    open[0]?.socket.destroy();
    await open[0]?.cut;
    // The server counts the closed connection once it has seen it close; a retry or two may still be refused.
    let answered = '';
    for (let attempt = 0; attempt < 20 && !answered.startsWith('HTTP/1.1 200 '); attempt += 1) {
      const again = await rawClient(base);
      await getOver(again);
      answered = again.received();
      again.socket.destroy();
    }
    expect(answered).toMatch(/^HTTP\/1\.1 200 /);
    for (const client of open) client.socket.destroy();
  });

  it('runs with the documented defaults: 5 s for headers, 10 s per request, 5 s keep-alive, 100 connections', () => {
    expect(DEFAULT_HTTP_LIMITS).toEqual({ headersTimeoutMs: 5_000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, idleTimeoutMs: 10_000, maxConnections: 100 });
  });
});

describe('the daemon', () => {
  it('caps its HTTP connections at daemon.maxConnections from the config', async () => {
    const sandboxes = await startSandboxes();
    const daemon = await startDaemon(sandboxes, { daemon: { maxConnections: 1 }, runOnStart: false });
    try {
      const first = await rawClient(daemon.baseUrl);
      await getOver(first);
      expect(first.received()).toMatch(/^HTTP\/1\.1 200 /);
      const second = await rawClient(daemon.baseUrl);
      second.socket.write('GET /healthz HTTP/1.1\r\nHost: dialsync\r\n\r\n');
      expect(await second.cut).toBe(true);
      expect(second.received()).toBe('');
      first.socket.destroy();
    } finally {
      await daemon.stop();
      await sandboxes.stop();
    }
  });
});
