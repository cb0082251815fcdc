// A writable that keeps everything written to it as text: what a test hands the CLI, the logger or a log
// destination as stdout/stderr, then reads back to assert on.
import { Writable } from 'node:stream';

/**
 * Collects every chunk written as one string (`text`). `isTTY`, when given, tells writers that check it whether
 * they write to a terminal; left out, the stream is like a pipe or a file.
 */
export class CaptureStream extends Writable {
  text = '';
  readonly isTTY?: boolean;

  constructor(options: { isTTY?: boolean } = {}) {
    super();
    if (options.isTTY !== undefined) this.isTTY = options.isTTY;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}
