import { describe, expect, it } from 'vitest';
import { formatShare, majorityShare, marginalityRankText, ordinal } from './marginality.ts';

describe('marginality', () => {
  it('is the majority as a share of valid votes', () => {
    expect(majorityShare(15, 41256)).toBeCloseTo(0.000363583, 8);
    expect(majorityShare(15, 0)).toBeNull();
    expect(majorityShare(null, 41256)).toBeNull();
  });

  it('shows small shares with two decimals and others with one', () => {
    expect(formatShare(15 / 41256)).toBe('0.04%');
    expect(formatShare(3758 / 46345)).toBe('8.1%');
    expect(formatShare(0.5)).toBe('50.0%');
  });

  it('says where a seat ranks', () => {
    expect(marginalityRankText(1, 650)).toBe('the most marginal seat of 650');
    expect(marginalityRankText(2, 650)).toBe('the 2nd most marginal seat of 650');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 112].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th', '112th']);
  });
});
