import { describe, expect, it } from 'vitest';
import { compareDialpadIds } from '../../src/plan/dialpad-id.js';

describe('compareDialpadIds', () => {
  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['9223372036854775806', '9223372036854775807', -1],
    ['42', '42', 0],
    ['12', 'abc', -1],
    ['abc', 'abd', -1],
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareDialpadIds(a, b))).toBe(sign);
  });
});
