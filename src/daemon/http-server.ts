// The daemon's one port: /healthz (alive), /readyz (able to do its job), /metrics (Prometheus), and the
// Okta event hook endpoint when hooks are enabled.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configDefaults } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { DaemonMetrics } from './metrics.js';
import type { ReadinessVerdict } from './readiness.js';

/** A node:http handler that may answer asynchronously (the event hook's). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Limits on the daemon's HTTP connections, so slow or too many clients cannot hold the port (or the shutdown).
 * Times in milliseconds.
 */
export interface HttpLimits {
  /** A request's headers must have arrived this long after its first byte, or it gets 408 and is closed. */
  headersTimeoutMs: number;
  /** A whole request (headers and body) must have arrived this long after its first byte, or 408 and closed. */
  requestTimeoutMs: number;
  /** A kept-alive connection is closed after this long without a new request. */
  keepAliveTimeoutMs: number;
  /**
   * A connection is closed after this long without a byte either way, whatever it is doing: a backstop behind
   * the timeouts above (a connection that sends nothing at all is cut by the header timeout already).
   */
  idleTimeoutMs: number;
  /** Connections open at once (`daemon.maxConnections`); one more is closed as soon as it is accepted. */
  maxConnections: number;
}

/** The limits the daemon runs with; only maxConnections is a setting (daemon.maxConnections). */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 10_000,
  maxConnections: configDefaults().daemon.maxConnections,
};

/** What the daemon's HTTP server listens on and answers with. */
export interface DaemonHttpServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Served on /metrics. */
  metrics: DaemonMetrics;
  /** Asked on each /readyz: 200 when ready, else 503 with the reason codes. */
  readiness: () => Promise<ReadinessVerdict>;
  /** The event hook endpoint (daemon.hooks.path) and its handler; none when hooks are off. */
  hook?: { path: string; handler: RequestHandler } | undefined;
  /** DEFAULT_HTTP_LIMITS where not given. */
  limits?: Partial<HttpLimits> | undefined;
  logger: Logger;
}

/** Connections refused at the cap are logged at most this often (a flood would otherwise flood the log). */
const DROP_LOG_INTERVAL_MS = 60_000;

/**
 * The daemon's one port: GET /healthz (200 while the process runs), /readyz, /metrics, and the event hook path;
 * 404 elsewhere, 405 for other methods than GET and HEAD. Not listening until listen().
 */
export class DaemonHttpServer {
  private readonly server: Server;
  private acceptingHooks = true;
  private dropped = 0;
  private lastDropLog = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DaemonHttpServerOptions) {
    const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      this.route(req, res).catch((error: unknown) => {
        options.logger.error({ err: error, path: pathOf(req) }, 'HTTP request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    };
    this.server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        // Node checks the header and request timeouts on this interval (30 s by default), so a slow client
        // was cut up to 30 s late; checked often enough here to cut it within a fraction of the timeout.
        connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
      },
      handle,
    );
    this.server.timeout = limits.idleTimeoutMs;
    this.server.maxConnections = limits.maxConnections;
    this.server.on('drop', () => {
      this.dropped += 1;
      const now = Date.now();
      if (now - this.lastDropLog < DROP_LOG_INTERVAL_MS) return;
      this.lastDropLog = now;
      options.logger.warn({ maxConnections: limits.maxConnections, dropped: this.dropped }, 'HTTP connection refused: daemon.maxConnections are open');
    });
  }

  /** Listens; resolves with the bound address (port 0 picks a free port). */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Hook deliveries get 503 from now on (Okta retries them later, to the next instance). */
  stopAcceptingHooks(): void {
    this.acceptingHooks = false;
  }

  /** Stops listening; resolves once every connection is closed (those still open after 1 s are cut). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      // Anything still open after a moment is cut.
      setTimeout(() => this.server.closeAllConnections(), 1_000).unref();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    const method = req.method ?? 'GET';
    const hook = this.options.hook;
    if (hook && path === hook.path) {
      if (!this.acceptingHooks) {
        sendJson(res, 503, { error: 'shutting down' });
        return;
      }
      await hook.handler(req, res);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'method not allowed' });
      return;
    }
    switch (path) {
      case '/healthz':
        sendJson(res, 200, { status: 'ok' });
        return;
      case '/readyz': {
        const verdict = await this.options.readiness();
        sendJson(res, verdict.ready ? 200 : 503, verdict.ready ? { status: 'ready' } : { status: 'unready', reasons: verdict.reasons });
        return;
      }
      case '/metrics': {
        const text = await this.options.metrics.text();
        res.writeHead(200, { 'content-type': this.options.metrics.contentType });
        res.end(text);
        return;
      }
      default:
        sendJson(res, 404, { error: 'not found' });
    }
  }
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}
