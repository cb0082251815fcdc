import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { runCli } from '../../src/cli/program.js';
import { CaptureStream } from '../capture-stream.js';
import { useWorld } from '../e2e/use-world.js';
import { hire } from '../e2e/world.js';

class FakeStream extends CaptureStream {
  constructor(isTTY: boolean) {
    super({ isTTY });
  }

  /** What a terminal shows now: the text after the last carriage return, escape codes removed. */
  get screen(): string {
    const last = this.text.split('\r').at(-1) ?? '';
    // eslint-disable-next-line no-control-regex
    return last.replace(/\x1b\[\d*K/g, '');
  }
}

describe('reconcile progress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('on a terminal, shows a slow phase, counts a large apply on one line, and erases it at the end', () => {
    const stream = new FakeStream(true);
    let clock = 0;
    const progress = createProgress(stream, false, { threshold: 200, phaseDelayMs: 1000, redrawMs: 100, now: () => clock });

    progress.onPhase('reading');
    expect(stream.text).toBe('');
    vi.advanceTimersByTime(1000);
    expect(stream.screen).toBe('dialsync: reading Okta and Dialpad…');

    progress.onPhase('planning');
    expect(stream.screen).toBe('dialsync: planning…');
    progress.onPhase('applying');
    expect(stream.screen).toBe('dialsync: applying…');

    progress.onProgress(1, 250);
    expect(stream.screen).toBe('dialsync: applying 1/250 users (0%)');
    clock = 50;
    progress.onProgress(2, 250);
    // Redrawn at most every 100 ms.
    expect(stream.screen).toBe('dialsync: applying 1/250 users (0%)');
    clock = 150;
    progress.onProgress(125, 250);
    expect(stream.screen).toBe('dialsync: applying 125/250 users (50%)');
    clock = 151;
    progress.onProgress(250, 250);
    // The last step is always drawn.
    expect(stream.screen).toBe('dialsync: applying 250/250 users (100%)');
    // One updating line: no newline was ever written.
    expect(stream.text).not.toContain('\n');

    progress.finish();
    expect(stream.screen).toBe('');
  });

  it('a fast run on a terminal with a small plan prints nothing', () => {
    const stream = new FakeStream(true);
    const progress = createProgress(stream, false, { threshold: 200, phaseDelayMs: 1000 });
    progress.onPhase('settling');
    vi.advanceTimersByTime(500);
    progress.onPhase('reading');
    vi.advanceTimersByTime(500);
    progress.onPhase('planning');
    progress.onPhase('applying');
    for (let done = 1; done <= 199; done++) progress.onProgress(done, 199);
    vi.advanceTimersByTime(5000);
    progress.finish();
    expect(stream.text).toBe('');
  });

  it('prints nothing when stderr is not a terminal, or with --json', () => {
    for (const [tty, json] of [
      [false, false],
      [true, true],
    ] as const) {
      const stream = new FakeStream(tty);
      const progress = createProgress(stream, json, { threshold: 1, phaseDelayMs: 0 });
      progress.onPhase('reading');
      vi.advanceTimersByTime(10_000);
      progress.onProgress(1, 500);
      progress.onProgress(500, 500);
      progress.finish();
      expect(stream.text).toBe('');
    }
  });
});

describe('dialsync reconcile with stderr on a terminal', () => {
  const given = useWorld();

  beforeEach(() => {
    hire(given().world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'London' });
  });

  it('a small apply leaves nothing on the terminal but the plan and the result; --json stays pure JSON', async () => {
    const { world } = given();
    for (const args of [['reconcile', '--apply'], ['reconcile', '--json']]) {
      const stdout = new FakeStream(false);
      const stderr = new FakeStream(true);
      const code = await runCli(args, { env: world.env(), stdout, stderr });
      expect(code).toBe(0);
      // A slow machine may show a phase for a moment: whatever was drawn is erased, and no line is left.
      expect(stderr.screen).toBe('');
      expect(stderr.text).not.toContain('\n');
      if (args.includes('--json')) expect(() => JSON.parse(stdout.text) as unknown).not.toThrow();
      else expect(stdout.text).toContain('Result: 2 done, 0 failed');
    }
  });
});
