import { describe, expect, it } from 'vitest';
import { failureCauseOf } from '../../src/apply/failure-cause.js';
import { FieldsRefusedError } from '../../src/apply/update-fields.js';
import { DialpadError, type DialpadErrorCode } from '../../src/dialpad/errors.js';
import { OktaError, type OktaErrorCode } from '../../src/okta/errors.js';
import { StoreError } from '../../src/store/database.js';

const okta = (code: OktaErrorCode, status: number | null, extra: Partial<ConstructorParameters<typeof OktaError>[0]> = {}) =>
  new OktaError({ code, status, message: 'writing dialpadPhone: no matter what it says', ...extra });
const dialpad = (code: DialpadErrorCode, status: number | null, apiMessage: string | null = null) =>
  new DialpadError({ code, status, method: 'POST', path: '/api/v2/users', apiMessage });

describe('failureCauseOf', () => {
  it.each<[string, unknown, { code: string; class: string; detail?: string | null }]>([
    ['Okta 400 with its error code and causes', okta('bad_request', 400, { oktaErrorCode: 'E0000001', errorCauses: ["Property name 'dialpadPhone' is not defined in profile schema"] }), { code: 'okta.E0000001', class: 'data', detail: "Property name 'dialpadPhone' is not defined in profile schema" }],
    ['Okta 401', okta('unauthorized', 401, { oktaErrorCode: 'E0000011' }), { code: 'okta.unauthorized', class: 'auth', detail: null }],
    ['Okta 403', okta('forbidden', 403, { oktaErrorCode: 'E0000006' }), { code: 'okta.forbidden', class: 'auth' }],
    ['Okta 429 after the retries', okta('rate_limited', 429), { code: 'okta.rate_limited', class: 'rate_limit' }],
    ['Okta 503', okta('api_error', 503), { code: 'okta.unavailable', class: 'outage' }],
    ['Okta unreachable or timed out', okta('network', null), { code: 'okta.unavailable', class: 'outage' }],
    ['Okta 404 without an Okta code', okta('not_found', 404), { code: 'okta.not_found', class: 'data' }],
    ['Dialpad 400 with its message', dialpad('bad_request', 400, 'no talk_lines left'), { code: 'dialpad.bad_request', class: 'data', detail: 'no talk_lines left' }],
    ['Dialpad 401', dialpad('unauthorized', 401, 'Invalid or missing API key'), { code: 'dialpad.unauthorized', class: 'auth', detail: null }],
    ['Dialpad 403', dialpad('forbidden', 403), { code: 'dialpad.forbidden', class: 'auth' }],
    ['Dialpad 503', dialpad('server_error', 503), { code: 'dialpad.unavailable', class: 'outage' }],
    ['Dialpad timeout', dialpad('timeout', null), { code: 'dialpad.unavailable', class: 'outage' }],
    ['Dialpad connection refused', dialpad('network', null), { code: 'dialpad.unavailable', class: 'outage' }],
    ['Dialpad 429 after the retries', dialpad('rate_limited', 429), { code: 'dialpad.rate_limited', class: 'rate_limit' }],
    ['an update whose fields Dialpad refused (by the first refusal)', new FieldsRefusedError([{ field: 'job_title', error: dialpad('bad_request', 400, 'job_title too long') }], ['first_name']), { code: 'dialpad.bad_request', class: 'data', detail: 'job_title too long' }],
    ['the database', new StoreError('disk I/O error'), { code: 'store.failed', class: 'outage' }],
    ['anything else', new Error('unauthorized 401 503'), { code: 'dialsync.error', class: 'data' }],
  ])('%s', (_name, error, expected) => {
    expect(failureCauseOf(error)).toMatchObject(expected);
  });
});
