// The small HTTP layer both sandboxes share: a node:http server on 127.0.0.1 with an ephemeral port,
// requests read whole, and a route table with `:param` segments.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector, FaultKind } from './fault-injector.js';
import type { SandboxHandler, SandboxRequest, SandboxResponse } from './request.js';

export type { SandboxHandler, SandboxRequest, SandboxResponse } from './request.js';


/**
 * Called once a write (any method but GET/HEAD) has been received and carried out, before its answer is sent:
 * `count` is this server's running count of such writes. Returning 'drop' closes the connection instead of
 * answering: the write happened, the client never hears back (what a crash or a cut line looks like to it).
 */
export type WriteRequestHook = (count: number, request: SandboxRequest) => void | 'drop';

export interface SandboxServerOptions {
  faults?: FaultInjector | undefined;
  /** The sandbox's own error answer for an injected 429, 500 or 503. */
  faultReply?: (status: 429 | 500 | 503) => SandboxResponse;
  onWriteRequest?: WriteRequestHook | undefined;
  /** Called as each request arrives, before any latency or fault (tests count what reached the sandbox, and when). */
  onRequestArrived?: ((request: SandboxRequest) => void) | undefined;
  /** Delay before each request is handled (the benchmark's network and server time); 0 or unset: none. */
  latencyMs?: number | undefined;
  /** Where to listen; unset: 127.0.0.1 on an ephemeral port (tests, the demo). */
  listen?: SandboxListenOptions | undefined;
}

/**
 * A fixed address for a sandbox that another host or container reaches (`npm run sandbox` in compose.yaml):
 * `host` is the bind address (e.g. 0.0.0.0), `port` 0 for an ephemeral one, and `publicHost` the name clients
 * use, which the sandbox also puts in the links it answers with (pagination), so a client follows them.
 */
export interface SandboxListenOptions {
  host: string;
  port: number;
  publicHost?: string | undefined;
}

export class SandboxHttpServer {
  private server: Server | undefined;
  private port: number | undefined;
  private writes = 0;

  constructor(
    private readonly handle: SandboxHandler,
    private options: SandboxServerOptions = {},
  ) {}

  /** Changes the per-request latency from the next request on (benchmarks switch it between scenarios). */
  setLatency(ms: number): void {
    this.options = { ...this.options, latencyMs: ms };
  }

  get url(): string {
    if (this.port === undefined) throw new Error('sandbox server is not started');
    return `http://${this.options.listen?.publicHost ?? this.options.listen?.host ?? '127.0.0.1'}:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const target = new URL(req.url ?? '/', 'http://sandbox.invalid');
        const request: SandboxRequest = {
          method: (req.method ?? 'GET').toUpperCase(),
          path: safeDecodePath(target.pathname),
          rawQuery: target.search.startsWith('?') ? target.search.slice(1) : target.search,
          query: target.searchParams,
          headers: req.headers,
          bodyText: Buffer.concat(chunks).toString('utf8'),
        };
        this.options.onRequestArrived?.(request);
        const latencyMs = this.options.latencyMs ?? 0;
        if (latencyMs > 0) setTimeout(() => this.respond(res, request), latencyMs);
        else this.respond(res, request);
      });
    });
    // Keep-alive connections from fetch would otherwise hold stop() open.
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.listen?.port ?? 0, this.options.listen?.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.port = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private respond(res: ServerResponse, request: SandboxRequest): void {
    const faults = this.options.faults;
    const fault = faults?.decide(request) ?? null;
    if (fault?.kind === 'slow' && faults) {
      setTimeout(() => this.serve(res, request, null), faults.slowMs);
      return;
    }
    if (fault && !fault.afterEffect) {
      this.sendFault(res, fault.kind, undefined);
      return;
    }
    this.serve(res, request, fault?.kind ?? null);
  }

  /** Carries the request out, then answers it (or, with a fault after the effect, answers with the fault). */
  private serve(res: ServerResponse, request: SandboxRequest, faultAfter: FaultKind | null): void {
    let produced: SandboxResponse | Promise<SandboxResponse>;
    try {
      produced = this.handle(request);
    } catch (error) {
      produced = internalError(error);
    }
    // Most handlers answer at once; an asynchronous one (signing a token) is awaited, the others stay synchronous.
    if (produced instanceof Promise) {
      produced.then(
        (response) => this.finish(res, request, faultAfter, response),
        (error: unknown) => this.finish(res, request, faultAfter, internalError(error)),
      );
      return;
    }
    this.finish(res, request, faultAfter, produced);
  }

  private finish(res: ServerResponse, request: SandboxRequest, faultAfter: FaultKind | null, response: SandboxResponse): void {
    if (request.method !== 'GET' && request.method !== 'HEAD' && this.options.onWriteRequest) {
      this.writes += 1;
      if (this.options.onWriteRequest(this.writes, request) === 'drop') {
        res.destroy();
        return;
      }
    }
    if (faultAfter !== null) this.sendFault(res, faultAfter, response);
    else this.send(res, response);
  }

  private sendFault(res: ServerResponse, kind: FaultKind, processed: SandboxResponse | undefined): void {
    if (kind === 'reset') {
      res.destroy();
      return;
    }
    if (kind === 'malformed') {
      // A prefix of a JSON object or array is never valid JSON: the answer is cut off mid-body.
      const body = processed?.body ?? '';
      this.send(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: body.length > 1 ? body.slice(0, Math.floor(body.length / 2)) : '{' });
      return;
    }
    const status = kind === '429' ? 429 : kind === '503' ? 503 : 500;
    this.send(
      res,
      this.options.faultReply?.(status) ?? { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: `injected ${status}` }) },
    );
  }

  private send(res: ServerResponse, response: SandboxResponse): void {
    if (res.destroyed) return;
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    res.statusCode = response.status;
    res.end(response.body);
  }
}

function internalError(error: unknown): SandboxResponse {
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: message }) };
}

function safeDecodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

export type RouteParams = Readonly<Record<string, string>>;

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: RouteParams }
  | { kind: 'wrong-method' }
  | { kind: 'none' };

/** Matches `METHOD /a/:b/c` patterns; literal segments win over parameters by declaration order. */
export class RouteTable<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, segments: splitPath(pattern), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    const segments = splitPath(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      if (route.method !== method) {
        pathMatched = true;
        continue;
      }
      return { kind: 'found', handler: route.handler, params };
    }
    return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i] as string;
    const value = actual[i] as string;
    if (expected.startsWith(':')) params[expected.slice(1)] = value;
    else if (expected !== value) return undefined;
  }
  return params;
}

/** Reads a bearer-style credential: `Authorization: <scheme> <value>` for one of the schemes given. */
export function credentialFrom(headers: IncomingHttpHeaders, schemes: readonly string[]): string | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  if (!schemes.some((s) => s.toLowerCase() === scheme)) return undefined;
  return header.slice(space + 1).trim();
}
