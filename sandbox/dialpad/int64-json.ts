import { randomBytes } from 'node:crypto';

// JSON with int64 values, as Dialpad sends them: ids above 2^53 are bare numbers on the wire, which a plain
// JSON.parse rounds. The sandbox keeps them exact (bigint when writing, strings when reading).

/**
 * Serializes like JSON.stringify, except that bigint values are written as bare JSON numbers. Native
 * JSON.stringify does the work; each bigint goes through as a string carrying a per-process random marker,
 * and the quoted markers are then unwrapped (a string in the data cannot carry a marker it never saw).
 */
export function stringifyJson(value: unknown): string {
  let sawBigint = false;
  const text = JSON.stringify(value, (_key, member: unknown) => {
    if (typeof member !== 'bigint') return member;
    sawBigint = true;
    return `${MARKER}${member.toString()}`;
  }) as string | undefined;
  if (text === undefined) return 'null';
  return sawBigint ? text.replace(MARKED_BIGINT, '$1') : text;
}

const MARKER = `int64:${randomBytes(12).toString('hex')}:`;
const MARKED_BIGINT = new RegExp(`"${MARKER}(-?\\d+)"`, 'g');

const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Parses JSON, turning integer literals that a double cannot hold exactly into strings (decimal digits), so that
 * an int64 id sent as a bare number survives. Throws SyntaxError like JSON.parse.
 */
export function parseJsonKeepingInt64(text: string): unknown {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i = endOfString(text, i);
      continue;
    }
    if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) {
      NUMBER_TOKEN.lastIndex = i;
      const match = NUMBER_TOKEN.exec(text);
      if (match === null) break; // let JSON.parse report the syntax error
      const token = match[0];
      if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(copiedUpTo, i)}"${token}"`;
        copiedUpTo = i + token.length;
      }
      i += token.length;
      continue;
    }
    i += 1;
  }
  return JSON.parse(copiedUpTo === 0 ? text : out + text.slice(copiedUpTo));
}

/** Index just past the closing quote of the string literal that opens at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) i += 2;
    else if (ch === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}
