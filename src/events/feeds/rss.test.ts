import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rss } from '../../platform/feeds/rss.ts';
import { children, readXml, textOf } from './test-support.ts';

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 allows are spelled out
const XML_ALLOWED = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

describe('RSS text', () => {
  it('is well-formed XML whatever the titles and descriptions hold (control characters, lone surrogates, markup), and reads back to them', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ title: fc.string({ unit: 'binary', maxLength: 60 }), description: fc.string({ unit: 'binary', maxLength: 120 }) }), { maxLength: 4 }), fc.string({ maxLength: 40 }), (items, name) => {
        const text = rss({
          title: name,
          link: 'http://chorus.test/events',
          self: 'http://chorus.test/events.rss?type=rally&region=london',
          description: 'New events',
          items: items.map((item, i) => ({ ...item, link: `http://chorus.test/events/${i}`, guid: `http://chorus.test/events/${i}`, published: new Date(Date.UTC(2027, 0, 1 + i)), categories: ['Rally & march'] })),
        });
        const doc = readXml(text);
        const channel = children(children(doc, 'rss')[0]!, 'channel')[0]!;
        expect(textOf(children(channel, 'title')[0])).toBe(name.replace(XML_ALLOWED, ''));
        const read = children(channel, 'item');
        expect(read).toHaveLength(items.length);
        read.forEach((el, i) => {
          expect(textOf(children(el, 'title')[0])).toBe(items[i]!.title.replace(XML_ALLOWED, ''));
          expect(textOf(children(el, 'description')[0])).toBe(items[i]!.description.replace(XML_ALLOWED, ''));
          expect(textOf(children(el, 'category')[0])).toBe('Rally & march');
        });
      }),
      { numRuns: 60 },
    );
  });

  it('the strict reader refuses text that is not well-formed', () => {
    const good = rss({ title: 'T', link: 'http://x', self: 'http://x/rss', description: 'D', items: [] });
    expect(() => readXml(good)).not.toThrow();
    for (const bad of [good.replace('</channel>', ''), good.replace('<title>T</title>', '<title>T & U</title>'), good.replace('<title>T</title>', '<title>T\u0007</title>'), good.replace('</title>', '</titel>'), `${good}<rss/>`]) {
      expect(() => readXml(bad)).toThrow();
    }
  });
});
