// The rate-limit floor of a run: no client can finish faster than its requests divided by the APIs' budgets.
// Pure: request counts and budgets in, milliseconds out.

/** The rate-limit buckets a dialsync run spends: Dialpad's one company-wide bucket and Okta's endpoint groups. */
export type RateBucket = 'dialpad' | 'okta-apps' | 'okta-users' | 'okta-logs' | 'okta-other';

export const RATE_BUCKETS: readonly RateBucket[] = ['dialpad', 'okta-apps', 'okta-users', 'okta-logs', 'okta-other'];

export interface Budget {
  /** Requests allowed per window. */
  requests: number;
  windowMs: number;
}

export type Budgets = Record<RateBucket, Budget>;

/** What the APIs allow: Dialpad 20/s per company; Okta (Workforce defaults) apps 100/min, users 600/min, logs 120/min. */
export const API_BUDGETS: Budgets = {
  dialpad: { requests: 20, windowMs: 1000 },
  'okta-apps': { requests: 100, windowMs: 60_000 },
  'okta-users': { requests: 600, windowMs: 60_000 },
  'okta-logs': { requests: 120, windowMs: 60_000 },
  'okta-other': { requests: 1200, windowMs: 60_000 },
};

/** What dialsync lets itself use by default: dialpad.requestsPerSecond 15, okta.rateLimitShare 0.5 of each bucket. */
export function dialsyncBudgets(dialpadPerSecond = 15, oktaShare = 0.5): Budgets {
  const share = (budget: Budget): Budget => ({ requests: budget.requests * oktaShare, windowMs: budget.windowMs });
  return {
    dialpad: { requests: dialpadPerSecond, windowMs: 1000 },
    'okta-apps': share(API_BUDGETS['okta-apps']),
    'okta-users': share(API_BUDGETS['okta-users']),
    'okta-logs': share(API_BUDGETS['okta-logs']),
    'okta-other': share(API_BUDGETS['okta-other']),
  };
}

/** The bucket a request is counted in (Okta: by path prefix, like the sandbox and Okta's own endpoint groups). */
export function bucketOf(service: 'okta' | 'dialpad', path: string): RateBucket {
  if (service === 'dialpad') return 'dialpad';
  if (path.startsWith('/api/v1/apps')) return 'okta-apps';
  if (path.startsWith('/api/v1/users')) return 'okta-users';
  if (path.startsWith('/api/v1/logs')) return 'okta-logs';
  return 'okta-other';
}

export interface Floor {
  /** The slowest bucket's requests / budget, in ms (time-scaled). */
  ms: number;
  /** The bucket that sets it (null when no request was made). */
  binding: RateBucket | null;
  byBucket: Record<RateBucket, number>;
}

/**
 * max over buckets of requests × window / budget, divided by the time scale (a scaled sandbox grants
 * `timeScale` × the budget per window, so the run and its floor shrink alike and their ratio is what counts).
 */
export function rateLimitFloor(counts: Readonly<Partial<Record<RateBucket, number>>>, budgets: Budgets, timeScale = 1): Floor {
  if (!(timeScale > 0)) throw new RangeError(`timeScale must be positive, got ${timeScale}`);
  const byBucket = Object.fromEntries(RATE_BUCKETS.map((bucket) => [bucket, 0])) as Record<RateBucket, number>;
  let ms = 0;
  let binding: RateBucket | null = null;
  for (const bucket of RATE_BUCKETS) {
    const requests = counts[bucket] ?? 0;
    const budget = budgets[bucket];
    const bucketMs = (requests * budget.windowMs) / budget.requests / timeScale;
    byBucket[bucket] = bucketMs;
    if (requests > 0 && bucketMs > ms) {
      ms = bucketMs;
      binding = bucket;
    }
  }
  return { ms, binding, byBucket };
}
