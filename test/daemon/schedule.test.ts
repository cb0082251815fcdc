import { describe, expect, it } from 'vitest';
import { startSchedule } from '../../src/daemon/schedule.js';
import { silentLogger } from '../../src/log/logger.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startSchedule', () => {
  it('ticks the full run on the cron schedule, skips ticks while it runs, and polls on its interval without overlap', async () => {
    let fullActive = 0;
    let fullMax = 0;
    let fullRuns = 0;
    let overlaps = 0;
    let polls = 0;
    const schedule = startSchedule({
      schedule: '* * * * * *',
      timezone: 'Europe/Paris',
      pollIntervalSeconds: 1,
      onFullTick: async () => {
        fullActive += 1;
        fullMax = Math.max(fullMax, fullActive);
        fullRuns += 1;
        await sleep(2200);
        fullActive -= 1;
      },
      onPollTick: async () => {
        polls += 1;
      },
      onOverlap: () => {
        overlaps += 1;
      },
      logger: silentLogger(),
    });
    expect(schedule.nextFullRun()).toBeInstanceOf(Date);
    await sleep(3600);
    await schedule.stop();
    const afterStop = { fullRuns, polls };
    await sleep(1200);

    expect(fullMax).toBe(1);
    expect(fullRuns).toBeGreaterThanOrEqual(1);
    expect(overlaps).toBeGreaterThanOrEqual(1);
    expect(polls).toBeGreaterThanOrEqual(2);
    expect({ fullRuns, polls }).toEqual(afterStop);
  }, 15_000);

  it('does not poll when the interval is 0', async () => {
    let polls = 0;
    const schedule = startSchedule({
      schedule: '0 0 1 1 *',
      timezone: 'UTC',
      pollIntervalSeconds: 0,
      onFullTick: async () => undefined,
      onPollTick: async () => {
        polls += 1;
      },
      logger: silentLogger(),
    });
    await sleep(300);
    await schedule.stop();
    expect(polls).toBe(0);
  });
});
