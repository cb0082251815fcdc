import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { formatLogLine, logDestination } from '../../src/log/pretty-stream.js';
import { Redactor } from '../../src/log/redactor.js';
import { CaptureStream } from '../capture-stream.js';

describe('pretty log lines', () => {
  it('formats a pino line for a terminal', () => {
    const line = JSON.stringify({ level: 30, time: Date.parse('2026-01-01T12:00:01Z'), pid: 1, hostname: 'h', service: 'dialsync', msg: 'create ann@acme.com: done', runId: 'r1', outcome: 'done', detail: 'a b' });
    expect(formatLogLine(line)).toBe('12:00:01 INFO  create ann@acme.com: done runId=r1 outcome=done detail="a b"');
    expect(formatLogLine('not json')).toBe('not json');
  });

  it('keeps JSON when the output is not a terminal, and reformats it when it is', async () => {
    const plain = new CaptureStream({ isTTY: false });
    const logger = createLogger('info', logDestination(plain));
    logger.info({ runId: 'r1' }, 'hello');
    expect(JSON.parse(plain.text.trim())).toMatchObject({ msg: 'hello', runId: 'r1' });

    const tty = new CaptureStream({ isTTY: true });
    const pretty = createLogger('info', logDestination(tty));
    pretty.info({ runId: 'r1', apiKey: 'shhh' }, 'hello');
    await new Promise((resolve) => setImmediate(resolve));
    expect(tty.text).toMatch(/^\d\d:\d\d:\d\d INFO {2}hello runId=r1 apiKey=\[redacted\]\n$/);
  });
});

describe('log lines through the redactor', () => {
  const TOKEN = '00okta-token-0123456789abcdefghij';

  it('blanks a secret wherever it is in a line: message, nested field, error, JSON and pretty alike', async () => {
    for (const isTTY of [false, true]) {
      const out = new CaptureStream({ isTTY });
      const logger = createLogger('info', logDestination(out), new Redactor([TOKEN]));
      logger.child({ component: 'okta' }).warn(
        { response: { body: { errorSummary: `echo: SSWS ${TOKEN}` } }, err: new Error(`refused ${TOKEN}`) },
        `Okta said SSWS ${TOKEN.slice(0, 20)}`,
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(out.text).toContain('[redacted]');
      expect(out.text).not.toContain(TOKEN.slice(0, 12));
      expect(out.text).not.toContain(TOKEN.slice(-12));
    }
  });
});
