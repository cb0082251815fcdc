// A Kubernetes Service in front of daemon replicas, for tests: forwards each request to the next endpoint in turn,
// and on a refused connection or a 503 (a replica stopping) to the next, as kube-proxy does for a pod that is no
// longer ready. Endpoints are added before and removed after a rolling update's steps, like a Deployment's.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where a request can go: a replica's port on 127.0.0.1. */
export interface Endpoint {
  port: number;
}

/** The proxy: its URL, and the endpoints it sends to. */
export class ServiceProxy {
  private endpoints: Endpoint[] = [];
  private next = 0;
  private constructor(private readonly server: Server) {}

  /** Starts the proxy on a free port of 127.0.0.1. */
  static async start(): Promise<ServiceProxy> {
    const proxy: ServiceProxy = new ServiceProxy(createServer((req, res) => void proxy.forward(req, res)));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  add(endpoint: Endpoint): void {
    this.endpoints.push(endpoint);
  }

  remove(endpoint: Endpoint): void {
    this.endpoints = this.endpoints.filter((candidate) => candidate !== endpoint);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async forward(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // Each endpoint at most twice: enough to ride out one replica going away mid-request.
    for (let tries = 0; tries < Math.max(2, this.endpoints.length * 2); tries += 1) {
      const endpoint = this.endpoints[this.next++ % Math.max(1, this.endpoints.length)];
      if (endpoint === undefined) break;
      const answer = await send(endpoint, req, body).catch(() => null);
      if (answer === null || answer.status === 503) continue;
      res.writeHead(answer.status, { 'content-type': answer.contentType });
      res.end(answer.body);
      return;
    }
    res.writeHead(503).end();
  }
}

function send(endpoint: Endpoint, req: IncomingMessage, body: Buffer): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: `127.0.0.1:${endpoint.port}` };
    const outgoing = httpRequest({ host: '127.0.0.1', port: endpoint.port, method: req.method, path: req.url, headers, timeout: 5_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 502, contentType: String(response.headers['content-type'] ?? 'text/plain'), body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
