import { describe, expect, it } from 'vitest';
import { BANDS, MINHASH_SIZE, bandKeys, estimatedSimilarity, exactSimilarity, fingerprint, isVeryShort, ownWords } from './similarity.ts';
import { letterText, nearCopy } from './test-support.ts';

describe('WriteToThem’s similarity rule', () => {
  it('compares the writer’s own words: salutation and sign-off are taken off, case and punctuation folded', () => {
    expect(ownWords('Dear Ada North MP,\n\nPlease keep the unit open.\n\nYours sincerely,\nJo Bloggs\n1 High Street')).toBe('Please keep the unit open.');
    expect(ownWords('Hello Ada\nThe unit matters.\nKind regards\nJo')).toBe('The unit matters.');
    const body = letterText(5);
    expect(exactSimilarity(body, body.toUpperCase().replaceAll(',', ';').replace('Dear Ada North', 'Dear Mr Someone Else'))).toBe(1);
  });

  it('estimates the Jaccard similarity of 32-character shingles closely (MinHash, 128 functions)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const a = letterText(seed);
      for (const b of [nearCopy(a), letterText(seed + 500), `${a.slice(0, 350)} ${letterText(seed + 900).slice(300)}`]) {
        const exact = exactSimilarity(a, b);
        const estimate = estimatedSimilarity(fingerprint(1, a).minhash, fingerprint(1, b).minhash);
        expect(Math.abs(estimate - exact), `seed ${seed}: exact ${exact}, estimate ${estimate}`).toBeLessThan(0.2);
      }
    }
  });

  it('gives near copies shared LSH band keys and different letters none, within one campaign only', () => {
    const a = fingerprint(7, letterText(11));
    const copy = fingerprint(7, nearCopy(letterText(11)));
    const other = fingerprint(7, letterText(12));
    expect(a.minhash).toHaveLength(MINHASH_SIZE);
    expect(a.bands).toHaveLength(BANDS);
    expect(a.bands.filter((k) => copy.bands.includes(k)).length).toBeGreaterThan(3);
    expect(a.bands.filter((k) => other.bands.includes(k)).length).toBe(0);
    expect(bandKeys(8, a.minhash).filter((k) => a.bands.includes(k)).length).toBe(0);
  });

  it('calls a letter very short under 250 characters of its own words', () => {
    expect(isVeryShort('Dear Ada,\n\nPlease save our unit.\n\nYours sincerely,\nJo')).toBe(true);
    expect(isVeryShort(letterText(3))).toBe(false);
  });
});
