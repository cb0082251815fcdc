// The CLI's stdout and stderr, seen through the redactor: whatever a command prints (tables, JSON reports,
// error messages, log lines) cannot carry a secret the redactor knows, wherever in the text it turned up.
import { Writable } from 'node:stream';
import type { Redactor } from '../log/redactor.js';

type Output = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * A stream that writes to `out` what it is given, redacted. Writes are passed on at once (the order of stdout
 * and stderr stays as written), and `isTTY` is that of `out`, so terminal-only output still knows where it goes.
 */
export function redactedOutput(out: Output, redactor: Redactor): Output {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, done) {
      out.write(redactor.redact(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
      done();
    },
  }) as Writable & { isTTY?: boolean };
  if (out.isTTY !== undefined) stream.isTTY = out.isTTY;
  return stream;
}
