// Dialpad does not document its error bodies. The sandbox answers in the Google-Cloud-Endpoints style its API
// is believed to be served with: {"error":{"code","message","errors":[{"domain","reason","message"}]}}.

export type DialpadErrorReason =
  | 'badRequest'
  | 'unauthorized'
  | 'notFound'
  | 'conflict'
  | 'rateLimitExceeded'
  | 'backendError';

/** Thrown by the Dialpad sandbox's state operations; the HTTP layer turns it into the error response. */
export class DialpadSandboxError extends Error {
  constructor(
    readonly status: number,
    readonly reason: DialpadErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'DialpadSandboxError';
  }

  static badRequest(message: string): DialpadSandboxError {
    return new DialpadSandboxError(400, 'badRequest', message);
  }

  static notFound(message: string): DialpadSandboxError {
    return new DialpadSandboxError(404, 'notFound', message);
  }

  static conflict(message: string): DialpadSandboxError {
    return new DialpadSandboxError(409, 'conflict', message);
  }
}

export interface DialpadErrorBody {
  error: {
    code: number;
    message: string;
    errors: { domain: 'global'; reason: string; message: string }[];
  };
}

export function dialpadErrorBody(error: DialpadSandboxError): DialpadErrorBody {
  return {
    error: {
      code: error.status,
      message: error.message,
      errors: [{ domain: 'global', reason: error.reason, message: error.message }],
    },
  };
}
