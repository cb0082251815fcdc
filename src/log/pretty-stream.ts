// Human-friendly log lines for a terminal: pino's JSON turned into "12:00:01 INFO  message key=value".
// Services and files keep the JSON (see logDestination).
import { Writable } from 'node:stream';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line carries, or that are already shown in front. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

/**
 * One pino JSON line as `HH:MM:SS LEVEL message key=value ...` (UTC time; values with spaces as JSON; the fields
 * every line carries left out), without a newline. A line that is not a JSON object is returned unchanged.
 */
export function formatLogLine(line: string): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return line;
  const fields = record as Record<string, unknown>;
  const time = typeof fields.time === 'number' ? new Date(fields.time).toISOString().slice(11, 19) : '--:--:--';
  const level = (typeof fields.level === 'number' ? LEVEL_NAMES[fields.level] : undefined) ?? String(fields.level ?? '');
  const message = typeof fields.msg === 'string' ? fields.msg : '';
  const extras = Object.entries(fields)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`);
  return [time, level.padEnd(5), message, ...extras].filter((part) => part !== '').join(' ');
}

/**
 * A stream that reformats pino's newline-delimited JSON (formatLogLine) before writing it to `out`. A line split
 * across chunks is held until its newline; a last line without one is written when the stream ends.
 */
export function createPrettyStream(out: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const text = lines.map((line) => `${formatLogLine(line)}\n`).join('');
      if (text) out.write(text);
      done();
    },
    final(done) {
      if (pending) out.write(`${formatLogLine(pending)}\n`);
      done();
    },
  });
}

/** Where the logger writes: `out` itself (JSON, for services and files), or a pretty stream on it when it is a terminal. */
export function logDestination(out: NodeJS.WritableStream & { isTTY?: boolean }): NodeJS.WritableStream {
  return out.isTTY ? createPrettyStream(out) : out;
}
