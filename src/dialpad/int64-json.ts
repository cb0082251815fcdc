import { randomUUID } from 'node:crypto';

// Dialpad ids are int64. JSON.parse would round integers beyond 2^53 to the nearest double and so
// silently turn one user's id into another's; these functions keep such integers exact, as digits.

// Every safe integer has at most 16 digits: text without a 16-digit run can go straight to JSON.parse.
const LONG_DIGIT_RUN = /\d{16}/;
const INTEGER_TOKEN = /^-?\d+$/;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/**
 * JSON.parse, except that integer literals that are not safe integers (beyond ±(2^53 − 1)) come out
 * as strings holding their exact digits. Safe integers, fractions and exponents parse as numbers.
 * Throws SyntaxError on invalid JSON, as JSON.parse does.
 */
export function parseJsonWithInt64Strings(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** Single pass over the text: skips string literals (escapes included), quotes long integer tokens. */
function quoteUnsafeIntegers(text: string): string {
  const length = text.length;
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const start = i;
      i += 1;
      while (i < length && isNumberChar(text.charCodeAt(i))) i += 1;
      if (i - start >= 16) {
        const token = text.slice(start, i);
        if (INTEGER_TOKEN.test(token) && !Number.isSafeInteger(Number(token))) {
          out += `${text.slice(copiedUpTo, start)}"${token}"`;
          copiedUpTo = i;
        }
      }
    } else {
      i += 1;
    }
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Index just past the closing quote of the string literal opening at `open` (or the text's end). */
function endOfString(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close !== -1) {
    let backslashes = 0;
    for (let j = close - 1; j > open && text.charCodeAt(j) === BACKSLASH; j -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return text.length;
}

function isNumberChar(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || c === DOT || c === LOWER_E || c === UPPER_E || c === PLUS || c === MINUS;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * An int64 that must be written into JSON as a number, digit for digit (see stringifyJsonWithInt64). The
 * constructor throws RangeError for anything but the decimal digits of an int64.
 */
export class Int64Literal {
  readonly digits: string;

  constructor(digits: string) {
    if (!/^-?(0|[1-9]\d*)$/.test(digits) || BigInt(digits) < INT64_MIN || BigInt(digits) > INT64_MAX) {
      throw new RangeError(`not an int64 id: ${JSON.stringify(digits)}`);
    }
    this.digits = digits;
  }

  /** A plain JSON.stringify (the action journal's) writes the id as a string of its digits, exactly. */
  toJSON(): string {
    return this.digits;
  }
}

/**
 * JSON.stringify that writes every Int64Literal as a bare JSON number with its exact digits
 * (a double would round ids beyond 2^53). A per-call random marker keeps ordinary strings that
 * happen to look like the placeholder from being rewritten.
 */
export function stringifyJsonWithInt64(value: unknown): string {
  const marker = `int64-${randomUUID()}:`;
  // The replacer sees a value after its toJSON: the holder still has the Int64Literal itself.
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const original = this[key];
    return original instanceof Int64Literal ? `${marker}${original.digits}` : v;
  });
  return json.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}
