import { describe, expect, it } from 'vitest';
import { Int64Literal, parseJsonWithInt64Strings, stringifyJsonWithInt64 } from '../../src/dialpad/int64-json.js';

describe('parseJsonWithInt64Strings', () => {
  it('keeps integers beyond 2^53 exact, as strings', () => {
    const parsed = parseJsonWithInt64Strings('{"id":6200000000000000123,"ids":[9007199254740993,-9223372036854775808]}');
    expect(parsed).toEqual({ id: '6200000000000000123', ids: ['9007199254740993', '-9223372036854775808'] });
  });

  it('leaves safe integers, fractions and exponents as numbers', () => {
    const text = '{"a":9007199254740991,"b":-9007199254740991,"c":5835806903417907,"d":1.23456789012345678901,"e":12345678901234567890e2,"f":0,"g":-1.5E-3}';
    expect(parseJsonWithInt64Strings(text)).toEqual(JSON.parse(text));
    expect(parseJsonWithInt64Strings('{"x":9007199254740992}')).toEqual({ x: '9007199254740992' });
  });

  it('does not touch digits inside strings, escaped quotes included', () => {
    const text = String.raw`{"s":"12345678901234567890","t":"a\"12345678901234567890\\","u":"\\\"","id":12345678901234567890}`;
    expect(parseJsonWithInt64Strings(text)).toEqual({
      s: '12345678901234567890',
      t: 'a"12345678901234567890\\',
      u: '\\"',
      id: '12345678901234567890',
    });
  });

  it('handles top-level values and whitespace', () => {
    expect(parseJsonWithInt64Strings(' 12345678901234567890 ')).toBe('12345678901234567890');
    expect(parseJsonWithInt64Strings('[ 1 , 12345678901234567890\n]')).toEqual([1, '12345678901234567890']);
    expect(parseJsonWithInt64Strings('null')).toBeNull();
  });

  it('throws SyntaxError on invalid JSON, like JSON.parse', () => {
    expect(() => parseJsonWithInt64Strings('{"id":12345678901234567890')).toThrow(SyntaxError);
    expect(() => parseJsonWithInt64Strings('{"s":"12345678901234567890')).toThrow(SyntaxError);
    expect(() => parseJsonWithInt64Strings('<html>')).toThrow(SyntaxError);
  });

  it('reads a 100k-user listing with every id intact', () => {
    const users = Array.from({ length: 100_000 }, (_, i) => `{"id":${6200000000000000000n + BigInt(i)},"emails":["u${i}@example.com"],"office_id":5220648944236254,"display_name":"User \\"${i}\\""}`);
    const parsed = parseJsonWithInt64Strings(`{"items":[${users.join(',')}],"cursor":null}`) as { items: { id: string; office_id: number }[] };
    expect(parsed.items).toHaveLength(100_000);
    expect(parsed.items[99_999]?.id).toBe('6200000000000099999');
    expect(parsed.items[0]?.office_id).toBe(5220648944236254);
  });
});

describe('stringifyJsonWithInt64', () => {
  it('writes Int64Literal as a bare number with its exact digits', () => {
    const json = stringifyJsonWithInt64({ office_id: new Int64Literal('6200000000000000123'), name: 'x', n: [new Int64Literal('-5')] });
    expect(json).toBe('{"office_id":6200000000000000123,"name":"x","n":[-5]}');
    expect(parseJsonWithInt64Strings(json)).toEqual({ office_id: '6200000000000000123', name: 'x', n: [-5] });
  });

  it('writes Int64Literal as a string of its digits in a plain JSON.stringify (as the journal stores it)', () => {
    const value = { office_id: new Int64Literal('6200000000000000123') };
    expect(JSON.stringify(value)).toBe('{"office_id":"6200000000000000123"}');
    expect(stringifyJsonWithInt64(value)).toBe('{"office_id":6200000000000000123}');
  });

  it('leaves strings alone, even ones that look like a placeholder', () => {
    const json = stringifyJsonWithInt64({ a: 'int64-00000000-0000-0000-0000-000000000000:12', b: '12' });
    expect(JSON.parse(json)).toEqual({ a: 'int64-00000000-0000-0000-0000-000000000000:12', b: '12' });
  });

  it('refuses what is not an int64', () => {
    for (const bad of ['', '12a', '1.5', '+1', '01', '9223372036854775808', ' 1']) {
      expect(() => new Int64Literal(bad), bad).toThrow(RangeError);
    }
    expect(new Int64Literal('9223372036854775807').digits).toBe('9223372036854775807');
  });
});
