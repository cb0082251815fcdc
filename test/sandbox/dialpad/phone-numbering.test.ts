import { describe, expect, it } from 'vitest';
import { areaCodeOf, callingCodeOf, compareNumbers, NumberGenerator, subscriberLengthOf } from '../../../sandbox/dialpad/phone-numbering.js';

describe('phone numbering', () => {
  it('finds calling code, area code and subscriber length', () => {
    expect([callingCodeOf('+12125550100'), areaCodeOf('+12125550100'), subscriberLengthOf('+12125550100')]).toEqual(['1', '212', 7]);
    expect([callingCodeOf('+442079460000'), areaCodeOf('+442079460000'), subscriberLengthOf('+442079460000')]).toEqual(['44', '20', 8]);
    expect(callingCodeOf('+353112345678')).toBe('353');
  });

  it('generates numbers in an area code, skipping taken ones', () => {
    const taken = new Set(['+12122000000']);
    const generator = new NumberGenerator((n) => taken.has(n));
    expect(generator.next('1', '212')).toBe('+12122000001');
    expect(generator.next('1', '212')).toBe('+12122000002');
    expect(generator.next('44', '20', 8)).toBe('+442020000000');
  });

  it('orders numbers numerically', () => {
    expect(['+4420', '+1999', '+12'].sort(compareNumbers)).toEqual(['+12', '+1999', '+4420']);
  });
});
