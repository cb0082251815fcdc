import { describe, expect, it } from 'vitest';
import { nextLink } from '../../src/okta/next-link.js';

describe('nextLink', () => {
  it.each([
    ['<https://o.okta.com/api/v1/logs?after=1>; rel="self", <https://o.okta.com/api/v1/logs?after=2>; rel="next"', 'https://o.okta.com/api/v1/logs?after=2'],
    ['<https://o.okta.com/a?x=1,2>; rel="next"', 'https://o.okta.com/a?x=1,2'],
    ['<https://o.okta.com/a>; rel="self"', null],
    [null, null],
  ])('%s', (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});
