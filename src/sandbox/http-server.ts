// The small HTTP layer both sandboxes share: a node:http server on 127.0.0.1 with an ephemeral port,
// requests read whole, and a route table with `:param` segments.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SandboxRequest {
  method: string;
  /** Decoded path without the query, e.g. /api/v1/users/00u1. */
  path: string;
  /** The raw query string without '?' ('' when none). */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  bodyText: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** Already serialized; omitted for empty bodies. */
  body?: string;
}

export type SandboxHandler = (request: SandboxRequest) => SandboxResponse;

export class SandboxHttpServer {
  private server: Server | undefined;
  private port: number | undefined;

  constructor(private readonly handle: SandboxHandler) {}

  get url(): string {
    if (this.port === undefined) throw new Error('sandbox server is not started');
    return `http://127.0.0.1:${this.port}`;
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
        this.respond(res, request);
      });
    });
    // Keep-alive connections from fetch would otherwise hold stop() open.
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
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
    let response: SandboxResponse;
    try {
      response = this.handle(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      response = { status: 500, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: message }) };
    }
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    res.statusCode = response.status;
    res.end(response.body);
  }
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
