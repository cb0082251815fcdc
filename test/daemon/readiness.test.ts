import { describe, expect, it } from 'vitest';
import { ReadinessState } from '../../src/daemon/readiness.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

describe('ReadinessState', () => {
  it('is unready until both sides were checked, and while a check fails', () => {
    const state = new ReadinessState(3600);
    expect(state.verdict(at(0), null).ready).toBe(false);
    state.recordAccess('okta', null);
    state.recordAccess('dialpad', 'Dialpad refused the API key (401)');
    expect(state.verdict(at(0), null)).toEqual({ ready: false, reasons: ['Dialpad: Dialpad refused the API key (401)'] });
    state.recordAccess('dialpad', null);
    expect(state.verdict(at(0), null)).toEqual({ ready: true, reasons: [] });
    expect(state.verdict(at(0), 'SQLITE_CANTOPEN').reasons).toEqual(['store: SQLITE_CANTOPEN']);
  });

  it('turns unready only when runs have been failing for longer than the threshold', () => {
    const state = new ReadinessState(30 * 60);
    state.recordAccess('okta', null);
    state.recordAccess('dialpad', null);
    state.recordRun('failed', at(0), 'Okta timed out');
    state.recordRun('failed', at(20), 'Okta timed out');
    expect(state.verdict(at(25), null).ready).toBe(true);
    expect(state.verdict(at(31), null).reasons[0]).toMatch(/failing for 1860 s .*Okta timed out/);
    state.recordRun('partial', at(32), null);
    expect(state.verdict(at(90), null).ready).toBe(true);
  });

  it('is unready with the reason code systemic_failure while a systemic failure lasts', () => {
    const state = new ReadinessState(3600);
    state.recordAccess('okta', null);
    state.recordAccess('dialpad', null);
    state.recordSystemic(true);
    expect(state.verdict(at(0), null)).toEqual({ ready: false, reasons: ['systemic_failure'] });
    state.recordSystemic(false);
    expect(state.verdict(at(0), null)).toEqual({ ready: true, reasons: [] });
  });
});
