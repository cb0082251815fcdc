// When a run's work was done, read from the sandboxes' request logs: the last Dialpad write (every user in
// Dialpad) and the last Okta write-back (every dialpadPhone written), each from the run's first request. And the
// Dialpad floor at a rate that may change mid-run (another integration starts spending the company's budget).
// Pure: recorded requests in, milliseconds out.

/** A request as the sandboxes record it: what it was, how it was answered, and when (epoch ms). */
export interface TimedRequest {
  method: string;
  path: string;
  status: number;
  atMs: number;
}

/** When the run's two sides were done, in ms from its first request on either side (null: no such request). */
export interface RunTimeline {
  /** The last Dialpad write answered: every user in Dialpad. */
  dialpadDoneMs: number | null;
  /** The last Okta profile write (the dialpadPhone write-back) answered. */
  writeBacksDoneMs: number | null;
  /** The last Dialpad request of any kind answered: the Dialpad side's wall. */
  dialpadLastMs: number | null;
}

/** An Okta user profile write: the write-back (POST or PUT /api/v1/users/{id}, not a lifecycle call). */
export function isWriteBack(request: Pick<TimedRequest, 'method' | 'path'>): boolean {
  return (request.method === 'POST' || request.method === 'PUT') && /^\/api\/v1\/users\/[^/]+$/.test(request.path);
}

/** The run's timeline from both sandboxes' requests of that run. */
export function runTimeline(okta: readonly TimedRequest[], dialpad: readonly TimedRequest[]): RunTimeline {
  const all = [...okta, ...dialpad];
  if (all.length === 0) return { dialpadDoneMs: null, writeBacksDoneMs: null, dialpadLastMs: null };
  const start = Math.min(...all.map((request) => request.atMs));
  const last = (requests: readonly TimedRequest[]): number | null => (requests.length === 0 ? null : Math.max(...requests.map((request) => request.atMs)) - start);
  return {
    dialpadDoneMs: last(dialpad.filter((request) => request.method !== 'GET' && request.status < 400)),
    writeBacksDoneMs: last(okta.filter((request) => isWriteBack(request) && request.status < 400)),
    dialpadLastMs: last(dialpad),
  };
}

/** A Dialpad rate in force from `fromMs` (epoch ms; the first step from the start), in requests per second. */
export interface RateStep {
  fromMs: number;
  perSecond: number;
}

/**
 * The least time the Dialpad requests that were accepted (not answered 429) needed at the rate actually available
 * to dialsync: each request costs 1000 / min(configuredPerSecond, perSecond) ms at the rate in force when it was
 * answered (dialsync never goes past its configured rate, however much the sandbox grants), divided by the time
 * scale (the sandbox grants `timeScale` × the rate). `steps` in time order; throws RangeError without a step or
 * with a configured rate that is not positive.
 */
export function availableFloorMs(dialpad: readonly TimedRequest[], steps: readonly RateStep[], configuredPerSecond: number, timeScale = 1): number {
  if (steps.length === 0) throw new RangeError('at least one rate step is needed');
  if (!(configuredPerSecond > 0)) throw new RangeError(`the configured rate must be positive, got ${configuredPerSecond}`);
  let ms = 0;
  for (const request of dialpad) {
    if (request.status === 429) continue;
    const step = [...steps].reverse().find((candidate) => candidate.fromMs <= request.atMs) ?? (steps[0] as RateStep);
    ms += 1000 / Math.min(configuredPerSecond, step.perSecond);
  }
  return ms / timeScale;
}
