import { OktaApiError } from '@okta/okta-sdk-nodejs';
import { describe, expect, it } from 'vitest';
import { OktaError, toOktaError } from '../../src/okta/errors.js';

/** Headers as node-fetch hands them to OktaApiError. */
function responseHeaders(entries: Record<string, string> = {}) {
  return new Headers(entries) as unknown as ConstructorParameters<typeof OktaApiError>[3];
}

function apiError(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return new OktaApiError(`https://acme.okta.com/api/v1/users/00u1`, status, body, responseHeaders(headers));
}

describe('toOktaError', () => {
  it.each([
    [400, 'bad_request'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [429, 'rate_limited'],
    [500, 'api_error'],
  ] as const)('maps an OktaApiError %i to %s', (status, code) => {
    const error = toOktaError(apiError(status, { errorCode: 'E0000001', errorSummary: 'Something' }), 'reading user 00u1');
    expect(error).toBeInstanceOf(OktaError);
    expect(error).toMatchObject({ code, status, oktaErrorCode: 'E0000001', errorSummary: 'Something' });
  });

  it("keeps Okta's code, summary, causes and error id in the message and fields", () => {
    const error = toOktaError(
      apiError(400, {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: profile',
        errorId: 'oae123',
        errorCauses: [{ errorSummary: 'dialpadPhone: Property name is not defined' }, { other: 1 }],
      }),
      'writing dialpadPhone',
    );
    expect(error.message).toBe('writing dialpadPhone: Okta answered HTTP 400 E0000001: Api validation failed: profile (dialpadPhone: Property name is not defined)');
    expect(error).toMatchObject({ errorCauses: ['dialpadPhone: Property name is not defined'], errorId: 'oae123' });
  });

  it('reads X-Rate-Limit-Reset of a 429', () => {
    const error = toOktaError(apiError(429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit' }, { 'x-rate-limit-reset': '1767225600' }), 'listing');
    expect(error).toMatchObject({ code: 'rate_limited', rateLimitReset: 1767225600 });
  });

  it("maps the generated code's ApiException by its status and body", () => {
    const exception = Object.assign(new Error('HTTP-Code: 405'), {
      code: 405,
      body: { errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' },
      headers: {},
    });
    expect(toOktaError(exception, 'reading')).toMatchObject({ code: 'api_error', status: 405, oktaErrorCode: 'E0000022' });
  });

  it('maps node-fetch errors to network, and a timeout says so', () => {
    const refused = Object.assign(new Error('request to https://acme.okta.com/api/v1/users failed, reason: connect ECONNREFUSED'), {
      name: 'FetchError',
      type: 'system',
      code: 'ECONNREFUSED',
    });
    const timeout = Object.assign(new Error('network timeout at: https://acme.okta.com/api/v1/users'), { name: 'FetchError', type: 'request-timeout' });
    expect(toOktaError(refused, 'reading')).toMatchObject({ code: 'network', status: null, message: expect.stringContaining('could not reach Okta') });
    expect(toOktaError(timeout, 'reading')).toMatchObject({ code: 'network', message: expect.stringContaining('did not answer in time') });
  });

  it("maps the request executor's 429 give-up to rate_limited", () => {
    const error = toOktaError(new Error('HTTP 429 retry delay would exceed okta.client.rateLimit.requestTimeout'), 'listing');
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
  });

  it('maps an unreadable body to invalid_response', () => {
    expect(toOktaError(new SyntaxError('Unexpected token < in JSON'), 'listing').code).toBe('invalid_response');
    expect(toOktaError(new TypeError('data is not iterable'), 'listing').code).toBe('invalid_response');
  });

  it('passes an OktaError through unchanged and wraps anything else as api_error', () => {
    const original = new OktaError({ code: 'app_not_found', message: 'no app' });
    expect(toOktaError(original, 'x')).toBe(original);
    expect(toOktaError('weird', 'reading')).toMatchObject({ code: 'api_error', message: 'reading: weird' });
  });
});
