import { describe, expect, it } from 'vitest';
import { ratesOfRun } from '../../src/reconcile/rate-budgets.js';

describe('ratesOfRun', () => {
  it("gives the rates as they stand at the end and the 429s met since the start, a bucket first seen in the run included", () => {
    const before = { dialpad: { ceiling: 15, current: 12, throttled: 4 }, okta: { apps: { ceiling: 0.5, current: 0.5, throttled: 1 } } };
    const after = {
      dialpad: { ceiling: 15, current: 8.4, throttled: 6 },
      okta: { apps: { ceiling: 0.5, current: 0.35, throttled: 2 }, user_writes: { ceiling: 0.5, current: 0.5, throttled: 0 } },
    };
    expect(ratesOfRun(before, after)).toEqual({
      dialpad: { ceiling: 15, current: 8.4, throttled: 2 },
      okta: { apps: { ceiling: 0.5, current: 0.35, throttled: 1 }, user_writes: { ceiling: 0.5, current: 0.5, throttled: 0 } },
    });
  });
});

describe('ratesOfRun rounding', () => {
  it('reports every rate to 2 decimals (the limiter works in unrounded floats)', () => {
    const before = { dialpad: { ceiling: 15, current: 15, throttled: 0 }, okta: {} };
    const after = { dialpad: { ceiling: 2.999999, current: 2.6905224549999995, throttled: 3 }, okta: { apps: { ceiling: 0.5, current: 0.42499999999999993, throttled: 1 } } };
    const rates = ratesOfRun(before, after);
    expect(rates).toEqual({ dialpad: { ceiling: 3, current: 2.69, throttled: 3 }, okta: { apps: { ceiling: 0.5, current: 0.42, throttled: 1 } } });
    expect(JSON.stringify(rates)).toBe('{"dialpad":{"ceiling":3,"current":2.69,"throttled":3},"okta":{"apps":{"ceiling":0.5,"current":0.42,"throttled":1}}}');
  });
});
