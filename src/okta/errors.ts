// Every failure of an Okta call leaves okta/ as an OktaError. Messages are built only from the status,
// Okta's error code, summary and causes, or a transport error's own text: never from request headers,
// so an API token or access token can never end up in a message or a log line.

/**
 * What went wrong, by HTTP status where there was one: 401 unauthorized, 403 forbidden, 404 not_found (app_not_found
 * when the app itself is missing), 429 rate_limited, 400 bad_request, other statuses api_error; no answer: network;
 * an answer dialsync cannot read: invalid_response.
 */
export type OktaErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'app_not_found'
  | 'not_found'
  | 'rate_limited'
  | 'bad_request'
  | 'network'
  | 'invalid_response'
  | 'api_error'
  /** Stopped by the pacer's stop signal (shutdown): not sent, or a read cut off. */
  | 'aborted';

/** What an OktaError is built from; only `code` and `message` are required. */
export interface OktaErrorDetails {
  code: OktaErrorCode;
  message: string;
  /** HTTP status, or null when no response arrived (network) or none applies. */
  status?: number | null;
  /** Okta's own error code, such as E0000011 (invalid token) or E0000047 (rate limit). */
  oktaErrorCode?: string | null;
  /** Okta's errorSummary. */
  errorSummary?: string | null;
  /** The errorSummary of each of Okta's errorCauses. */
  errorCauses?: readonly string[];
  /** Okta's errorId, which Okta support asks for. */
  errorId?: string | null;
  /** X-Rate-Limit-Reset of a 429 (UTC epoch seconds), when Okta sent one. */
  rateLimitReset?: number | null;
  cause?: unknown;
}

/**
 * Every failure of an Okta call, told apart by `code` (never by message). The message names the operation and
 * carries Okta's own error code, summary and causes, never a credential. Fields as in OktaErrorDetails.
 */
export class OktaError extends Error {
  override readonly name = 'OktaError';
  readonly code: OktaErrorCode;
  readonly status: number | null;
  readonly oktaErrorCode: string | null;
  readonly errorSummary: string | null;
  readonly errorCauses: readonly string[];
  readonly errorId: string | null;
  readonly rateLimitReset: number | null;

  constructor(details: OktaErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.status = details.status ?? null;
    this.oktaErrorCode = details.oktaErrorCode ?? null;
    this.errorSummary = details.errorSummary ?? null;
    this.errorCauses = details.errorCauses ?? [];
    this.errorId = details.errorId ?? null;
    this.rateLimitReset = details.rateLimitReset ?? null;
  }
}

/** Whether `error` is an OktaError (a type guard for catch clauses). */
export function isOktaError(error: unknown): error is OktaError {
  return error instanceof OktaError;
}

/** The fields of the SDK's OktaApiError (a JSON error body) and HttpError (a non-JSON body) that we use. */
interface SdkHttpFailure {
  status: number;
  errorCode: string | null;
  errorSummary: string | null;
  errorCauses: readonly string[];
  errorId: string | null;
  rateLimitReset: number | null;
}

/**
 * Converts whatever an SDK call rejected with into an OktaError. `operation` says what was being done
 * ("listing the users assigned to app 0oa1"), and starts the message.
 *
 * The SDK rejects with: OktaApiError (non-2xx with a JSON body), HttpError (non-2xx, other body),
 * ApiException (a status the generated code did not expect), node-fetch's FetchError (connection,
 * timeout), a plain Error from the request executor (429 wait longer than requestTimeout), or a
 * SyntaxError/TypeError when a 2xx body is not the JSON it expects.
 */
export function toOktaError(error: unknown, operation: string): OktaError {
  if (error instanceof OktaError) return error;

  const failure = readHttpFailure(error);
  if (failure) return fromHttpFailure(failure, operation, error);

  const name = readString(error, 'name');
  const message = error instanceof Error ? error.message : String(error);

  if (name === 'AbortError') {
    // node-fetch's answer to the pacer's stop signal (shutdown): a read cut off, or a write past its grace.
    return new OktaError({ code: 'aborted', message: `${operation}: cut off, dialsync is shutting down`, cause: error });
  }
  if (name === 'FetchError') {
    const type = readString(error, 'type');
    if (type === 'invalid-json') {
      return new OktaError({ code: 'invalid_response', message: `${operation}: Okta's answer was not valid JSON (${message})`, cause: error });
    }
    const timedOut = type === 'request-timeout' || type === 'body-timeout';
    return new OktaError({
      code: 'network',
      message: `${operation}: ${timedOut ? 'Okta did not answer in time' : 'could not reach Okta'} (${message})`,
      cause: error,
    });
  }
  if (message.includes('okta.client.rateLimit.requestTimeout')) {
    // DefaultRequestExecutor gives up on a 429 when waiting for the reset would pass requestTimeout.
    const rateLimit = message.includes('429');
    return new OktaError({
      code: rateLimit ? 'rate_limited' : 'network',
      message: rateLimit
        ? `${operation}: Okta's rate limit was reached and its reset is further away than the request timeout allows`
        : `${operation}: the request took longer than the request timeout`,
      status: rateLimit ? 429 : null,
      cause: error,
    });
  }
  if (error instanceof SyntaxError || error instanceof TypeError) {
    // JSON.parse of a body that is not JSON.
    return new OktaError({ code: 'invalid_response', message: `${operation}: could not read Okta's answer (${message})`, cause: error });
  }
  return new OktaError({ code: 'api_error', message: `${operation}: ${message}`, cause: error });
}

