// The typed cause of a failed action, read from the error the client threw: its code and status, never its message
// (plan/systemic-failure.ts decides from these whether the cause is the user's own or shared by the run).
import { DialpadError, type DialpadErrorCode } from '../dialpad/errors.js';
import { OktaError, type OktaErrorCode } from '../okta/errors.js';
import type { FailureCause, FailureClass } from '../plan/systemic-failure.js';
import { StoreError } from '../store/database.js';
import { FieldsRefusedError } from './update-fields.js';

/**
 * The cause of `error` (whatever an action threw). OktaError: 401/403 → `okta.unauthorized`/`okta.forbidden` (auth);
 * 429 after the retries → `okta.rate_limited`; network failures and 5xx → `okta.unavailable` (outage); any other
 * answer → `okta.<Okta's errorCode>` (e.g. `okta.E0000001`, Management API error codes) with Okta's errorCauses as the
 * detail. DialpadError (and an update's FieldsRefusedError, by its first refusal) likewise by its code (server_error,
 * network and timeout are `dialpad.unavailable`), with Dialpad's message as the detail of a data error. StoreError →
 * `store.failed`; anything else → `dialsync.error`.
 */
export function failureCauseOf(error: unknown): FailureCause {
  // Dialpad refused some fields of an update: the cause is its 400 (grouped like any refusal with the same message).
  if (error instanceof FieldsRefusedError) return dialpadCause(error.cause);
  if (error instanceof OktaError) return oktaCause(error);
  if (error instanceof DialpadError) return dialpadCause(error);
  if (error instanceof StoreError) return { code: 'store.failed', service: 'store', class: 'outage', status: null, detail: null };
  return { code: 'dialsync.error', service: 'dialsync', class: 'data', status: null, detail: null };
}

const OKTA_CLASSES: Partial<Record<OktaErrorCode, FailureClass>> = {
  unauthorized: 'auth',
  forbidden: 'auth',
  rate_limited: 'rate_limit',
  network: 'outage',
};

function oktaCause(error: OktaError): FailureCause {
  const outage = error.status !== null && error.status >= 500;
  const cls = outage ? 'outage' : (OKTA_CLASSES[error.code] ?? 'data');
  const status = error.status;
  if (cls === 'outage') return { code: 'okta.unavailable', service: 'okta', class: cls, status, detail: null };
  if (cls !== 'data') return { code: `okta.${error.code}`, service: 'okta', class: cls, status, detail: null };
  const detail = error.errorCauses.length > 0 ? error.errorCauses.join('; ') : error.errorSummary;
  return { code: `okta.${error.oktaErrorCode ?? error.code}`, service: 'okta', class: cls, status, detail };
}

const DIALPAD_CLASSES: Partial<Record<DialpadErrorCode, FailureClass>> = {
  unauthorized: 'auth',
  forbidden: 'auth',
  rate_limited: 'rate_limit',
  server_error: 'outage',
  network: 'outage',
  timeout: 'outage',
};

function dialpadCause(error: DialpadError): FailureCause {
  const cls = DIALPAD_CLASSES[error.code] ?? 'data';
  const status = error.status;
  if (cls === 'outage') return { code: 'dialpad.unavailable', service: 'dialpad', class: cls, status, detail: null };
  return { code: `dialpad.${error.code}`, service: 'dialpad', class: cls, status, detail: cls === 'data' ? error.apiMessage : null };
}
