/**
 * Why a Dialpad call failed: one per HTTP status class we act on (errorCodeForStatus), plus failures with no usable
 * answer (`network`, `timeout`, `invalid_response`) and `aborted`. DialpadError.retryable tells the transient ones.
 */
export type DialpadErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'bad_request'
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'timeout'
  | 'invalid_response'
  /** Not sent: the client's stop signal was aborted (shutdown) before the request went out. */
  | 'aborted';

const RETRYABLE: ReadonlySet<DialpadErrorCode> = new Set(['rate_limited', 'server_error', 'network', 'timeout']);

/** What a DialpadError is built from; the client fills it after redacting the API key. */
export interface DialpadErrorInit {
  code: DialpadErrorCode;
  status: number | null;
  method: string;
  /** Path only, never the query string. */
  path: string;
  /** What Dialpad said, already stripped of any secret. */
  apiMessage?: string | null;
  /** Our own explanation, for failures without an API message (network, timeout, invalid response). */
  detail?: string | null;
  /** Milliseconds, from a 429's Retry-After, when present. */
  retryAfterMs?: number | null;
  cause?: unknown;
}

/** A failed Dialpad API call. Never carries the API key: the client redacts it before building one. */
export class DialpadError extends Error {
  readonly code: DialpadErrorCode;
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  readonly apiMessage: string | null;
  readonly retryAfterMs: number | null;

  constructor(init: DialpadErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DialpadError';
    this.code = init.code;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.apiMessage = init.apiMessage ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  /** Transient: the same request may succeed later. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** The code for an HTTP status Dialpad answered with (a status below 400 here means an unexpected answer). Pure. */
export function errorCodeForStatus(status: number): DialpadErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'bad_request';
  return 'invalid_response';
}

const MAX_MESSAGE_LENGTH = 500;

/**
 * Dialpad does not document its error body. We accept the shapes seen from Google-Cloud-Endpoints-style
 * APIs and common variants: {"error":{"code","message","errors":[{"message"}]}}, {"message": "..."},
 * {"error": "..."}, or any non-JSON text (an HTML page from a proxy, for instance). One line, at most 500
 * characters; null when empty. Pure; does not throw.
 */
export function apiMessageFromBody(body: string): string | null {
  const text = body.trim();
  if (text === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return truncate(text);
  }
  const found = messageIn(parsed);
  return truncate(found ?? text);
}

function messageIn(value: unknown): string | null {
  if (!isRecord(value)) return null;
  const error = value.error;
  if (typeof error === 'string' && error.trim() !== '') return error;
  if (isRecord(error)) {
    const details = Array.isArray(error.errors)
      ? error.errors.map((e) => (isRecord(e) && typeof e.message === 'string' ? e.message : null))
      : [];
    const main = typeof error.message === 'string' && error.message.trim() !== '' ? error.message : null;
    const extra = details.filter((m): m is string => m !== null && m.trim() !== '' && m !== main);
    const all = [main, ...extra].filter((m): m is string => m !== null);
    if (all.length > 0) return all.join('; ');
  }
  if (typeof value.message === 'string' && value.message.trim() !== '') return value.message;
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH)}…` : oneLine;
}

function describe(init: DialpadErrorInit): string {
  const call = `${init.method} ${init.path}`;
  const said = init.apiMessage ? `: ${init.apiMessage}` : '';
  const detail = init.detail ? `: ${init.detail}` : '';
  const status = init.status === null ? '' : ` (${init.status})`;
  switch (init.code) {
    case 'unauthorized':
      return `Dialpad rejected the API key${status} on ${call}${said}. Check the configured key: it may be wrong, revoked or expired.`;
    case 'forbidden':
      return `Dialpad refused ${call}${status}${said}. The API key is valid but not allowed to do this: user management needs a company-admin key.`;
    case 'not_found':
      return `Dialpad found nothing at ${call}${status}${said}`;
    case 'conflict':
      return `Dialpad reported a conflict on ${call}${status}${said}`;
    case 'bad_request':
      return `Dialpad rejected ${call}${status}${said}`;
    case 'rate_limited':
      return `Dialpad rate limit reached on ${call}${status}${said}`;
    case 'server_error':
      return `Dialpad failed on ${call}${status}${said}`;
    case 'network':
      return `Could not reach Dialpad for ${call}${detail}`;
    case 'timeout':
      return `Dialpad did not answer ${call} in time${status}${detail}${said}`;
    case 'invalid_response':
      return `Dialpad sent an unexpected response to ${call}${status}${detail}`;
    case 'aborted':
      return `Dialpad request ${call} stopped${detail || ': not sent, dialsync is shutting down'}`;
  }
}
