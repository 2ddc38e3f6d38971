import { describe, expect, it } from 'vitest';
import { isSignable } from './states.ts';

describe('the signable rule', () => {
  // 23:30 UTC on 31 March 2027 is already 1 April in the UK (British Summer Time).
  const now = new Date('2027-03-31T23:30:00Z');

  it('is open, until the end of the closing date’s UK day', () => {
    expect(isSignable({ state: 'open', closingDate: null }, now)).toBe(true);
    expect(isSignable({ state: 'open', closingDate: '2027-04-01' }, now)).toBe(true);
    expect(isSignable({ state: 'open', closingDate: '2027-03-31' }, now)).toBe(false);
  });

  it('is never any other state', () => {
    for (const state of ['draft', 'awaiting_moderation', 'closed', 'rejected', 'hidden'] as const) {
      expect(isSignable({ state, closingDate: null }, now)).toBe(false);
    }
  });
});
