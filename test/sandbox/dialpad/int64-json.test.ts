import { describe, expect, it } from 'vitest';
import { parseJsonKeepingInt64, stringifyJson } from '../../../sandbox/dialpad/int64-json.js';

describe('stringifyJson', () => {
  it('writes bigint as a bare number and otherwise matches JSON.stringify', () => {
    const value = { id: 6200000000000000001n, name: 'a "b"', list: [1, null, true, undefined], skip: undefined, nested: { n: -2.5 } };
    expect(stringifyJson(value)).toBe('{"id":6200000000000000001,"name":"a \\"b\\"","list":[1,null,true,null],"nested":{"n":-2.5}}');
  });
});

describe('parseJsonKeepingInt64', () => {
  it('keeps integers beyond 2^53 exact as strings, leaves safe numbers and string contents alone', () => {
    const text = '{"office_id":5100000000000000001,"n":42,"f":1.5e3,"s":"x 9999999999999999999 \\" 1","neg":-9223372036854775807,"a":[6200000000000000002]}';
    expect(parseJsonKeepingInt64(text)).toEqual({
      office_id: '5100000000000000001',
      n: 42,
      f: 1500,
      s: 'x 9999999999999999999 " 1',
      neg: '-9223372036854775807',
      a: ['6200000000000000002'],
    });
  });

  it('throws on malformed JSON like JSON.parse', () => {
    expect(() => parseJsonKeepingInt64('{"a":')).toThrow(SyntaxError);
  });
});
