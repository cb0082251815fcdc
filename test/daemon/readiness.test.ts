import { describe, expect, it } from 'vitest';
import { accessReason, ReadinessState } from '../../src/daemon/readiness.js';
import { DialpadError } from '../../src/dialpad/errors.js';
import { OktaError } from '../../src/okta/errors.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));
const refusedKey = new DialpadError({ code: 'unauthorized', status: 401, method: 'GET', path: '/api/v2/company' });

describe('ReadinessState', () => {
  it('is unready until both sides were checked, and while a check fails: codes for /readyz, details beside them', () => {
    const state = new ReadinessState(3600);
    expect(state.verdict(at(0)).reasons).toEqual(['okta_unchecked', 'dialpad_unchecked']);
    state.recordAccess('okta', null);
    state.recordAccess('dialpad', refusedKey);
    const verdict = state.verdict(at(0));
    expect(verdict).toMatchObject({ ready: false, reasons: ['dialpad_credentials'] });
    expect(verdict.problems[0]?.detail).toMatch(/Dialpad rejected the API key \(401\)/);
    state.recordAccess('dialpad', null);
    expect(state.verdict(at(0))).toEqual({ ready: true, reasons: [], problems: [] });
    expect(state.verdict(at(0), [{ reason: 'store_unwritable', detail: 'SQLITE_READONLY' }]).reasons).toEqual(['store_unwritable']);
  });

  it('turns unready only when runs have been failing for longer than the threshold', () => {
    const state = new ReadinessState(30 * 60);
    state.recordAccess('okta', null);
    state.recordAccess('dialpad', null);
    state.recordRun('failed', at(0), 'Okta timed out');
    state.recordRun('failed', at(20), 'Okta timed out');
    expect(state.verdict(at(25)).ready).toBe(true);
    const failing = state.verdict(at(31));
    expect(failing.reasons).toEqual(['runs_failing']);
    expect(failing.problems[0]?.detail).toMatch(/failing for 1860 s .*Okta timed out/);
    state.recordRun('partial', at(32), null);
    expect(state.verdict(at(90)).ready).toBe(true);
  });

  it('takes a reason set by another part of the daemon until it is cleared, and a new access check replaces the old one', () => {
    const state = new ReadinessState(3600);
    state.recordAccess('okta', new OktaError({ code: 'network', message: 'could not reach Okta (ECONNREFUSED)' }));
    state.recordAccess('dialpad', null);
    state.setProblem('runs_failing', 'the last run failed as a whole');
    expect(state.verdict(at(0)).reasons).toEqual(['okta_unreachable', 'runs_failing']);
    state.recordAccess('okta', null);
    state.setProblem('runs_failing', null);
    expect(state.verdict(at(0)).ready).toBe(true);
  });
});

describe('accessReason', () => {
  it.each([
    ['okta', new OktaError({ code: 'unauthorized', message: 'Okta answered HTTP 401 E0000011: Invalid token provided', status: 401 }), 'okta_credentials'],
    ['okta', new OktaError({ code: 'forbidden', message: 'Okta answered HTTP 403', status: 403 }), 'okta_credentials'],
    ['okta', new OktaError({ code: 'app_not_found', message: 'no app 0oaX', status: 404 }), 'okta_app_not_found'],
    ['okta', new OktaError({ code: 'api_error', message: 'Okta answered HTTP 503', status: 503 }), 'okta_unreachable'],
    ['okta', new Error('socket hang up'), 'okta_unreachable'],
    ['dialpad', refusedKey, 'dialpad_credentials'],
    ['dialpad', new DialpadError({ code: 'forbidden', status: 403, method: 'GET', path: '/api/v2/company' }), 'dialpad_credentials'],
    ['dialpad', new DialpadError({ code: 'timeout', status: null, method: 'GET', path: '/api/v2/company' }), 'dialpad_unreachable'],
  ] as const)('%s: %s is %s', (side, error, reason) => {
    expect(accessReason(side, error)).toBe(reason);
  });

  it('is unready with the reason code systemic_failure while a systemic failure lasts', () => {
    const state = new ReadinessState(3600);
    state.recordAccess('okta', null);
    state.recordAccess('dialpad', null);
    state.setProblem('systemic_failure', 'the last run failed for a cause its users shared: okta.E0000001');
    expect(state.verdict(at(0))).toMatchObject({ ready: false, reasons: ['systemic_failure'] });
    state.setProblem('systemic_failure', null);
    expect(state.verdict(at(0))).toMatchObject({ ready: true, reasons: [] });
  });
});
