import { afterEach, describe, expect, it, vi } from 'vitest';
import { cronExpressionProblem } from '../../src/config/cron-expression.js';
import { nextFullRunAfter, startSchedule, type Schedule } from '../../src/daemon/schedule.js';
import { silentLogger } from '../../src/log/logger.js';

const MINUTE = 60_000;

/** The wall-clock time of `instant` in `timeZone`, e.g. "2026-03-08 03:00". */
function localTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

let running: Schedule | null = null;

afterEach(async () => {
  await running?.stop();
  running = null;
  vi.useRealTimers();
});

/**
 * Runs the schedule on a fake clock from `fromIso` for `hours` and returns the instants the full run started.
 * The full run itself takes no time unless `runMinutes` says otherwise.
 */
async function fullRunsBetween(schedule: string, timezone: string, fromIso: string, hours: number, runMinutes = 0): Promise<{ runs: Date[]; overlaps: number }> {
  vi.useFakeTimers({ now: new Date(fromIso), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  const runs: Date[] = [];
  let overlaps = 0;
  running = startSchedule({
    schedule,
    timezone,
    pollIntervalSeconds: 0,
    onFullTick: async () => {
      runs.push(new Date());
      if (runMinutes > 0) await new Promise((resolve) => setTimeout(resolve, runMinutes * MINUTE));
    },
    onPollTick: async () => undefined,
    onOverlap: () => {
      overlaps += 1;
    },
    logger: silentLogger(),
  });
  await vi.advanceTimersByTimeAsync(hours * 60 * MINUTE);
  return { runs, overlaps };
}

function gapsInMinutes(runs: readonly Date[]): number[] {
  return runs.slice(1).map((run, index) => (run.getTime() - (runs[index] as Date).getTime()) / MINUTE);
}

describe('full runs across daylight-saving changes', () => {
  it('runs a 02:30 daily schedule on New York spring-forward day, at 03:00, the first valid time after the skipped one', async () => {
    const { runs } = await fullRunsBetween('30 2 * * *', 'America/New_York', '2026-03-07T05:00:00Z', 4 * 24);
    expect(runs.map((run) => localTime(run, 'America/New_York'))).toEqual(['2026-03-07 02:30', '2026-03-08 03:00', '2026-03-09 02:30', '2026-03-10 02:30']);
  });

  it('runs a 02:30 daily schedule on Paris spring-forward day, at 03:00', async () => {
    const { runs } = await fullRunsBetween('30 2 * * *', 'Europe/Paris', '2026-03-27T23:00:00Z', 3 * 24);
    expect(runs.map((run) => localTime(run, 'Europe/Paris'))).toEqual(['2026-03-28 02:30', '2026-03-29 03:00', '2026-03-30 02:30']);
  });

  it.each([
    ['America/New_York', '30 1 * * *', '2026-10-31T04:00:00Z', ['2026-10-31 01:30', '2026-11-01 01:30', '2026-11-02 01:30']],
    ['Europe/Paris', '30 2 * * *', '2026-10-23T22:00:00Z', ['2026-10-24 02:30', '2026-10-25 02:30', '2026-10-26 02:30']],
    // A list of fixed hours is fixed times too: 01:00 once on fall-back night, 13:00 as usual.
    ['America/New_York', '0 1,13 * * *', '2026-10-31T04:00:00Z', ['2026-10-31 01:00', '2026-10-31 13:00', '2026-11-01 01:00', '2026-11-01 13:00', '2026-11-02 01:00', '2026-11-02 13:00']],
  ])('runs a daily schedule in %s whose time occurs twice on fall-back day (%s) once that day', async (timezone, schedule, fromIso, expected) => {
    const { runs } = await fullRunsBetween(schedule, timezone, fromIso, 3 * 24);
    expect(runs.map((run) => localTime(run, timezone))).toEqual(expected);
  });

  it.each([
    ['America/New_York', '2026-11-01T02:30:00Z'],
    ['Europe/Paris', '2026-10-24T21:30:00Z'],
    ['America/New_York', '2026-03-08T03:30:00Z'],
    ['Europe/Paris', '2026-03-28T21:30:00Z'],
  ])('keeps the default hourly schedule 60 minutes apart in real time in %s across the change near %s', async (timezone, fromIso) => {
    const { runs } = await fullRunsBetween('0 * * * *', timezone, fromIso, 8);
    expect(runs).toHaveLength(8);
    expect(gapsInMinutes(runs)).toEqual(Array(7).fill(60));
  });

  it('keeps an every-15-minutes schedule 15 minutes apart through both repeated and skipped hours', async () => {
    const fall = await fullRunsBetween('*/15 * * * *', 'America/New_York', '2026-11-01T04:00:00Z', 4);
    expect(fall.runs).toHaveLength(16);
    expect(new Set(gapsInMinutes(fall.runs))).toEqual(new Set([15]));
    await running?.stop();
    const spring = await fullRunsBetween('*/15 * * * *', 'Europe/Paris', '2026-03-29T00:00:00Z', 3);
    expect(spring.runs).toHaveLength(12);
    expect(new Set(gapsInMinutes(spring.runs))).toEqual(new Set([15]));
  });
});

describe('startSchedule', () => {
  it('skips a full tick while the previous full run is still going, and reports it', async () => {
    // Every 15 minutes, a run lasting 20: each run overlaps the next tick, which is skipped.
    const { runs, overlaps } = await fullRunsBetween('*/15 * * * *', 'UTC', '2026-06-01T00:00:00Z', 2, 20);
    expect(runs.map((run) => localTime(run, 'UTC'))).toEqual(['2026-06-01 00:15', '2026-06-01 00:45', '2026-06-01 01:15', '2026-06-01 01:45']);
    expect(overlaps).toBe(4);
  });

  it('says when the next full run is due', () => {
    vi.useFakeTimers({ now: new Date('2026-03-07T12:00:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    running = startSchedule({ schedule: '30 2 * * *', timezone: 'America/New_York', pollIntervalSeconds: 0, onFullTick: async () => undefined, onPollTick: async () => undefined, logger: silentLogger() });
    expect(running.nextFullRun()?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('polls on its interval, each poll timed from the end of the previous one, and stops polling when stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const polls: number[] = [];
    running = startSchedule({
      schedule: '0 0 1 1 *',
      timezone: 'UTC',
      pollIntervalSeconds: 60,
      onFullTick: async () => undefined,
      onPollTick: async () => {
        polls.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 30_000));
      },
      logger: silentLogger(),
    });
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    await running.stop();
    const before = polls.length;
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(polls.map((at) => (at - start) / 1000)).toEqual([60, 150, 240]);
    expect(polls).toHaveLength(before);
  });

  it('does not poll when the interval is 0', async () => {
    vi.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    let polls = 0;
    running = startSchedule({
      schedule: '0 0 1 1 *',
      timezone: 'UTC',
      pollIntervalSeconds: 0,
      onFullTick: async () => undefined,
      onPollTick: async () => {
        polls += 1;
      },
      logger: silentLogger(),
    });
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(polls).toBe(0);
  });
});

describe('cronExpressionProblem', () => {
  it.each(['0 * * * *', '30 2 * * *', '*/15 * * * *', '0 30 2 * * *', '0 9 * * mon-fri', '0 0 1 jan *'])('accepts %j', (expression) => {
    expect(cronExpressionProblem(expression)).toBeNull();
  });

  it.each(['61 * * * *', '0 25 * * *', 'every hour', '* * * *', '0 0 0 1 1 * 2027', '*/0 * * * *', ''])('refuses %j with a reason', (expression) => {
    expect(cronExpressionProblem(expression)).toMatch(/\S/);
  });
});

describe('nextFullRunAfter', () => {
  it('says when the schedule is next due in its time zone, as the console shows it', () => {
    expect(nextFullRunAfter('0 * * * *', 'UTC', new Date('2026-11-30T10:20:00Z'))?.toISOString()).toBe('2026-11-30T11:00:00.000Z');
    // 02:30 in Paris is 01:30 UTC in winter.
    expect(nextFullRunAfter('30 2 * * *', 'Europe/Paris', new Date('2026-11-30T10:20:00Z'))?.toISOString()).toBe('2026-12-01T01:30:00.000Z');
  });
});
