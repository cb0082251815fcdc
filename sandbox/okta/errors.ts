// Okta's error bodies: {errorCode, errorSummary, errorLink, errorId, errorCauses[]}, as in the Management API spec.
import { randomBytes } from 'node:crypto';

export type OktaResourceType = 'User' | 'AppInstance' | 'AppUser' | 'UserGroup';

/** Thrown by the Okta sandbox's state operations; the HTTP layer turns it into Okta's error response. */
export class OktaSandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly summary: string,
    readonly causes: readonly string[] = [],
  ) {
    super(summary);
    this.name = 'OktaSandboxError';
  }

  static notFound(id: string, type: OktaResourceType): OktaSandboxError {
    return new OktaSandboxError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`);
  }

  /** A path no route serves. */
  static noSuchEndpoint(path: string): OktaSandboxError {
    return new OktaSandboxError(404, 'E0000007', `Not found: Resource not found: ${path} (Unknown)`);
  }

  static validation(subject: string, causes: readonly string[]): OktaSandboxError {
    return new OktaSandboxError(400, 'E0000001', `Api validation failed: ${subject}`, causes);
  }

  static invalidToken(): OktaSandboxError {
    return new OktaSandboxError(401, 'E0000011', 'Invalid token provided');
  }

  static rateLimited(): OktaSandboxError {
    return new OktaSandboxError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
  }

  static methodNotAllowed(): OktaSandboxError {
    return new OktaSandboxError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
  }

  static badJson(): OktaSandboxError {
    return new OktaSandboxError(400, 'E0000003', 'The request body was not well-formed.');
  }
}

export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

export function oktaErrorBody(error: OktaSandboxError): OktaErrorBody {
  return {
    errorCode: error.code,
    errorSummary: error.summary,
    errorLink: error.code,
    errorId: `oae${randomBytes(16).toString('base64url').slice(0, 19)}`,
    errorCauses: error.causes.map((errorSummary) => ({ errorSummary })),
  };
}
