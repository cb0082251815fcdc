// The daemon's one port: /healthz (alive), /readyz (able to do its job), /metrics (Prometheus), and the
// Okta event hook endpoint when hooks are enabled.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.js';
import type { DaemonMetrics } from './metrics.js';
import type { ReadinessVerdict } from './readiness.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface DaemonHttpServerOptions {
  host: string;
  port: number;
  metrics: DaemonMetrics;
  readiness: () => Promise<ReadinessVerdict>;
  hook?: { path: string; handler: RequestHandler } | undefined;
  logger: Logger;
}

export class DaemonHttpServer {
  private readonly server: Server;
  private acceptingHooks = true;

  constructor(private readonly options: DaemonHttpServerOptions) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        options.logger.error({ err: error, path: pathOf(req) }, 'HTTP request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    });
    // Slow or idle clients must not hold the shutdown.
    this.server.requestTimeout = 10_000;
    this.server.headersTimeout = 5_000;
    this.server.keepAliveTimeout = 5_000;
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
