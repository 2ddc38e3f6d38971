import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyRing, SealedValueError, generateKeyText, parseKeyText, sealedBytesKeyId, sealedBytesPrefix, sealedKeyId } from './sealed.ts';

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

describe('sealed bytes (photos)', () => {
  it('open to the bytes sealed, any bytes, and never contain them', () => {
    const ring = new KeyRing(key());
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 4096 }), (array) => {
        const bytes = Buffer.from(array);
        const sealed = ring.sealBytes(bytes, 'story_photos.photo_sealed');
        expect(sealed.includes(bytes)).toBe(false);
        expect(ring.openBytes(sealed, 'story_photos.photo_sealed').equals(bytes)).toBe(true);
      }),
    );
  });

  it('name their key in their first bytes, refuse another purpose or any altered byte, and reseal under the current key', () => {
    const old = key();
    const photo = Buffer.from('\xff\xd8\xff pretend JPEG of a hospital ward', 'latin1');
    const sealed = new KeyRing(old).sealBytes(photo, 'p');
    expect(sealedBytesKeyId(sealed)).toBe(old.id);
    expect(sealed.subarray(0, 8).equals(sealedBytesPrefix(old.id))).toBe(true);
    const ring = new KeyRing(key(), [old]);
    expect(() => ring.openBytes(sealed, 'other')).toThrow(SealedValueError);
    for (const at of [9, 20, 30, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at] = altered[at]! ^ 1;
      expect(() => ring.openBytes(altered, 'p')).toThrow(SealedValueError);
    }
    expect(() => ring.openBytes(Buffer.from('not sealed at all, just bytes'), 'p')).toThrow(/not sealed bytes/);
    const resealed = ring.resealBytes(sealed, 'p');
    expect(sealedBytesKeyId(resealed)).toBe(ring.current.id);
    expect(ring.resealBytes(resealed, 'p')).toBe(resealed);
    expect(new KeyRing(ring.current).openBytes(resealed, 'p').equals(photo)).toBe(true);
    expect(() => new KeyRing(key()).openBytes(sealed, 'p')).toThrow(/not in the key ring/);
  });
});
