import { describe, expect, it } from 'vitest';
import { apiMessageFromBody, DialpadError, errorCodeForStatus } from '../../src/dialpad/errors.js';

describe('apiMessageFromBody', () => {
  it('reads the Google-style error envelope, with its details', () => {
    const body = JSON.stringify({ error: { code: 400, message: 'Invalid office', errors: [{ message: 'office_id not found' }, { message: 'Invalid office' }] } });
    expect(apiMessageFromBody(body)).toBe('Invalid office; office_id not found');
  });

  it('reads {"message"} and {"error": "..."}', () => {
    expect(apiMessageFromBody('{"message":"User already exists"}')).toBe('User already exists');
    expect(apiMessageFromBody('{"error":"no such user"}')).toBe('no such user');
  });

  it('falls back to the text for non-JSON or unknown JSON, and null for empty bodies', () => {
    expect(apiMessageFromBody('<html><body>Bad   Gateway</body></html>')).toBe('<html><body>Bad Gateway</body></html>');
    expect(apiMessageFromBody('{"detail":"x"}')).toBe('{"detail":"x"}');
    expect(apiMessageFromBody('  ')).toBeNull();
  });

  it('truncates very long bodies', () => {
    expect(apiMessageFromBody('x'.repeat(5000))?.length).toBeLessThanOrEqual(501);
  });
});

describe('DialpadError', () => {
  it('maps statuses to codes', () => {
    expect([400, 401, 403, 404, 408, 409, 413, 429, 500, 503, 302].map(errorCodeForStatus)).toEqual([
      'bad_request',
      'unauthorized',
      'forbidden',
      'not_found',
      'timeout',
      'conflict',
      'bad_request',
      'rate_limited',
      'server_error',
      'server_error',
      'invalid_response',
    ]);
  });

  it('is retryable only for transient failures', () => {
    const make = (code: DialpadError['code']) => new DialpadError({ code, status: null, method: 'GET', path: '/api/v2/users' });
    expect(make('rate_limited').retryable).toBe(true);
    expect(make('server_error').retryable).toBe(true);
    expect(make('network').retryable).toBe(true);
    expect(make('timeout').retryable).toBe(true);
    for (const code of ['unauthorized', 'forbidden', 'not_found', 'conflict', 'bad_request', 'invalid_response'] as const) {
      expect(make(code).retryable).toBe(false);
    }
  });

  it('names the call and what Dialpad said', () => {
    const error = new DialpadError({ code: 'conflict', status: 409, method: 'POST', path: '/api/v2/users', apiMessage: 'email taken' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DialpadError');
    expect(error.message).toBe('Dialpad reported a conflict on POST /api/v2/users (409): email taken');
    expect(error.apiMessage).toBe('email taken');
  });
});
