import { describe, expect, it } from 'vitest';
import { availableFloorMs, isWriteBack, runTimeline, type TimedRequest } from '../../bench/run-timeline.js';

const at = (atMs: number, method: string, path: string, status = 200): TimedRequest => ({ method, path, status, atMs });

describe('runTimeline', () => {
  it('times each side from the run’s first request: the last Dialpad write, the last write-back, the last Dialpad answer', () => {
    const okta = [at(1000, 'GET', '/api/v1/apps/0oa1/users'), at(1500, 'POST', '/api/v1/users/00u1'), at(4000, 'POST', '/api/v1/users/00u2'), at(4100, 'POST', '/api/v1/users/00u3/lifecycle/suspend')];
    const dialpad = [at(1010, 'GET', '/api/v2/users'), at(1200, 'POST', '/api/v2/users'), at(2500, 'PATCH', '/api/v2/users/1'), at(2600, 'POST', '/api/v2/users', 429), at(2700, 'GET', '/api/v2/users/1')];
    expect(runTimeline(okta, dialpad)).toEqual({ dialpadDoneMs: 1500, writeBacksDoneMs: 3000, dialpadLastMs: 1700 });
  });

  it('says null for a side with nothing to time', () => {
    expect(runTimeline([], [])).toEqual({ dialpadDoneMs: null, writeBacksDoneMs: null, dialpadLastMs: null });
    expect(runTimeline([at(0, 'GET', '/api/v1/apps/0oa1/users')], [at(5, 'GET', '/api/v2/users')])).toEqual({ dialpadDoneMs: null, writeBacksDoneMs: null, dialpadLastMs: 5 });
  });

  it.each([
    ['POST', '/api/v1/users/00u1', true],
    ['PUT', '/api/v1/users/00u1', true],
    ['GET', '/api/v1/users/00u1', false],
    ['POST', '/api/v1/users/00u1/lifecycle/activate', false],
    ['POST', '/api/v1/apps/0oa1/users/00u1', false],
  ] as const)('%s %s is a write-back: %s', (method, path, expected) => {
    expect(isWriteBack({ method, path })).toBe(expected);
  });
});

describe('availableFloorMs', () => {
  it('costs each accepted request 1/rate of the rate in force when it was answered; 429s cost nothing', () => {
    const dialpad = [at(0, 'GET', '/a'), at(100, 'GET', '/a'), at(150, 'GET', '/a', 429), at(2000, 'GET', '/a'), at(2100, 'GET', '/a')];
    // Two at 20/s (50 ms each), then two at 10/s (100 ms each).
    expect(availableFloorMs(dialpad, [{ fromMs: 0, perSecond: 20 }, { fromMs: 1000, perSecond: 10 }], 20)).toBe(300);
    // One rate: four accepted at 12/s, divided by the time scale.
    expect(availableFloorMs(dialpad, [{ fromMs: 0, perSecond: 12 }], 15, 10)).toBeCloseTo(4000 / 12 / 10, 9);
  });

  it('counts each request at min(configured, available): dialsync at 15/s gets no more of a 20/s grant', () => {
    const dialpad = [at(0, 'GET', '/a'), at(100, 'GET', '/a'), at(150, 'GET', '/a', 429), at(2000, 'GET', '/a'), at(2100, 'GET', '/a')];
    // 20/s then 10/s granted, 15/s configured: two at 15/s (66.7 ms each), two at 10/s (100 ms each).
    expect(availableFloorMs(dialpad, [{ fromMs: 0, perSecond: 20 }, { fromMs: 1000, perSecond: 10 }], 15)).toBeCloseTo(2000 / 15 + 200, 9);
    expect(() => availableFloorMs(dialpad, [{ fromMs: 0, perSecond: 20 }], 0)).toThrow(RangeError);
  });

  it('counts a request answered before the first step at the first rate, and needs a step', () => {
    expect(availableFloorMs([at(5, 'GET', '/a')], [{ fromMs: 10, perSecond: 10 }], 15)).toBe(100);
    expect(() => availableFloorMs([], [], 15)).toThrow(RangeError);
  });
});
