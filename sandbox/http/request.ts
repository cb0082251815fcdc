// What a sandbox route handler sees and answers: plain data, so the fault injector and the server share it
// without importing each other.
import type { IncomingHttpHeaders } from 'node:http';

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

/** Answers a request, at once or (when it must await, e.g. to sign a token) through a promise. */
export type SandboxHandler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;
