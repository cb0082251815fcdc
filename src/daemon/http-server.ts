// The daemon's one port: /healthz (alive), /readyz (able to do its job), /metrics (Prometheus), the Okta event
// hook endpoint when hooks are enabled, and the admin console when it is configured. Served by fastify on a
// node:http server built here, so the connection limits below stay exactly those of Node's server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fastify, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { configDefaults } from '../config/schema.js';
import { isConsolePath, registerConsole, type ConsoleOptions } from '../console/console-plugin.js';
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
  /**
   * The admin console and its API (in a scope of their own: security headers, cookies, sign-in); when left out,
   * the console's paths answer 404, and the probes, /metrics and the hook are the same either way.
   */
  console?: ConsoleOptions | undefined;
  /** DEFAULT_HTTP_LIMITS where not given. */
  limits?: Partial<HttpLimits> | undefined;
  logger: Logger;
}

/** Connections refused at the cap are logged at most this often (a flood would otherwise flood the log). */
const DROP_LOG_INTERVAL_MS = 60_000;
/** Requests to the probes carry no body; anything larger than this is refused before it is read. */
const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The daemon's one port: GET /healthz (200 while the process runs), /readyz, /metrics, the event hook path and,
 * when configured, the admin console; 404 elsewhere, 405 for other methods than GET and HEAD on the probe paths
 * (and any path outside the console's). A handler that throws answers 500 and is logged. Not listening until
 * listen().
 */
export class DaemonHttpServer {
  private readonly server: Server;
  private readonly app: FastifyInstance;
  private acceptingHooks = true;
  private dropped = 0;
  private lastDropLog = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DaemonHttpServerOptions) {
    const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
    let server: Server | undefined;
    this.app = fastify({
      // The node:http server is built here, so its header, request and keep-alive timeouts are Node's own.
      serverFactory: (handler) => {
        server = createServer(
          {
            headersTimeout: limits.headersTimeoutMs,
            requestTimeout: limits.requestTimeoutMs,
            keepAliveTimeout: limits.keepAliveTimeoutMs,
            // Node checks the header and request timeouts on this interval (30 s by default), so a slow client
            // was cut up to 30 s late; checked often enough here to cut it within a fraction of the timeout.
            connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
          },
          handler,
        );
        return server;
      },
      bodyLimit: DEFAULT_BODY_LIMIT_BYTES,
      // A path parameter may be an email (the console's /users/:email): up to 320 characters, encoded.
      routerOptions: { maxParamLength: 1_024 },
      // Idle kept-alive connections are closed at close(); busy ones get a second (close() below).
      forceCloseConnections: 'idle',
      // Errors are logged by the error handler below with the daemon's logger; fastify itself logs nothing.
      logger: false,
    });
    if (!server) throw new Error('fastify did not build the HTTP server');
    this.server = server;
    this.server.timeout = limits.idleTimeoutMs;
    this.server.maxConnections = limits.maxConnections;
    this.server.on('drop', () => {
      this.dropped += 1;
      const now = Date.now();
      if (now - this.lastDropLog < DROP_LOG_INTERVAL_MS) return;
      this.lastDropLog = now;
      options.logger.warn({ maxConnections: limits.maxConnections, dropped: this.dropped }, 'HTTP connection refused: daemon.maxConnections are open');
    });
    this.routes();
  }

  /**
   * Listens; resolves with the bound address (port 0 picks a free port).
   * @throws what binding the port throws (EADDRINUSE, EACCES).
   */
  async listen(): Promise<{ host: string; port: number }> {
    await this.app.listen({ host: this.options.host, port: this.options.port });
    const address = this.server.address() as AddressInfo;
    return { host: address.address, port: address.port };
  }

  /** Hook deliveries get 503 from now on (Okta retries them later, to the next instance). */
  stopAcceptingHooks(): void {
    this.acceptingHooks = false;
  }

  /** Stops listening; resolves once every connection is closed (those still open after 1 s are cut). */
  async close(): Promise<void> {
    // Anything still open after a moment is cut.
    const cut = setTimeout(() => this.server.closeAllConnections(), 1_000);
    cut.unref();
    try {
      await this.app.close();
    } finally {
      clearTimeout(cut);
    }
  }

  private routes(): void {
    const { app, options } = this;
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // The client's fault (a body too large, malformed, of a type not taken): its status, a fixed text.
        void sendJson(reply, status, { error: clientErrorText(status) });
        return;
      }
      options.logger.error({ err: error, path: request.url.split('?')[0] }, 'HTTP request failed');
      void sendJson(reply, 500, { error: 'internal error' });
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (request.method === 'GET' || request.method === 'HEAD' || isConsolePath(path)) return sendJson(reply, 404, { error: 'not found' });
      void reply.header('allow', 'GET, HEAD');
      return sendJson(reply, 405, { error: 'method not allowed' });
    });

    app.get('/healthz', (_request, reply) => sendJson(reply, 200, { status: 'ok' }));
    app.get('/readyz', async (_request, reply) => {
      const verdict = await options.readiness();
      return sendJson(reply, verdict.ready ? 200 : 503, verdict.ready ? { status: 'ready' } : { status: 'unready', reasons: verdict.reasons });
    });
    app.get('/metrics', async (_request, reply) => {
      const text = await options.metrics.text();
      return reply.code(200).header('content-type', options.metrics.contentType).send(text);
    });

    const hook = options.hook;
    if (hook) {
      void app.register(async (scope) => {
        // The hook's handler reads the body itself (with its own 5 MiB limit): fastify hands it the stream unread.
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
        scope.all(hook.path, async (request, reply) => {
          if (!this.acceptingHooks) return sendJson(reply, 503, { error: 'shutting down' });
          reply.hijack();
          try {
            await hook.handler(request.raw, reply.raw);
          } catch (error) {
            options.logger.error({ err: error, path: hook.path }, 'HTTP request failed');
            if (!reply.raw.headersSent) {
              reply.raw.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
              reply.raw.end(`${JSON.stringify({ error: 'internal error' })}\n`);
            } else reply.raw.destroy();
          }
          return reply;
        });
      });
    }
    if (options.console) void app.register(registerConsole, options.console);
  }
}

/** A fixed text per client error status: an error's own message may quote what the client sent. */
function clientErrorText(status: number): string {
  switch (status) {
    case 400:
      return 'bad request';
    case 403:
      return 'forbidden';
    case 404:
      return 'not found';
    case 413:
      return 'request body too large';
    case 415:
      return 'unsupported media type';
    default:
      return 'request refused';
  }
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`${JSON.stringify(body)}\n`);
}
