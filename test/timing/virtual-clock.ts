// A clock for tests of waiting code: sleeps resolve when the test advances the clock, in time order, so a run of
// many concurrent requests with their waits and latencies is played out in simulated time, at once.

/** A simulated clock: `now` and `sleep` to inject, `run` to play a piece of work to its end. */
export class VirtualClock {
  nowMs = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  /** The simulated time, in ms. */
  now = (): number => this.nowMs;

  /** Resolves when the simulated clock reaches now + ms (a signal is honoured by sleepUnlessAborted around it). */
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.nowMs + Math.max(0, ms), seq: (this.seq += 1), resolve });
    });

  /** Plays `work` to its end: lets every ready promise run, then moves the clock to the next sleep's end, and so on. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const result = work.finally(() => {
      done = true;
    });
    while (!done) {
      await settle();
      if (done) break;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (next === undefined) throw new Error('the work waits for something the clock does not drive');
      this.nowMs = Math.max(this.nowMs, next.at);
      next.resolve();
    }
    return result;
  }
}

/** Lets promise chains and the I/O callbacks behind them (a Response body read) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 8; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