function fromHttpFailure(failure: SdkHttpFailure, operation: string, cause: unknown): OktaError {
  const { status } = failure;
  const code: OktaErrorCode =
    status === 401
      ? 'unauthorized'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'not_found'
          : status === 429
            ? 'rate_limited'
            : status === 400
              ? 'bad_request'
              : 'api_error';
  return new OktaError({
    code,
    message: `${operation}: ${describeHttpFailure(failure)}`,
    status,
    oktaErrorCode: failure.errorCode,
    errorSummary: failure.errorSummary,
    errorCauses: failure.errorCauses,
    errorId: failure.errorId,
    rateLimitReset: failure.rateLimitReset,
    cause,
  });
}

/** "Okta answered HTTP 400 E0000001: Api validation failed: profile (dialpadPhone: Property name 'dialpadPhone' is not defined)". */
export function describeHttpFailure(failure: Pick<SdkHttpFailure, 'status' | 'errorCode' | 'errorSummary' | 'errorCauses'>): string {
  let text = `Okta answered HTTP ${failure.status}`;
  if (failure.errorCode) text += ` ${failure.errorCode}`;
  if (failure.errorSummary) text += `: ${failure.errorSummary}`;
  if (failure.errorCauses.length > 0) text += ` (${failure.errorCauses.join('; ')})`;
  return text;
}

function readHttpFailure(error: unknown): SdkHttpFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const name = readString(error, 'name');
  if (name === 'OktaApiError' || name === 'HttpError') {
    const status = readStatus(error, 'status');
    if (status === null) return null;
    return {
      status,
      errorCode: readString(error, 'errorCode') ?? null,
      errorSummary: readString(error, 'errorSummary') || null,
      errorCauses: readCauses(Reflect.get(error, 'errorCauses')),
      errorId: readString(error, 'errorId') ?? null,
      rateLimitReset: readRateLimitReset(Reflect.get(error, 'headers')),
    };
  }
  // The generated ApiException: `code` is the HTTP status, `body` the parsed error model.
  const status = readStatus(error, 'code');
  const body: unknown = Reflect.get(error, 'body');
  if (status !== null && 'headers' in error) {
    const bodyObject = typeof body === 'object' && body !== null ? body : {};
    return {
      status,
      errorCode: readString(bodyObject, 'errorCode') ?? null,
      errorSummary: readString(bodyObject, 'errorSummary') || null,
      errorCauses: readCauses(Reflect.get(bodyObject, 'errorCauses')),
      errorId: readString(bodyObject, 'errorId') ?? null,
      rateLimitReset: readRateLimitReset(Reflect.get(error, 'headers')),
    };
  }
  return null;
}

function readString(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'string' ? field : undefined;
}

function readStatus(value: object, key: string): number | null {
  const field: unknown = Reflect.get(value, key);
  const status = typeof field === 'string' ? Number(field) : field;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : null;
}

function readCauses(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((cause: unknown) => {
    const summary = readString(cause, 'errorSummary');
    return summary ? [summary] : [];
  });
}

/** Headers are node-fetch Headers on OktaApiError/HttpError and a plain object on ApiException. */
function readRateLimitReset(headers: unknown): number | null {
  if (typeof headers !== 'object' || headers === null) return null;
  const getter: unknown = Reflect.get(headers, 'get');
  const raw: unknown =
    typeof getter === 'function' ? getter.call(headers, 'x-rate-limit-reset') : Reflect.get(headers, 'x-rate-limit-reset');
  if (typeof raw !== 'string' || raw.includes(',')) return null;
  const reset = Number(raw);
  return Number.isInteger(reset) && reset > 0 ? reset : null;
}
