import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyRing, SealedValueError, generateKeyText, parseKeyText, sealedKeyId } from './sealed.ts';

const key = () => parseKeyText(generateKeyText(), 'key');

describe('sealed values', () => {
  it('open to the text sealed, any text, and never contain it', () => {
    const ring = new KeyRing(key());
    fc.assert(
      fc.property(fc.string({ minLength: 4, unit: 'grapheme' }), (text) => {
        const sealed = ring.sealText(text, 'stories.story');
        expect(sealed).not.toContain(text);
        expect(ring.openText(sealed, 'stories.story')).toBe(text);
      }),
    );
    expect(ring.openJson(ring.sealJson({ links: ['https://example.org/v'] }, 'p'), 'p')).toEqual({ links: ['https://example.org/v'] });
  });

  it('record the key that sealed them, and seal the same text differently each time', () => {
    const current = key();
    const ring = new KeyRing(current);
    const a = ring.sealText('My mother waited 14 hours', 'p');
    expect(sealedKeyId(a)).toBe(current.id);
    expect(ring.sealText('My mother waited 14 hours', 'p')).not.toBe(a);
  });

  it('refuse to open when any part was altered', () => {
    const ring = new KeyRing(key());
    const sealed = ring.sealText('A story about a long wait in A&E', 'p');
    const parts = sealed.split('.');
    for (const index of [3, 4, 5]) {
      const altered = [...parts];
      const part = altered[index]!;
      altered[index] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
      expect(() => ring.openText(altered.join('.'), 'p')).toThrow(SealedValueError);
    }
    expect(() => ring.openText(sealed.slice(0, -2), 'p')).toThrow(SealedValueError);
  });

  it('do not open under another purpose (a value copied into another column)', () => {
    const ring = new KeyRing(key());
    expect(() => ring.openText(ring.sealText('07700 900123', 'stories.phone'), 'stories.story')).toThrow(SealedValueError);
  });

  it('open under an older key of the ring, and reseal under the current one', () => {
    const old = key();
    const sealedOld = new KeyRing(old).sealText('Told before the rotation', 'p');
    const rotated = new KeyRing(key(), [old]);
    expect(rotated.openText(sealedOld, 'p')).toBe('Told before the rotation');
    const resealed = rotated.reseal(sealedOld, 'p');
    expect(sealedKeyId(resealed)).toBe(rotated.current.id);
    expect(rotated.reseal(resealed, 'p')).toBe(resealed);
    expect(new KeyRing(rotated.current).openText(resealed, 'p')).toBe('Told before the rotation');
    expect(() => new KeyRing(key()).openText(sealedOld, 'p')).toThrow(/not in the key ring/);
  });

  it('take keys of exactly 32 bytes, and never echo a bad key', () => {
    expect(() => parseKeyText('c2hvcnQ=', 'STORIES_KEY')).toThrow(/STORIES_KEY must be base64 of exactly 32 random bytes/);
    try {
      parseKeyText('not a key at all', 'STORIES_KEY');
    } catch (error) {
      expect((error as Error).message).not.toContain('not a key at all');
    }
  });
});
