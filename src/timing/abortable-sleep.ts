// Waiting (a rate limiter's slot, a retry's backoff) that a shutdown can cut short: the daemon must exit within
// its documented time whatever the APIs do, so no wait may outlive the stop signal.

/** Waits `ms` milliseconds; the second argument, when a sleep honours it, ends the wait early. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * setTimeout as a promise. With a signal: rejects with the signal's reason as soon as it is aborted (at once if
 * it already is), and the timer is cleared, so an abandoned wait keeps no process alive.
 */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Waits with `sleep` (an injected one, in tests), ending early when `signal` is aborted: rejects with the signal's
 * reason then, even if `sleep` ignores its signal argument. Without a signal it is just `sleep(ms)`.
 */
export function sleepUnlessAborted(sleep: Sleep, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms, signal)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A signal aborted `ms` milliseconds after `signal` is (at once plus `ms` if it already is): the grace a write in
 * flight gets at shutdown. Its timer does not keep the process alive.
 */
export function graceAfter(signal: AbortSignal, ms: number): AbortSignal {
  const grace = new AbortController();
  const start = (): void => void setTimeout(() => grace.abort(), ms).unref();
  if (signal.aborted) start();
  else signal.addEventListener('abort', start, { once: true });
  return grace.signal;
}
